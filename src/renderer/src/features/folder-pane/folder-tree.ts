import type { FolderRow, SpecialUse } from '../../store/rows'

export interface FolderNode {
  folder: FolderRow
  children: FolderNode[]
}

const ROLE_ORDER: readonly SpecialUse[] = [
  'inbox',
  'drafts',
  'sent',
  'archive',
  'junk',
  'trash',
  'all',
  'flagged',
]

export function isInbox(f: Pick<FolderRow, 'specialUse' | 'path'>): boolean {
  return f.specialUse === 'inbox' || f.path.toUpperCase() === 'INBOX'
}

/** RFC 3501 §5.1: INBOX is case-insensitive and servers spell it in capitals; people read "Inbox". */
export function folderLabel(folder: FolderRow): string {
  return isInbox(folder) && folder.parentPath === null ? 'Inbox' : folder.name
}

/** \Noselect containers (RFC 3501 §7.2.2) hold folders but no messages: not openable. */
export function isSelectable(f: FolderRow): boolean {
  // Rows written before the `selectable` field existed have it undefined: they were selectable.
  return (f as Partial<Pick<FolderRow, 'selectable'>>).selectable !== false
}

function rank(f: FolderRow): number {
  const role = isInbox(f) ? 'inbox' : f.specialUse
  const i = role ? ROLE_ORDER.indexOf(role) : -1
  return i === -1 ? ROLE_ORDER.length : i
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

function compare(a: FolderNode, b: FolderNode): number {
  return rank(a.folder) - rank(b.folder) || collator.compare(a.folder.name, b.folder.name)
}

/**
 * One account's folders as a tree: special-use folders first in Outlook's order (Inbox, Drafts, Sent,
 * Archive, Junk, Trash), the rest by name. A folder whose parent is missing (not subscribed, not synced
 * yet) is shown at the top level rather than hidden.
 */
export function buildFolderTree(folders: readonly FolderRow[]): FolderNode[] {
  const byPath = new Map<string, FolderNode>()
  for (const folder of folders) byPath.set(folder.path, { folder, children: [] })
  const roots: FolderNode[] = []
  for (const node of byPath.values()) {
    const parent = node.folder.parentPath === null ? undefined : byPath.get(node.folder.parentPath)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (nodes: FolderNode[]): FolderNode[] => {
    nodes.sort(compare)
    for (const n of nodes) sort(n.children)
    return nodes
  }
  return sort(roots)
}
