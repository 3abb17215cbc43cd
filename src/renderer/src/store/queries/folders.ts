import type { MailDb } from '../mail-db'
import type { FolderRow } from '../rows'

/** Every folder of the given accounts; a few hundred rows at most, so one query is fine. */
export function listFolders(db: MailDb, accountIds: readonly string[]): Promise<FolderRow[]> {
  return db.folders
    .where('accountId')
    .anyOf([...accountIds])
    .toArray()
}

/** The INBOX of each account, for the unified Inbox. */
export async function inboxFolderIds(db: MailDb, accountIds: readonly string[]): Promise<string[]> {
  const folders = await listFolders(db, accountIds)
  return folders.filter((f) => f.specialUse === 'inbox' || f.path.toUpperCase() === 'INBOX').map((f) => f.id)
}
