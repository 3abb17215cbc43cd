import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Option,
  OptionGroup,
  Listbox,
} from '@fluentui/react-components'
import { useAccounts } from '../../app/accounts-context'
import { useMailDb } from '../../app/use-mail-db'
import { buildFolderTree, isInbox, isSelectable, type FolderNode } from '../folder-pane/folder-tree'
import { useFolders } from '../folder-pane/use-folders'
import { useMailActions } from './use-mail-actions'

interface MoveDialogApi {
  /** Opens "Move to folder" for the selected messages (Ctrl+Shift+V, the context menu). */
  openMove(): void
}

const MoveDialogContext = createContext<MoveDialogApi>({ openMove: () => undefined })

export function useMoveDialog(): MoveDialogApi {
  return useContext(MoveDialogContext)
}

function flatten(nodes: readonly FolderNode[], depth = 0): { id: string; label: string; depth: number }[] {
  return nodes.flatMap((n) => [
    ...(isSelectable(n.folder)
      ? [{ id: n.folder.id, label: isInbox(n.folder) && depth === 0 ? 'Inbox' : n.folder.name, depth }]
      : []),
    ...flatten(n.children, depth + 1),
  ])
}

/**
 * The keyboard (and mouse) way to do what dragging onto the folder pane does: pick a folder from a list
 * (type-ahead, arrows, Enter) and move the selected messages there.
 */
export function MoveDialogProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [open, setOpen] = useState(false)
  const openMove = useCallback(() => setOpen(true), [])
  const api = useMemo(() => ({ openMove }), [openMove])
  return (
    <MoveDialogContext.Provider value={api}>
      {children}
      {open && <MoveDialog onClose={() => setOpen(false)} />}
    </MoveDialogContext.Provider>
  )
}

function MoveDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const { accounts } = useAccounts()
  const db = useMailDb()
  const actions = useMailActions()
  const accountIds = useMemo(() => (accounts ?? []).map((a) => a.id), [accounts])
  const folders = useFolders(db, accountIds)
  const [target, setTarget] = useState<string | null>(null)
  const move = (): void => {
    if (!target) return
    actions.moveSelected(target)
    onClose()
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby={undefined} data-testid="move-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            move()
          }}
        >
          <DialogBody>
            <DialogTitle>Move to folder</DialogTitle>
            <DialogContent>
              <Field label="Folder">
                <Listbox
                  style={{ maxHeight: '50vh', overflowY: 'auto' }}
                  selectedOptions={target ? [target] : []}
                  onOptionSelect={(_, d) => setTarget(d.optionValue ?? null)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && target) {
                      e.preventDefault()
                      move()
                    }
                  }}
                >
                  {(accounts ?? []).map((account) => (
                    <OptionGroup key={account.id} label={account.name}>
                      {flatten(
                        buildFolderTree((folders ?? []).filter((f) => f.accountId === account.id)),
                      ).map((f) => (
                        <Option
                          key={f.id}
                          value={f.id}
                          text={f.label}
                          style={{ paddingLeft: `${8 + f.depth * 16}px` }}
                        >
                          {f.label}
                        </Option>
                      ))}
                    </OptionGroup>
                  ))}
                </Listbox>
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={!target}>
                Move
              </Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  )
}
