import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import type { StoredRow } from './chunk-layout'
import { folderRows, readDirectory, reading } from './folder-chunks'

/** Every message of a folder, oldest first. */
export async function folderMessages(db: MailDb, folderId: string): Promise<MessageRow[]> {
  return (await reading(db, (t) => folderRows(t, folderId))).reverse()
}

/** The ids of a folder's messages (oldest first). */
export async function folderMessageIds(db: MailDb, folderId: string): Promise<number[]> {
  return (await folderMessages(db, folderId)).map((r) => r.id!)
}

/** How many rows the folder holds (its directory's counts). */
export function countFolderMessages(db: MailDb, folderId: string): Promise<number> {
  return reading(db, async (t) => {
    const dir = await readDirectory(t, folderId)
    return dir ? dir.chunks.reduce((n, c) => n + c.count, 0) : 0
  })
}

/** Every message of an account, in any folder (folder by folder). */
export function accountMessages(db: MailDb, accountId: string): Promise<MessageRow[]> {
  return reading(db, async (t) => {
    const folders = await t.folders.where('accountId').equals(accountId).primaryKeys()
    const rows: StoredRow[] = []
    for (const folderId of folders) rows.push(...(await folderRows(t, folderId)))
    // A row moved to another account's folder keeps its folder's directory: filter by the row itself.
    return rows.filter((r) => r.accountId === accountId)
  })
}

/** The ids of every message of an account, in any folder. */
export async function accountMessageIds(db: MailDb, accountId: string): Promise<number[]> {
  return (await accountMessages(db, accountId)).map((r) => r.id!)
}
