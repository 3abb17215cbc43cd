import {
  CounterBadge,
  makeStyles,
  mergeClasses,
  tokens,
  TreeItem,
  TreeItemLayout,
  Tree,
} from '@fluentui/react-components'
import { useMailView } from '../../app/mail-view'
import { FolderIcon } from './folder-icon'
import { isInbox, isSelectable, type FolderNode } from './folder-tree'

export const useTreeStyles = makeStyles({
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
  },
  disabled: { color: tokens.colorNeutralForegroundDisabled, cursor: 'default' },
})

/** One folder and its subfolders. \Noselect folders expand but never open. */
export function FolderItem({ node }: { node: FolderNode }): React.JSX.Element {
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
      <TreeItemLayout
        className={mergeClasses(selected && styles.selected, !selectable && styles.disabled)}
        iconBefore={<FolderIcon folder={folder} />}
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
      {children.length > 0 && (
        <Tree>
          {children.map((c) => (
            <FolderItem key={c.folder.id} node={c} />
          ))}
        </Tree>
      )}
    </TreeItem>
  )
}
