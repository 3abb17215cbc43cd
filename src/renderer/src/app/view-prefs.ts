import { readSetting } from '../components/local-settings'
import { isInbox } from '../features/folder-pane/folder-tree'
import type { ListSpec } from '../store/queries/message-window'
import type { FolderRow } from '../store/rows'

/**
 * The window's view settings that outlive the page (localStorage, local-settings.ts): the folder that was
 * open when the window closed, its filter and sort order, and the list options. Read synchronously, before
 * anything renders, so the startup snapshot reads the very list the first render will show. No React here
 * (start-store-read.ts imports this before React is evaluated).
 */
export type FolderChoice = { kind: 'folder'; folderId: string } | { kind: 'unified-inbox' }
export type ListFilter = ListSpec['filter']
export type ListOrder = ListSpec['order']
/** When a message shown in the reading pane is marked read: on being shown, after 5 seconds, or never. */
export type MarkReadWhen = 'shown' | 'after-5s' | 'never'

export const VIEW_KEYS = {
  folder: 'open-folder',
  filter: 'list-filter',
  order: 'list-order',
  unifiedInbox: 'unified-inbox',
  conversations: 'conversations',
  markRead: 'mark-read',
} as const

export const isBool = (v: unknown): v is boolean => typeof v === 'boolean'
export const isFilter = (v: unknown): v is ListFilter => v === 'all' || v === 'unread' || v === 'flagged'
export const isOrder = (v: unknown): v is ListOrder => v === 'newest' || v === 'oldest'
export const isMarkRead = (v: unknown): v is MarkReadWhen =>
  v === 'shown' || v === 'after-5s' || v === 'never'
export function isFolderChoice(v: unknown): v is FolderChoice | null {
  if (v === null) return true
  if (typeof v !== 'object') return false
  const c = v as { kind?: unknown; folderId?: unknown }
  return c.kind === 'unified-inbox' || (c.kind === 'folder' && typeof c.folderId === 'string')
}

export interface ViewPrefs {
  /** The folder open when the window last closed (it may no longer exist: see folderToOpen). */
  folder: FolderChoice | null
  filter: ListFilter
  order: ListOrder
  unifiedInbox: boolean
  conversations: boolean
}

export function readViewPrefs(): ViewPrefs {
  return {
    folder: readSetting(VIEW_KEYS.folder, null, isFolderChoice),
    filter: readSetting(VIEW_KEYS.filter, 'all', isFilter),
    order: readSetting(VIEW_KEYS.order, 'newest', isOrder),
    unifiedInbox: readSetting(VIEW_KEYS.unifiedInbox, true, isBool),
    conversations: readSetting(VIEW_KEYS.conversations, false, isBool),
  }
}

/**
 * What the window should show given the folders it has: `chosen` while it still exists (the unified Inbox
 * while it is shown), else the default: the unified Inbox, or the first account's Inbox, or nothing.
 * `showUnified`: the unified Inbox is on and there are accounts.
 */
export function folderToOpen(
  chosen: FolderChoice | null,
  folders: readonly FolderRow[],
  showUnified: boolean,
): FolderChoice | null {
  if (
    chosen?.kind === 'unified-inbox' ? showUnified : chosen && folders.some((f) => f.id === chosen.folderId)
  )
    return chosen
  const inbox = folders.find(isInbox)
  if (showUnified && inbox) return { kind: 'unified-inbox' }
  return inbox ? { kind: 'folder', folderId: inbox.id } : null
}
