import { useState } from 'react'
import { MenuDivider, MenuItem, MenuList, MenuPopover } from '@fluentui/react-components'
import {
  ArrowDownloadRegular,
  ArrowUploadRegular,
  DeleteDismissRegular,
  DeleteRegular,
  FolderAddRegular,
  RenameRegular,
  StarOffRegular,
  StarRegular,
} from '@fluentui/react-icons'
import type { FolderRow } from '../../store/rows'
import { useArchiveDialogs } from '../folder-actions/archive-dialogs'
import { useExportMbox } from '../folder-actions/use-export-mbox'
import { useFavorites } from './favorites'
import { DeleteFolderDialog, EmptyFolderDialog, FolderNameDialog, isProtectedFolder } from './FolderDialogs'
import { isSelectable } from './folder-tree'

export type FolderDialog =
  | { kind: 'create'; accountId: string; parent: FolderRow | null }
  | { kind: 'rename' | 'delete' | 'empty'; folder: FolderRow }

/**
 * The folder dialogs: which one is open, and the dialog itself. Rendered outside the folder tree: React
 * events bubble out of portals, and the tree's keyboard handling must not see the dialog's typing.
 */
export function useFolderDialogs(allFolders: readonly FolderRow[]): {
  open(dialog: FolderDialog): void
  element: React.JSX.Element | null
} {
  const [dialog, setDialog] = useState<FolderDialog | null>(null)
  const close = (): void => setDialog(null)
  const accountId = dialog?.kind === 'create' ? dialog.accountId : dialog?.folder.accountId
  const folders = allFolders.filter((f) => f.accountId === accountId)
  let element: React.JSX.Element | null = null
  if (dialog?.kind === 'create') {
    const delimiter = dialog.parent?.delimiter ?? folders.find((f) => f.delimiter !== null)?.delimiter ?? '/'
    element = (
      <FolderNameDialog
        mode="create"
        accountId={dialog.accountId}
        parent={dialog.parent}
        delimiter={delimiter}
        onClose={close}
      />
    )
  } else if (dialog?.kind === 'rename') {
    element = <FolderNameDialog mode="rename" folder={dialog.folder} folders={folders} onClose={close} />
  } else if (dialog?.kind === 'delete') {
    const trash = folders.find((f) => f.specialUse === 'trash')
    element = <DeleteFolderDialog folder={dialog.folder} trash={trash} onClose={close} />
  } else if (dialog?.kind === 'empty') {
    element = <EmptyFolderDialog folder={dialog.folder} onClose={close} />
  }
  return { open: setDialog, element }
}

/**
 * React events bubble out of portals: without this, choosing a menu item would also click the tree item the
 * menu belongs to (opening or collapsing it, selecting the folder).
 */
export const keepInMenu = {
  onClick: (e: React.SyntheticEvent): void => e.stopPropagation(),
  onKeyDown: (e: React.SyntheticEvent): void => e.stopPropagation(),
}

/** A folder's context menu: Favorites, new subfolder, rename, delete; Empty for Trash and Junk. */
export function FolderMenuPopover({
  folder,
  open,
}: {
  folder: FolderRow
  open(dialog: FolderDialog): void
}): React.JSX.Element {
  const fixed = isProtectedFolder(folder)
  const bin = folder.specialUse === 'trash' || folder.specialUse === 'junk'
  const favorites = useFavorites()
  const pinned = favorites.has(folder.id)
  const archive = useArchiveDialogs()
  const exportMbox = useExportMbox()
  return (
    <MenuPopover {...keepInMenu}>
      <MenuList>
        {isSelectable(folder) && (
          <>
            <MenuItem
              icon={pinned ? <StarOffRegular /> : <StarRegular />}
              onClick={() => favorites.toggle(folder.id)}
            >
              {pinned ? 'Remove from Favorites' : 'Add to Favorites'}
            </MenuItem>
            <MenuDivider />
          </>
        )}
        <MenuItem
          icon={<FolderAddRegular />}
          onClick={() => open({ kind: 'create', accountId: folder.accountId, parent: folder })}
        >
          New subfolder…
        </MenuItem>
        {!fixed && (
          <MenuItem icon={<RenameRegular />} onClick={() => open({ kind: 'rename', folder })}>
            Rename or move…
          </MenuItem>
        )}
        {!fixed && (
          <MenuItem icon={<DeleteRegular />} onClick={() => open({ kind: 'delete', folder })}>
            Delete folder…
          </MenuItem>
        )}
        {bin && (
          <MenuItem icon={<DeleteDismissRegular />} onClick={() => open({ kind: 'empty', folder })}>
            Empty {folder.name}…
          </MenuItem>
        )}
        {isSelectable(folder) && <MenuDivider />}
        {folder.local && (
          <MenuItem icon={<ArrowUploadRegular />} onClick={() => archive.importInto(folder)}>
            Import mbox or .eml…
          </MenuItem>
        )}
        {isSelectable(folder) && (
          <MenuItem icon={<ArrowDownloadRegular />} onClick={() => exportMbox({ folderId: folder.id })}>
            Export as mbox
          </MenuItem>
        )}
      </MenuList>
    </MenuPopover>
  )
}
