import { useMemo, useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components'
import { useAccounts } from '../../app/accounts-context'
import { useMailDb } from '../../app/use-mail-db'
import { errorMessage, useNotify } from '../../components/notify'
import { useWorkerLink } from '../../sync/worker-link-context'
import { buildFolderTree, isInbox, isSelectable, type FolderNode } from '../folder-pane/folder-tree'
import { useFolders } from '../folder-pane/use-folders'
import { messageCount, transferNotice } from './transfer-notice'

const useStyles = makeStyles({
  list: { maxHeight: '50vh', overflowY: 'auto', display: 'flex', flexDirection: 'column' },
  account: { marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3 },
  group: { display: 'flex', flexDirection: 'column' },
})

interface Choice {
  id: string
  label: string
  depth: number
}

function flatten(nodes: readonly FolderNode[], depth: number, out: Choice[]): Choice[] {
  for (const { folder, children } of nodes) {
    if (isSelectable(folder)) {
      out.push({
        id: folder.id,
        label: isInbox(folder) && folder.parentPath === null ? 'Inbox' : folder.name,
        depth,
      })
    }
    flatten(children, depth + 1, out)
  }
  return out
}

/**
 * "Move to folder…" (Ctrl+Shift+V) and "Copy to folder…": every folder of every account. Local mail copied
 * or moved to a server folder is uploaded by the sync worker (queued: it works offline too).
 */
export function FolderPickerDialog({
  mode,
  messageIds,
  onClose,
}: {
  mode: 'move' | 'copy'
  messageIds: number[]
  onClose(): void
}): React.JSX.Element {
  const styles = useStyles()
  const link = useWorkerLink()
  const notify = useNotify()
  const db = useMailDb()
  const { accounts } = useAccounts()
  const accountIds = useMemo(() => (accounts ?? []).map((a) => a.id), [accounts])
  const folders = useFolders(db, accountIds)
  const [target, setTarget] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const groups = useMemo(
    () =>
      (accounts ?? []).map((a) => ({
        account: a,
        choices: flatten(buildFolderTree((folders ?? []).filter((f) => f.accountId === a.id)), 0, []),
      })),
    [accounts, folders],
  )
  const count = messageCount(messageIds.length)

  const submit = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      const result = (await link.command({ kind: mode, messageIds, toFolderId: target })) as {
        queued?: number
      } | null
      const chosen = folders?.find((f) => f.id === target)
      const name = chosen
        ? isInbox(chosen) && chosen.parentPath === null
          ? 'Inbox'
          : chosen.name
        : 'the folder'
      notify.info(transferNotice(mode, messageIds.length, name, result?.queued ?? 0), 'success')
      onClose()
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="folder-picker-dialog">
        <DialogBody>
          <DialogTitle>
            {mode === 'move' ? 'Move' : 'Copy'} {count} to…
          </DialogTitle>
          <DialogContent>
            <RadioGroup
              className={styles.list}
              value={target}
              onChange={(_, d) => setTarget(d.value)}
              aria-label="Folders"
            >
              {groups.map(({ account, choices }) => (
                <div key={account.id} role="presentation" className={styles.group}>
                  <Text className={styles.account} size={200} weight="semibold" block>
                    {account.name}
                  </Text>
                  {choices.map((c) => (
                    <Radio
                      key={c.id}
                      value={c.id}
                      label={c.label}
                      style={{ paddingLeft: `${c.depth * 16}px` }}
                      data-testid="folder-choice"
                    />
                  ))}
                </div>
              ))}
            </RadioGroup>
            {error && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy || !target} onClick={() => void submit()}>
              {mode === 'move' ? 'Move' : 'Copy'}
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
