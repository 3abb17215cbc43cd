import {
  Button,
  CounterBadge,
  makeStyles,
  Menu,
  MenuTrigger,
  mergeClasses,
  tokens,
  TreeItem,
  TreeItemLayout,
  Tree,
} from '@fluentui/react-components'
import { MoreHorizontalRegular } from '@fluentui/react-icons'
import { memo, useState } from 'react'
import { useMailView } from '../../app/mail-view'
import type { FolderRow } from '../../store/rows'
import { useMailActions } from '../actions/use-mail-actions'
import { isMessageDrag } from '../message-list/message-drag'
import { useArchiveDialogs } from '../folder-actions/archive-dialogs'
import { FolderIcon } from './folder-icon'
import { FolderMenuPopover, type FolderDialog } from './FolderMenu'
import { folderLabel, isSelectable, type FolderNode } from './folder-tree'

export const useTreeStyles = makeStyles({
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
  },
  disabled: { color: tokens.colorNeutralForegroundDisabled, cursor: 'default' },
  dropTarget: {
    outline: `2px dashed ${tokens.colorBrandStroke1}`,
    outlineOffset: '-2px',
    backgroundColor: tokens.colorBrandBackground2,
  },
})

/**
 * A folder's row in the tree (in its account, or under Favorites): takes dropped messages, and its menu
 * (right click, the context menu key, or the ⋯ button on hover) manages folders and Favorites.
 */
function FolderLayout({
  folder,
  label,
  testId,
  openDialog,
}: {
  folder: FolderRow
  label: string
  testId: string
  openDialog(dialog: FolderDialog): void
}): React.JSX.Element {
  const styles = useTreeStyles()
  const view = useMailView()
  const actions = useMailActions()
  const selectable = isSelectable(folder)
  const selected = view.folder?.kind === 'folder' && view.folder.folderId === folder.id
  const archive = useArchiveDialogs()
  // mbox and .eml files dropped on a local folder are imported into it.
  const isFileDrop = (e: React.DragEvent): boolean => folder.local && e.dataTransfer.types.includes('Files')
  const [dropping, setDropping] = useState(false)
  // Messages dropped here move (the same command as Move to folder…, Ctrl+Shift+V); with Ctrl held (Option on
  // a Mac, as in Finder and Outlook for Mac) they are copied.
  const copies = (e: React.DragEvent): boolean => e.ctrlKey || e.altKey
  const dropProps = selectable
    ? {
        onDragOver: (e: React.DragEvent) => {
          if (!isMessageDrag(e) && !isFileDrop(e)) return
          e.preventDefault()
          e.stopPropagation()
          e.dataTransfer.dropEffect = isFileDrop(e) || copies(e) ? 'copy' : 'move'
          if (!dropping) setDropping(true)
        },
        onDragLeave: (e: React.DragEvent) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false)
        },
        onDrop: (e: React.DragEvent) => {
          if (isFileDrop(e)) {
            e.preventDefault()
            e.stopPropagation()
            setDropping(false)
            archive.importInto(folder, [...e.dataTransfer.files])
            return
          }
          if (!isMessageDrag(e)) return
          e.preventDefault()
          e.stopPropagation()
          setDropping(false)
          if (copies(e)) actions.copySelected(folder.id, label)
          else actions.moveSelected(folder.id)
        },
      }
    : {}
  return (
    <Menu positioning="below-end" openOnContext>
      <MenuTrigger disableButtonEnhancement>
        <TreeItemLayout
          {...dropProps}
          data-testid={testId}
          data-drop-target={dropping || undefined}
          className={mergeClasses(
            selected && styles.selected,
            !selectable && styles.disabled,
            dropping && styles.dropTarget,
          )}
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
          {label}
        </TreeItemLayout>
      </MenuTrigger>
      <FolderMenuPopover folder={folder} open={openDialog} />
    </Menu>
  )
}

interface FolderItemProps {
  node: FolderNode
  openDialog(dialog: FolderDialog): void
}

/**
 * One folder and its subfolders. \Noselect folders expand but never open. Drawn again only when its folders
 * changed: each commit of a sync reads every folder row anew (the counts of one changed), and a folder's row
 * holds two Fluent menus, the costliest part of the pane to draw.
 */
export const FolderItem = memo(
  FolderItemView,
  (a: FolderItemProps, b: FolderItemProps) =>
    a.openDialog === b.openDialog && JSON.stringify(a.node) === JSON.stringify(b.node),
)

function FolderItemView({ node, openDialog }: FolderItemProps): React.JSX.Element {
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
      <FolderLayout
        folder={folder}
        label={folderLabel(folder)}
        testId="folder-layout"
        openDialog={openDialog}
      />
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

/** A pinned folder under Favorites: named with its account when two accounts have one of that name. */
export function FavoriteItem({
  folder,
  label,
  openDialog,
}: {
  folder: FolderRow
  label: string
  openDialog(dialog: FolderDialog): void
}): React.JSX.Element {
  const view = useMailView()
  const selected = view.folder?.kind === 'folder' && view.folder.folderId === folder.id
  return (
    <TreeItem
      itemType="leaf"
      value={`favorite:${folder.id}`}
      aria-selected={selected}
      data-testid="favorite-item"
      data-folder-path={folder.path}
      onClick={() => view.chooseFolder({ kind: 'folder', folderId: folder.id })}
    >
      <FolderLayout folder={folder} label={label} testId="favorite-layout" openDialog={openDialog} />
    </TreeItem>
  )
}
