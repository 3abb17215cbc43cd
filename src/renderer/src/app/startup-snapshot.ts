import type { MailDb } from '../store/mail-db'
import { isInbox } from '../features/folder-pane/folder-tree'
import { listFolders } from '../store/queries/folders'
import type { AccountRow, FolderRow } from '../store/rows'

/**
 * The store's copy of the accounts and their folders, read once in one transaction right after the store
 * opens, before the first render: the first frame draws the folder tree (and the list it opens) at once
 * instead of after a chain of renders, each waiting for the next query (store open → accounts → folders →
 * inboxes). The live queries take over with their first answer; this only seeds their initial value.
 */
export interface StartupSnapshot {
  accounts: AccountRow[]
  /** Folders of `accounts`, as listFolders returns them. */
  folders: FolderRow[]
}

let snapshot: StartupSnapshot | undefined
let dropped = false

export async function readStartupSnapshot(db: MailDb): Promise<StartupSnapshot> {
  const read = await db.transaction('r', [db.accounts, db.folders], async () => {
    const accounts = await db.accounts.toArray()
    return {
      accounts,
      folders: await listFolders(
        db,
        accounts.map((a) => a.id),
      ),
    }
  })
  // Read too late for the first render (main.tsx stopped waiting): nothing will use it.
  if (!dropped) snapshot = read
  return read
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
