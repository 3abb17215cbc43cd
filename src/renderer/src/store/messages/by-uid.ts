import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

const byUid = (db: MailDb) => db.messages.where('[folderId+uid]')

/**
 * The folder's cached rows with these UIDs (in no particular order; a UID not cached is left out). A dense
 * set of UIDs (a new batch, usually) is read as one range and filtered, which costs less than one key lookup
 * per UID.
 */
export async function messagesByUids(
  db: MailDb,
  folderId: string,
  uids: readonly number[],
): Promise<MessageRow[]> {
  if (uids.length === 0) return []
  // A loop, not Math.min(...uids): a diff may carry more new UIDs than a call can take arguments.
  let low = Infinity
  let high = -Infinity
  for (const uid of uids) {
    low = Math.min(low, uid)
    high = Math.max(high, uid)
  }
  if (high - low < 2 * uids.length) {
    const wanted = new Set(uids)
    const inRange = await byUid(db).between([folderId, low], [folderId, high], true, true).toArray()
    return inRange.filter((m) => m.uid !== null && wanted.has(m.uid))
  }
  return byUid(db)
    .anyOf(uids.map((uid) => [folderId, uid]))
    .toArray()
}

/** The store ids of the folder's rows with these UIDs (one key lookup each). */
export async function messageIdsByUids(
  db: MailDb,
  folderId: string,
  uids: readonly number[],
): Promise<number[]> {
  return (await byUid(db)
    .anyOf(uids.map((uid) => [folderId, uid]))
    .primaryKeys()) as number[]
}

/** The folder's rows with these UIDs, one key lookup each (for scattered UIDs: flag changes). */
export function messagesAtUids(db: MailDb, folderId: string, uids: readonly number[]): Promise<MessageRow[]> {
  return byUid(db)
    .anyOf(uids.map((uid) => [folderId, uid]))
    .toArray()
}

/** Every UID the folder has a row for, ascending (local rows without a UID are left out). */
export async function folderUids(db: MailDb, folderId: string): Promise<number[]> {
  const keys = (await byUid(db).between([folderId, 1], [folderId, Infinity]).keys()) as unknown as [
    string,
    number,
  ][]
  return keys.map(([, uid]) => uid)
}

/** The folder's row with the highest UID. */
export function newestByUid(db: MailDb, folderId: string): Promise<MessageRow | undefined> {
  return byUid(db).between([folderId, Dexie.minKey], [folderId, Dexie.maxKey]).last()
}

/** Up to `limit` of the folder's rows from UID `fromUid` on, by UID. */
export function messagesFromUid(
  db: MailDb,
  folderId: string,
  fromUid: number,
  limit: number,
): Promise<MessageRow[]> {
  // No filter on the query: Dexie reads a plain range limited to a count in one request (getAll).
  return byUid(db).between([folderId, fromUid], [folderId, Infinity]).limit(limit).toArray()
}

/** The folder's row with this UID. */
export function messageAtUid(db: MailDb, folderId: string, uid: number): Promise<MessageRow | undefined> {
  return byUid(db).equals([folderId, uid]).first()
}
