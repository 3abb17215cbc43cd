import { useState } from 'react'
import { useKeptWhileEqual } from '../../components/use-kept-while-equal'
import { sameRows, snapshotFolders } from '../../app/startup-snapshot'
import type { MailDb } from '../../store/mail-db'
import { listFolders } from '../../store/queries/folders'
import { LIST_REFRESH_MS, useCoalescedLiveQuery } from '../../store/queries/use-coalesced-live-query'
import type { FolderRow } from '../../store/rows'

/** Folders of these accounts, live: the sync worker's commits re-run the query (paced: use-coalesced-live-query). */
export function useFolders(db: MailDb | undefined, accountIds: readonly string[]): FolderRow[] | undefined {
  return useFolderAnswer(db, accountIds).rows
}

/**
 * useFolders' answer, and whether it was read for exactly these accounts: after the accounts change, the
 * folders of the accounts before stay shown until the new answer, but are no answer for these accounts (the
 * folder pane would take the open folder for gone).
 */
export function useFolderAnswer(
  db: MailDb | undefined,
  accountIds: readonly string[],
): { rows: FolderRow[] | undefined; current: boolean } {
  const key = accountIds.join('\u0000')
  // Until the first answer: the startup snapshot, if it is of these accounts.
  const [seed] = useState(() => {
    const rows = snapshotFolders(accountIds)
    return rows && { key, rows }
  })
  // Paced like the list (at most once a second during a bulk write): a POP3 download changes the Inbox's counts
  // with every batch, and each answer renders the folder tree again.
  const live = useCoalescedLiveQuery(
    async () => (db ? { key, rows: await listFolders(db, accountIds) } : undefined),
    [db, key],
    LIST_REFRESH_MS,
    seed,
  )
  // An answer with the same rows as the last one (the first answer after the snapshot, a commit that
  // touched no folder) keeps the previous array: the tree does not render again for nothing.
  const rows = useKeptWhileEqual(live?.rows, (a, b) => a !== undefined && b !== undefined && sameRows(a, b))
  return { rows, current: live?.key === key }
}
