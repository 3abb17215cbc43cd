import { useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  tokens,
} from '@fluentui/react-components'
import { useLiveQuery } from 'dexie-react-hooks'
import { useMailDb } from '../../app/use-mail-db'
import { errorMessage, useNotify } from '../../components/notify'
import type { FolderRow } from '../../store/rows'
import { keptMessageCount } from '../../store/queries/message-window'
import { folderNameProblem } from '../../sync/actions/folder-name'
import { folderPlaceLabel, folderSubtree, isInFolderTree } from '../../sync/actions/folder-subtree'
import type { WorkerCommand } from '../../sync/commands'
import { useWorkerLink } from '../../sync/worker-link-context'
import { isInbox } from './folder-tree'

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
})

/** Inbox and special-use folders keep their names and places (servers and other clients rely on them). */
export function isProtectedFolder(folder: FolderRow): boolean {
  return isInbox(folder) || folder.specialUse !== null
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`
}

/** Runs a worker command for a dialog: closes it on success, keeps it open with the error otherwise. */
function useDialogCommand(onClose: () => void): {
  busy: boolean
  error: string | undefined
  run(command: WorkerCommand, done: string): void
} {
  const link = useWorkerLink()
  const notify = useNotify()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  return {
    busy,
    error,
    run(command, done) {
      setBusy(true)
      setError(undefined)
      link
        .command(command)
        .then(() => {
          notify.info(done, 'success')
          onClose()
        })
        .catch((e: unknown) => {
          setError(errorMessage(e))
          setBusy(false)
        })
    },
  }
}

function ErrorBar({ error }: { error: string | undefined }): React.JSX.Element | null {
  if (!error) return null
  return (
    <MessageBar intent="error" layout="multiline" data-testid="folder-dialog-error">
      <MessageBarBody>{error}</MessageBarBody>
    </MessageBar>
  )
}

/**
 * New folder (under `parent`, or at the top of the account) or rename (`folder`), with the place in the tree
 * for a rename: any folder of the account outside the folder's own subtree, or the top level.
 */
export function FolderNameDialog(
  props:
    | {
        mode: 'create'
        accountId: string
        parent: FolderRow | null
        delimiter: string | null
        onClose(): void
      }
    | { mode: 'rename'; folder: FolderRow; folders: readonly FolderRow[]; onClose(): void },
): React.JSX.Element {
  const { onClose } = props
  const styles = useStyles()
  const rename = props.mode === 'rename' ? props : undefined
  const [name, setName] = useState(rename ? rename.folder.name : '')
  const [parentPath, setParentPath] = useState<string | null>(
    rename ? rename.folder.parentPath : props.mode === 'create' ? (props.parent?.path ?? null) : null,
  )
  const [touched, setTouched] = useState(false)
  const command = useDialogCommand(onClose)
  const delimiter = rename ? rename.folder.delimiter : props.mode === 'create' ? props.delimiter : null
  const problem = folderNameProblem(name, delimiter)
  const places = rename
    ? rename.folders
        .filter(
          (f) => f.accountId === rename.folder.accountId && !isInFolderTree(f, rename.folder, rename.folders),
        )
        .map((f) => ({
          folder: f,
          // A local folder's path is only its identity; its place is the chain of its parents' names.
          label: f.local ? folderPlaceLabel(f, rename.folders) : f.path,
        }))
        .sort((a, b) => a.label.localeCompare(b.label))
    : []
  const title = rename
    ? `Rename or move “${rename.folder.name}”`
    : props.mode === 'create' && props.parent
      ? `New folder in “${props.parent.name}”`
      : 'New folder'

  const submit = (): void => {
    setTouched(true)
    if (problem) return
    if (rename) {
      command.run(
        {
          kind: 'rename-folder',
          folderId: rename.folder.id,
          newName: name,
          ...(parentPath === rename.folder.parentPath ? {} : { newParentPath: parentPath }),
        },
        renameNotice(rename.folder, name.trim(), parentPath, places),
      )
    } else if (props.mode === 'create') {
      command.run(
        { kind: 'create-folder', accountId: props.accountId, parentPath, name },
        `Folder “${name.trim()}” created.`,
      )
    }
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="folder-name-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.content}>
              <Field
                label="Folder name"
                required
                validationState={touched && problem ? 'error' : 'none'}
                validationMessage={touched && problem ? problem : undefined}
              >
                <Input
                  autoFocus
                  value={name}
                  onChange={(_, d) => {
                    setName(d.value)
                    setTouched(true)
                  }}
                />
              </Field>
              {rename && (
                <Field
                  label="Inside"
                  hint="Move the folder, with its subfolders and mail, elsewhere in this account."
                >
                  <Select
                    value={parentPath ?? ''}
                    onChange={(_, d) => setParentPath(d.value === '' ? null : d.value)}
                  >
                    <option value="">(top level)</option>
                    {places.map(({ folder: f, label }) => (
                      <option key={f.id} value={f.path}>
                        {label}
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
              <ErrorBar error={command.error} />
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={command.busy || (touched && !!problem)}>
                {rename ? renameVerb(rename.folder, name.trim(), parentPath) : 'Create'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  )
}

/** The rename dialog's button says what it will do: rename, move, or both. */
function renameVerb(folder: FolderRow, name: string, parentPath: string | null): string {
  const moved = parentPath !== folder.parentPath
  if (!moved) return 'Rename'
  return name === folder.name ? 'Move' : 'Rename and move'
}

function renameNotice(
  folder: FolderRow,
  name: string,
  parentPath: string | null,
  places: readonly { folder: FolderRow; label: string }[],
): string {
  if (parentPath === folder.parentPath) return `Folder renamed to “${name}”.`
  const place = places.find((p) => p.folder.path === parentPath)
  const where = place ? `into “${place.label}”` : 'to the top level'
  return name === folder.name
    ? `“${name}” moved ${where}.`
    : `Folder renamed to “${name}” and moved ${where}.`
}

/** What deleting `folder` would take with it, read from the cache (server counts where known). */
function useFolderContents(
  folder: FolderRow,
  trash: FolderRow | undefined,
): { folders: number; messages: number; inTrash: boolean } | undefined {
  const db = useMailDb()
  return useLiveQuery(async () => {
    if (!db) return undefined
    const all = await db.folders.where('accountId').equals(folder.accountId).toArray()
    const tree = folderSubtree(folder, all)
    let messages = 0
    for (const f of tree) {
      const cached = await keptMessageCount(db, [f.id])
      messages += f.local ? cached : Math.max(f.total, cached)
    }
    return {
      folders: tree.length,
      messages,
      inTrash: trash !== undefined && isInFolderTree(folder, trash, all),
    }
  }, [db, folder, trash])
}

/** Asks before deleting a folder, saying how many subfolders and messages go with it and where. */
export function DeleteFolderDialog({
  folder,
  trash,
  onClose,
}: {
  folder: FolderRow
  /** The account's Trash, for local folders (their mail goes there). */
  trash: FolderRow | undefined
  onClose(): void
}): React.JSX.Element {
  const contents = useFolderContents(folder, trash)
  const command = useDialogCommand(onClose)
  const subfolders = (contents?.folders ?? 1) - 1
  const messages = contents?.messages ?? 0
  const toTrash = folder.local && trash !== undefined && contents?.inTrash === false
  const what =
    subfolders > 0
      ? `“${folder.name}”, its ${plural(subfolders, 'subfolder')} and the ${plural(messages, 'message')} they hold`
      : `“${folder.name}” and the ${plural(messages, 'message')} it holds`
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="delete-folder-dialog">
        <DialogBody>
          <DialogTitle>Delete “{folder.name}”?</DialogTitle>
          <DialogContent>
            <Text as="p" block data-testid="delete-folder-summary">
              {contents === undefined
                ? 'Counting the messages in this folder…'
                : toTrash
                  ? `${what.charAt(0).toUpperCase()}${what.slice(1)}: the folders are removed and the messages moved to Trash.`
                  : folder.local
                    ? `${what.charAt(0).toUpperCase()}${what.slice(1)} are deleted for good.`
                    : `${what.charAt(0).toUpperCase()}${what.slice(1)} are deleted for good, here and on the server. ` +
                      'Move any mail you want to keep to another folder first.'}
            </Text>
            <ErrorBar error={command.error} />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              appearance="primary"
              disabled={command.busy || contents === undefined}
              onClick={() =>
                command.run(
                  { kind: 'delete-folder', folderId: folder.id },
                  `Folder “${folder.name}” deleted.`,
                )
              }
            >
              Delete folder
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}

/** Asks before emptying Trash or Junk: everything in it is deleted for good. */
export function EmptyFolderDialog({
  folder,
  onClose,
}: {
  folder: FolderRow
  onClose(): void
}): React.JSX.Element {
  const db = useMailDb()
  const count = useLiveQuery(
    async () => (db ? await keptMessageCount(db, [folder.id]) : undefined),
    [db, folder.id],
  )
  const command = useDialogCommand(onClose)
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="empty-folder-dialog">
        <DialogBody>
          <DialogTitle>Empty {folder.name}?</DialogTitle>
          <DialogContent>
            <Text as="p" block data-testid="empty-folder-summary">
              {count === undefined
                ? 'Counting…'
                : `The ${plural(count, 'message')} in ${folder.name} will be deleted for good${
                    folder.local ? '' : ', here and on the server'
                  }. This cannot be undone.`}
            </Text>
            <ErrorBar error={command.error} />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              appearance="primary"
              disabled={command.busy || count === undefined || count === 0}
              onClick={() =>
                command.run({ kind: 'empty-folder', folderId: folder.id }, `${folder.name} emptied.`)
              }
            >
              Empty {folder.name}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
