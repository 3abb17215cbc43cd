import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** One message by its store id (undefined: not stored, e.g. deleted meanwhile). */
export function getMessage(db: MailDb, id: number): Promise<MessageRow | undefined> {
  return db.messages.get(id)
}

/** Messages by store id, in the order asked (undefined where one is not stored). */
export function getMessages(db: MailDb, ids: readonly number[]): Promise<(MessageRow | undefined)[]> {
  return db.messages.bulkGet([...ids])
}

/** The stored ones of these messages, in the order asked. */
export async function getStoredMessages(db: MailDb, ids: readonly number[]): Promise<MessageRow[]> {
  return (await getMessages(db, ids)).filter((r): r is MessageRow => r !== undefined)
}
