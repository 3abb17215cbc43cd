import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/*
 * Scans over every folder in store-id order. Ids are given in storing order and never reused, so "above id X"
 * means "stored after X": the background word indexer, the new-mail notifier and the address book read the
 * store this way, and the orphan sweep needs every live id.
 */

/** The `limit` highest ids (newest stored first). */
export async function newestMessageIds(db: MailDb, limit: number): Promise<number[]> {
  return (await db.messages.orderBy(':id').reverse().limit(limit).primaryKeys()) as number[]
}

/** The `limit` most recently stored rows, newest first. */
export function newestMessages(db: MailDb, limit: number): Promise<MessageRow[]> {
  return db.messages.orderBy(':id').reverse().limit(limit).toArray()
}

/** Up to `limit` rows with ids above `above`, ascending. */
export function messagesAboveId(db: MailDb, above: number, limit: number): Promise<MessageRow[]> {
  return db.messages.where(':id').above(above).limit(limit).toArray()
}

/** Every stored message id. */
export async function allMessageIds(db: MailDb): Promise<number[]> {
  return (await db.messages.toCollection().primaryKeys()) as number[]
}

/** Up to `limit` rows with ids in (`above`, `upTo`] that `match`, newest stored first. */
export function findMessagesInIdRange(
  db: MailDb,
  above: number,
  upTo: number,
  match: (row: MessageRow) => boolean,
  limit: number,
): Promise<MessageRow[]> {
  return db.messages
    .where(':id')
    .between(above, upTo, false, true)
    .reverse()
    .filter(match)
    .limit(limit)
    .toArray()
}

/** Every stored row, by id: for tests and checks that compare the whole store. */
export function allMessages(db: MailDb): Promise<MessageRow[]> {
  return db.messages.toArray()
}
