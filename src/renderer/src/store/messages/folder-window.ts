import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** Which of a folder's messages a list shows. */
export type ListFilter = 'all' | 'unread' | 'flagged'

/** A part of one folder's messages in date order. */
export interface FolderDateQuery {
  filter: ListFilter
  /** Dates (ms) from `from` (inclusive) to `to` (exclusive); null: unbounded. */
  from?: number | null
  to?: number | null
  /** Newest first (by date, then by id descending); otherwise oldest first. */
  newestFirst?: boolean
  /** Rows of the range stepped over before the first one returned (a cursor step each). */
  offset?: number
  limit?: number
}

const FLAG_INDEX = { unread: '[folderId+unread+date]', flagged: '[folderId+flagged+date]' } as const

/**
 * A folder's messages (all, or only unread / flagged) between two dates as one index range: [folderId+date]
 * or [folderId+flag+date] (schema version 4), in list order.
 */
function byDate(db: MailDb, folderId: string, q: FolderDateQuery) {
  const lo = q.from ?? Dexie.minKey
  const hi = q.to ?? Dexie.maxKey
  let rows =
    q.filter === 'all'
      ? db.messages.where('[folderId+date]').between([folderId, lo], [folderId, hi], true, false)
      : db.messages.where(FLAG_INDEX[q.filter]).between([folderId, 1, lo], [folderId, 1, hi], true, false)
  if (q.newestFirst) rows = rows.reverse()
  // Only when asked: offset/limit turn Dexie's one-request read (getAll) into a cursor walk.
  if (q.offset !== undefined && q.offset > 0) rows = rows.offset(q.offset)
  if (q.limit !== undefined) rows = rows.limit(q.limit)
  return rows
}

/** The folder's rows that `q` selects, in its order. */
export function readFolderByDate(db: MailDb, folderId: string, q: FolderDateQuery): Promise<MessageRow[]> {
  return byDate(db, folderId, q).toArray()
}

/** The ids of the folder's rows that `q` selects, in its order. */
export async function readFolderIdsByDate(
  db: MailDb,
  folderId: string,
  q: FolderDateQuery,
): Promise<number[]> {
  const keys = await byDate(db, folderId, q).primaryKeys()
  return keys.filter((k): k is number => k !== undefined)
}

/** How many of the folder's rows `q` selects, counted inside IndexedDB over one index range (no offset/limit). */
export function countFolderByDate(
  db: MailDb,
  folderId: string,
  q: Pick<FolderDateQuery, 'filter' | 'from' | 'to'>,
): Promise<number> {
  return byDate(db, folderId, q).count()
}

/**
 * Visits the folder's messages by thread, then date: (threadId, date, id) of each, from index keys alone
 * ([folderId+threadId+date]: no row is loaded).
 */
export async function eachThreadKey(
  db: MailDb,
  folderId: string,
  visit: (threadId: string, date: number, id: number) => void,
): Promise<void> {
  await db.messages
    .where('[folderId+threadId+date]')
    // [folderId] sorts before every [folderId, thread, date]; [folderId, maxKey] after all of them.
    .between([folderId], [folderId, Dexie.maxKey])
    .eachKey((key, cursor) => {
      const [, thread, date] = key as [string, string, number]
      visit(thread, date, cursor.primaryKey as number)
    })
}

/** The ids of every message of one thread in one folder, oldest first. */
export async function threadMessageIdsIn(db: MailDb, folderId: string, threadId: string): Promise<number[]> {
  const keys = await db.messages
    .where('[folderId+threadId+date]')
    .between([folderId, threadId, Dexie.minKey], [folderId, threadId, Dexie.maxKey])
    .primaryKeys()
  return keys.filter((k): k is number => k !== undefined)
}
