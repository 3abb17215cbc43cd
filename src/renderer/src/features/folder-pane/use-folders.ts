import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../../store/mail-db'
import { listFolders } from '../../store/queries/folders'
import type { FolderRow } from '../../store/rows'

/** Folders of these accounts, live: the sync worker's commits re-run the query. */
export function useFolders(db: MailDb | undefined, accountIds: readonly string[]): FolderRow[] | undefined {
  const key = accountIds.join('\u0000')
  return useLiveQuery(() => (db ? listFolders(db, accountIds) : undefined), [db, key])
}
