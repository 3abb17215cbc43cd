import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** A folder's rows as one [folderId+date] range: oldest first. */
const inFolder = (db: MailDb, folderId: string) =>
  db.messages.where('[folderId+date]').between([folderId, Dexie.minKey], [folderId, Dexie.maxKey])

/** Every message of a folder, oldest first. */
export function folderMessages(db: MailDb, folderId: string): Promise<MessageRow[]> {
  return inFolder(db, folderId).toArray()
}

/** The ids of a folder's messages (oldest first). */
export async function folderMessageIds(db: MailDb, folderId: string): Promise<number[]> {
  return (await inFolder(db, folderId).primaryKeys()) as number[]
}

/** How many rows the folder holds, counted over its index range (not the kept per-day counts). */
export function countFolderMessages(db: MailDb, folderId: string): Promise<number> {
  return inFolder(db, folderId).count()
}

/** The ids of every message of an account, in any folder. */
export async function accountMessageIds(db: MailDb, accountId: string): Promise<number[]> {
  return (await db.messages.where('accountId').equals(accountId).primaryKeys()) as number[]
}

/** Messages (any folder) carrying one of these Message-ID header values. */
export function messagesByHeaderId(db: MailDb, messageIds: readonly string[]): Promise<MessageRow[]> {
  return db.messages
    .where('messageId')
    .anyOf([...messageIds])
    .toArray()
}

/** Every message of an account, in any folder. */
export function accountMessages(db: MailDb, accountId: string): Promise<MessageRow[]> {
  return db.messages.where('accountId').equals(accountId).toArray()
}
