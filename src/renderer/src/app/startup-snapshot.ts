import type { MailDb } from '../store/mail-db'
import { isInbox } from '../features/folder-pane/folder-tree'
import { listKey, readFirstScreen, type FirstScreen } from '../features/message-list/list-reads'
import { listFolders } from '../store/queries/folders'
import type { ListSpec } from '../store/queries/message-window'
import type { AccountRow, FolderRow } from '../store/rows'
import { folderToOpen, readViewPrefs, type FolderChoice, type ViewPrefs } from './view-prefs'

/**
 * The store's copy of the accounts and their folders, and the first screen of the list the window opens
 * with, read right after the store opens, before the first render: the first frame draws
 * the folder tree and the list's first rows at once instead of after a chain of renders, each waiting for the
 * next query (store open → accounts → folders → the list's counts → its rows). The live queries take over
 * with their first answer; this only seeds their initial values, and only in the first render.
 */
export interface StartupSnapshot {
  accounts: AccountRow[]
  /** Folders of `accounts`, as listFolders returns them. */
  folders: FolderRow[]
  /** What the window opens: the folder open when it was closed if it still exists, else the default. */
  open: FolderChoice | null
  /**
   * The first screen of the flat list of `open` (with the remembered filter and order), as the message list
   * reads it; undefined when the list opens another way (grouped by conversation) or nothing is open.
   */
  list: FirstScreen | undefined
}

let snapshot: StartupSnapshot | undefined
let dropped = false

export async function readStartupSnapshot(
  db: MailDb,
  prefs: ViewPrefs = readViewPrefs(),
  now: number = Date.now(),
): Promise<StartupSnapshot> {
  // The window reopens the remembered folder unless it is gone: its first screen is read alongside the
  // accounts and folders rather than after them (each read waits a round trip to the browser's store).
  const guess: ListSpec | null =
    prefs.folder?.kind === 'folder' && !prefs.conversations
      ? { folderIds: [prefs.folder.folderId], filter: prefs.filter, order: prefs.order }
      : null
  const early = guess ? readFirstScreen(db, guess, now) : undefined
  // Read even if it goes unused: a rejection must not go unhandled.
  early?.catch(() => undefined)
  const { accounts, folders } = await db.transaction('r', [db.accounts, db.folders], async () => {
    const accounts = await db.accounts.toArray()
    return {
      accounts,
      folders: await listFolders(
        db,
        accounts.map((a) => a.id),
      ),
    }
  })
  const open = folderToOpen(prefs.folder, folders, prefs.unifiedInbox && accounts.length > 0)
  const spec = listSpecOf(open, folders, prefs)
  // A transaction of its own, as the list's live queries read it (a folder deleted in between reads as an
  // empty list, which the live queries then replace).
  const list =
    spec && !prefs.conversations
      ? early && listKey(spec) === listKey(guess)
        ? await early
        : await readFirstScreen(db, spec, now)
      : undefined
  const read: StartupSnapshot = { accounts, folders, open, list }
  // Read too late for the first render (main.tsx stopped waiting): nothing will use it.
  if (!dropped) snapshot = read
  return read
}

/** The list useListSpec builds for `open` (the unified Inbox: every account's Inbox, in folder order). */
function listSpecOf(
  open: FolderChoice | null,
  folders: readonly FolderRow[],
  prefs: ViewPrefs,
): ListSpec | null {
  const { filter, order } = prefs
  if (open?.kind === 'folder') return { folderIds: [open.folderId], filter, order }
  const inboxes = folders.filter(isInbox).map((f) => f.id)
  return open?.kind === 'unified-inbox' && inboxes.length > 0 ? { folderIds: inboxes, filter, order } : null
}

/** The snapshot, if it has been read and the first render has not been committed yet. */
export function startupSnapshot(): StartupSnapshot | undefined {
  return snapshot
}

/**
 * Called once the first render is committed: what mounts later (a dialog listing folders) must not start
 * from a copy that may be stale by then.
 */
export function dropStartupSnapshot(): void {
  dropped = true
  snapshot = undefined
}

/**
 * The snapshot's folders of exactly these accounts (what listFolders would answer if nothing changed since),
 * or undefined if the snapshot is not read or is of other accounts.
 */
export function snapshotFolders(accountIds: readonly string[]): FolderRow[] | undefined {
  if (!snapshot) return undefined
  const ids = new Set(snapshot.accounts.map((a) => a.id))
  if (ids.size !== accountIds.length || !accountIds.every((id) => ids.has(id))) return undefined
  return snapshot.folders
}

/** Whether two query answers hold the same rows (plain store rows: their JSON says it). */
export function sameRows(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b)
}

/** The ids of the snapshot's inboxes of these accounts (as inboxFolderIds), or undefined. */
export function snapshotInboxIds(accountIds: readonly string[]): string[] | undefined {
  return snapshotFolders(accountIds)
    ?.filter(isInbox)
    .map((f) => f.id)
}

/** The snapshot's first screen of the list named `key` (listKey), or undefined if it read another list. */
export function snapshotFirstScreen(key: string): FirstScreen | undefined {
  const list = snapshot?.list
  return list && list.key === key ? list : undefined
}
