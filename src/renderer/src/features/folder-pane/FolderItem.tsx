import {
  Button,
  CounterBadge,
  Menu,
  MenuTrigger,
  makeStyles,
  mergeClasses,
  tokens,
  TreeItem,
  TreeItemLayout,
  Tree,
} from '@fluentui/react-components'
import { useMailView } from '../../app/mail-view'
import { MoreHorizontalRegular } from '@fluentui/react-icons'
import { FolderIcon } from './folder-icon'
import { FolderMenuPopover, type FolderDialog } from './FolderMenu'
import { isInbox, isSelectable, type FolderNode } from './folder-tree'

export const useTreeStyles = makeStyles({
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
  },
  disabled: { color: tokens.colorNeutralForegroundDisabled, cursor: 'default' },
})

/**
 * One folder and its subfolders. \Noselect folders expand but never open. Its menu (right click, the context
 * menu key, or the ⋯ button on hover) manages folders.
 */
export function FolderItem({
  node,
  openDialog,
}: {
  node: FolderNode
  openDialog(dialog: FolderDialog): void
}): React.JSX.Element {
  const styles = useTreeStyles()
  const view = useMailView()
  const { folder, children } = node
  const selectable = isSelectable(folder)
  const selected = view.folder?.kind === 'folder' && view.folder.folderId === folder.id
  return (
    <TreeItem
      itemType={children.length > 0 ? 'branch' : 'leaf'}
      value={folder.id}
      aria-selected={selectable ? selected : undefined}
      aria-disabled={selectable ? undefined : true}
      data-testid="folder-item"
      data-folder-path={folder.path}
      onClick={() => {
        if (selectable) view.chooseFolder({ kind: 'folder', folderId: folder.id })
      }}
    >
      <Menu positioning="below-end" openOnContext>
        <MenuTrigger disableButtonEnhancement>
          <TreeItemLayout
            className={mergeClasses(selected && styles.selected, !selectable && styles.disabled)}
            iconBefore={<FolderIcon folder={folder} />}
            actions={
              <Menu positioning="below-end">
                <MenuTrigger disableButtonEnhancement>
                  <Button
                    appearance="subtle"
                    size="small"
                    icon={<MoreHorizontalRegular />}
                    aria-label={`Options for folder ${folder.name}`}
                  />
                </MenuTrigger>
                <FolderMenuPopover folder={folder} open={openDialog} />
              </Menu>
            }
            aside={
              folder.unread > 0 ? (
                <CounterBadge
                  count={folder.unread}
                  overflowCount={99_999}
                  appearance="ghost"
                  color="brand"
                  size="small"
                  aria-label={`${folder.unread} unread`}
                />
              ) : undefined
            }
          >
            {/* RFC 3501 §5.1: INBOX is case-insensitive and servers spell it in capitals; people read "Inbox". */}
            {isInbox(folder) && folder.parentPath === null ? 'Inbox' : folder.name}
          </TreeItemLayout>
        </MenuTrigger>
        <FolderMenuPopover folder={folder} open={openDialog} />
      </Menu>
      {children.length > 0 && (
        <Tree>
          {children.map((c) => (
            <FolderItem key={c.folder.id} node={c} openDialog={openDialog} />
          ))}
        </Tree>
      )}
    </TreeItem>
  )
}
