import { useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { useKeptWhileEqual } from '../../components/use-kept-while-equal'
import { sameRows, snapshotFolders } from '../../app/startup-snapshot'
import type { MailDb } from '../../store/mail-db'
import { listFolders } from '../../store/queries/folders'
import type { FolderRow } from '../../store/rows'

/** Folders of these accounts, live: the sync worker's commits re-run the query. */
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
  const live = useLiveQuery(
    async () => (db ? { key, rows: await listFolders(db, accountIds) } : undefined),
    [db, key],
    seed,
  )
  // An answer with the same rows as the last one (the first answer after the snapshot, a commit that
  // touched no folder) keeps the previous array: the tree does not render again for nothing.
  const rows = useKeptWhileEqual(live?.rows, (a, b) => a !== undefined && b !== undefined && sameRows(a, b))
  return { rows, current: live?.key === key }
}
