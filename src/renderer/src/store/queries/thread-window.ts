import { DAY_MS } from '../list-buckets'
import type { MailDb } from '../mail-db'
import { getMessages, threadMessageIdsIn } from '../messages'
import type { MessageRow } from '../rows'
import { countThreadsBetween, readThreadsBetween } from '../thread-days'
import type { ThreadRow } from '../threads'
import { locate, readDayCounts, type Anchor, type DayCount, type ListSpec } from './message-window'

/**
 * The conversation view's pages, read like the flat list's (message-window.ts) but from the thread rows the
 * store keeps (threads.ts): the day of a row comes from the per-day thread counts, and reading starts at that
 * day's edge in the folder's day records of threads (thread-days.ts). Unfiltered lists only: a thread
 * row counts all of its messages, so the Unread / Flagged conversation lists still group their (usually few)
 * messages.
 */

/** Threads per day of their newest message, summed over the list's folders. */
export const readThreadDayCounts = (db: MailDb, spec: ListSpec): Promise<DayCount[]> =>
  readDayCounts(db, { ...spec, filter: 'all' }, db.threadDayCounts)

/** Threads whose newest message is dated in [from, to): for part of a day (group edges). */
export async function countThreadRange(
  db: MailDb,
  spec: ListSpec,
  from: number | null,
  to: number | null,
): Promise<number> {
  const counts = await Promise.all(
    spec.folderIds.map((id) => countThreadsBetween(db.threadDays, id, from, to)),
  )
  return counts.reduce((a, b) => a + b, 0)
}

/** A folder's threads from the anchor's day on, in list order, as many as `limit`. */
function fromDay(db: MailDb, folderId: string, spec: ListSpec, anchor: Anchor, limit: number) {
  const newest = spec.order === 'newest'
  return readThreadsBetween(db.threadDays, folderId, {
    from: newest ? null : anchor.day * DAY_MS,
    to: newest ? (anchor.day + 1) * DAY_MS : null,
    order: spec.order,
    limit,
  })
}

/** Several folders' threads in list order: by date, then as IndexedDB orders equal dates (by thread key). */
function threadOrder(order: ListSpec['order']): (a: ThreadRow, b: ThreadRow) => number {
  const sign = order === 'newest' ? -1 : 1
  return (a, b) =>
    sign * (a.date - b.date) ||
    sign * (a.folderId < b.folderId ? -1 : a.folderId > b.folderId ? 1 : 0) ||
    sign * (a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0)
}

/** Threads `offset … offset+limit` of the list: the day from the counts, then at most that day stepped over. */
export async function readThreadWindow(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
  /** The list's thread counts per day, when the caller has just read them in the same transaction. */
  days?: readonly DayCount[],
): Promise<ThreadRow[]> {
  return db.transaction('r', db.threadDays, db.threadDayCounts, async () => {
    const anchor = locate(days ?? (await readThreadDayCounts(db, spec)), spec.order, offset)
    if (!anchor || limit <= 0) return []
    const parts = await Promise.all(
      spec.folderIds.map((id) => fromDay(db, id, spec, anchor, anchor.skip + limit)),
    )
    const rows = spec.folderIds.length === 1 ? parts[0]! : parts.flat().sort(threadOrder(spec.order))
    return rows.slice(anchor.skip, anchor.skip + limit)
  })
}

/** Each thread's newest message (the row the view shows), in the threads' order. */
export async function readThreadHeads(
  db: MailDb,
  threads: readonly ThreadRow[],
): Promise<(MessageRow | undefined)[]> {
  return getMessages(
    db,
    threads.map((t) => t.headId),
  )
}

/** Every message of the given threads in their folders: what an action on selected conversations acts on. */
export async function threadMessageIds(db: MailDb, threads: readonly ThreadRow[]): Promise<number[]> {
  const parts = await Promise.all(threads.map((t) => threadMessageIdsIn(db, t.folderId, t.threadId)))
  return parts.flat()
}
