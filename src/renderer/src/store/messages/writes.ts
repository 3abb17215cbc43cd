import type { UpdateSpec } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/*
 * Every write of message rows. Each runs in the caller's transaction when there is one (its scope must hold
 * `messageTables(db)`), and listBucketMiddleware keeps the per-day counts and thread rows in step below it.
 */

/** Stores a new message; returns its id. */
export function addMessage(db: MailDb, row: MessageRow): Promise<number> {
  return db.messages.add(row) as Promise<number>
}

/** Stores new messages; returns their ids in the order given. */
export async function addMessages(db: MailDb, rows: readonly MessageRow[]): Promise<number[]> {
  return (await db.messages.bulkAdd([...rows], { allKeys: true })) as number[]
}

/** Stores rows whole: a row with an id replaces the stored one, one without is added. */
export async function putMessages(db: MailDb, rows: readonly MessageRow[]): Promise<void> {
  await db.messages.bulkPut([...rows])
}

/** Changes fields of one message; returns 1 if it was stored, 0 if not. */
export function updateMessage(db: MailDb, id: number, changes: UpdateSpec<MessageRow>): Promise<number> {
  return db.messages.update(id, changes)
}

export async function deleteMessages(db: MailDb, ids: readonly number[]): Promise<void> {
  await db.messages.bulkDelete([...ids])
}

export function deleteMessage(db: MailDb, id: number): Promise<void> {
  return db.messages.delete(id)
}

/** Every message of `fromFolderId` now belongs to `toFolderId` (a folder renamed or moved); returns how many. */
export function moveFolderMessages(db: MailDb, fromFolderId: string, toFolderId: string): Promise<number> {
  return db.messages.where('folderId').equals(fromFolderId).modify({ folderId: toFolderId })
}
