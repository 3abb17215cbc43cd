import { useEffect, useRef, useState, type DragEvent } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  tokens,
} from '@fluentui/react-components'
import { ArrowUploadRegular } from '@fluentui/react-icons'
import { errorMessage } from '../../components/notify'
import type { FolderRow } from '../../store/rows'
import type { ImportProgress, ImportReport } from '../../sync/archive/archive-commands'
import { useWorkerLink } from '../../sync/worker-link-context'

const useStyles = makeStyles({
  drop: {
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingVerticalXXL,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    textAlign: 'center',
    color: tokens.colorNeutralForeground2,
  },
  dropping: {
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalL, maxHeight: '30vh', overflowY: 'auto' },
})

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`

function summary(p: ImportProgress): string {
  const parts = [`${p.imported.toLocaleString()} imported`]
  if (p.duplicates > 0) parts.push(`${p.duplicates.toLocaleString()} already there (skipped)`)
  if (p.malformed > 0) parts.push(`${p.malformed.toLocaleString()} not mail (skipped)`)
  return parts.join(' · ')
}

/**
 * Imports mbox files and .eml files into a local folder: chosen with a file picker or dropped (here or on
 * the folder). The sync worker reads and stores them in batches, so the window stays responsive and what
 * was imported stays imported if something goes wrong half-way.
 */
export function ImportDialog({
  folder,
  initialFiles,
  onClose,
}: {
  folder: FolderRow
  initialFiles: File[] | undefined
  onClose(): void
}): React.JSX.Element {
  const styles = useStyles()
  const link = useWorkerLink()
  const input = useRef<HTMLInputElement>(null)
  const [dropping, setDropping] = useState(false)
  const [progress, setProgress] = useState<ImportProgress>()
  const [report, setReport] = useState<ImportReport>()
  const [error, setError] = useState<string>()
  const running = progress !== undefined && report === undefined && error === undefined
  const started = useRef(false)
  const stopper = useRef<AbortController | undefined>(undefined)
  const [stopping, setStopping] = useState(false)

  const start = (files: File[]): void => {
    if (files.length === 0 || running) return
    started.current = true
    setReport(undefined)
    setError(undefined)
    setProgress({
      file: files[0]!.name,
      bytesRead: 0,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
      imported: 0,
      duplicates: 0,
      malformed: 0,
    })
    const controller = new AbortController()
    stopper.current = controller
    setStopping(false)
    link
      .command(
        { kind: 'import-mail', folderId: folder.id, files },
        (p) => setProgress(p as ImportProgress),
        controller.signal,
      )
      .then((r) => {
        setReport(r as ImportReport)
        setProgress(r as ImportReport)
      })
      .catch((e: unknown) => setError(errorMessage(e)))
  }

  useEffect(() => {
    if (initialFiles && !started.current) start(initialFiles)
    // Only the files the dialog was opened with start on their own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault()
    setDropping(false)
    start([...e.dataTransfer.files])
  }

  const fraction = progress && progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0
  return (
    <Dialog
      open
      modalType={running ? 'alert' : 'modal'}
      onOpenChange={(_, d) => !d.open && !running && onClose()}
    >
      <DialogSurface data-testid="import-dialog">
        <DialogBody>
          <DialogTitle>Import mail into “{folder.name}”</DialogTitle>
          <DialogContent>
            {!running && !report && (
              <div
                className={mergeClasses(styles.drop, dropping && styles.dropping)}
                data-testid="import-drop-zone"
                onDragOver={(e) => {
                  e.preventDefault()
                  setDropping(true)
                }}
                onDragLeave={() => setDropping(false)}
                onDrop={onDrop}
              >
                <ArrowUploadRegular fontSize={32} aria-hidden />
                <Text>Drop mbox or .eml files here</Text>
                <Button onClick={() => input.current?.click()}>Choose files…</Button>
                <Text size={200}>
                  Messages already in this folder are skipped. Nothing is changed on any server.
                </Text>
                <input
                  ref={input}
                  type="file"
                  multiple
                  accept=".mbox,.mbx,.eml,message/rfc822,application/mbox,text/plain"
                  hidden
                  data-testid="import-file-input"
                  onChange={(e) => start([...(e.target.files ?? [])])}
                />
              </div>
            )}
            {progress && (
              <Field
                label={
                  running
                    ? `Importing ${progress.file}…`
                    : report && !report.stopped
                      ? 'Import finished'
                      : 'Import stopped'
                }
                validationState={
                  !report || report.stopped ? 'none' : report.problems.length > 0 ? 'warning' : 'success'
                }
                validationMessage={
                  <span data-testid="import-summary">
                    {summary(progress)} — {mb(progress.bytesRead)} of {mb(progress.totalBytes)}
                  </span>
                }
              >
                <ProgressBar value={report && !report.stopped ? 1 : fraction} data-testid="import-progress" />
              </Field>
            )}
            {report?.stopped && (
              <MessageBar intent="info" layout="multiline" data-testid="import-stopped">
                <MessageBarBody>
                  You stopped the import. The {report.imported.toLocaleString()} messages imported until then
                  stay in “{folder.name}”; importing the same files again skips them and adds the rest.
                </MessageBarBody>
              </MessageBar>
            )}
            {report && report.problems.length > 0 && (
              <MessageBar intent="warning" layout="multiline" data-testid="import-problems">
                <MessageBarBody>
                  Some input was not imported:
                  <ul className={styles.problems}>
                    {report.problems.map((p, i) => (
                      <li key={i}>{p}</li>
                    ))}
                  </ul>
                </MessageBarBody>
              </MessageBar>
            )}
            {error && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>
                  The import stopped: {error} Messages imported before that stay in the folder.
                </MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            {running && (
              <Button
                onClick={() => {
                  setStopping(true)
                  stopper.current?.abort()
                }}
                disabled={stopping}
              >
                {stopping ? 'Stopping…' : 'Stop import'}
              </Button>
            )}
            <Button appearance={report ? 'primary' : 'secondary'} onClick={onClose} disabled={running}>
              {report ? 'Done' : 'Close'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
