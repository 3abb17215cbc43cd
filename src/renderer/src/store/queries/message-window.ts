import { Dexie } from 'dexie'
import type { Table } from 'dexie'
import { DAY_MS, dayOf, type ListBucketRow } from '../list-buckets'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** Which messages the list shows: one folder, or several merged by date (the unified Inbox). */
export interface ListSpec {
  folderIds: readonly string[]
  filter: 'all' | 'unread' | 'flagged'
  order: 'newest' | 'oldest'
}

const FLAG_INDEX = { unread: '[folderId+unread+date]', flagged: '[folderId+flagged+date]' } as const

/**
 * A folder's messages (all, or only unread / flagged) between two dates (ms, `from` inclusive, `to`
 * exclusive), as one index range: [folderId+date] or [folderId+flag+date] (schema version 4).
 */
function byDate(
  db: MailDb,
  folderId: string,
  filter: ListSpec['filter'],
  from: number | null,
  to: number | null,
) {
  const lo = from ?? Dexie.minKey
  const hi = to ?? Dexie.maxKey
  if (filter === 'all') {
    return db.messages.where('[folderId+date]').between([folderId, lo], [folderId, hi], true, false)
  }
  return db.messages.where(FLAG_INDEX[filter]).between([folderId, 1, lo], [folderId, 1, hi], true, false)
}

/** The list's messages per day (UTC days with at least one, oldest first), summed over its folders. */
export interface DayCount {
  day: number
  count: number
}

/**
 * The list's length per day, from the bucket rows the store keeps (list-buckets.ts): one small row per folder
 * and day with mail, whatever the number of messages. `buckets`: the conversation view counts threads instead.
 */
export async function readDayCounts(
  db: MailDb,
  spec: ListSpec,
  buckets: Table<ListBucketRow, [string, number]> = db.listBuckets,
): Promise<DayCount[]> {
  const perFolder = await Promise.all(
    spec.folderIds.map((id) =>
      buckets.where('[folderId+day]').between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray(),
    ),
  )
  const byDay = new Map<number, number>()
  for (const buckets of perFolder) {
    for (const b of buckets) {
      const n = b[spec.filter]
      if (n > 0) byDay.set(b.day, (byDay.get(b.day) ?? 0) + n)
    }
  }
  return [...byDay].map(([day, count]) => ({ day, count })).sort((a, b) => a.day - b.day)
}

export const totalOf = (days: readonly DayCount[]): number => days.reduce((n, d) => n + d.count, 0)

/** Counts the list's rows dated in [from, to) from an index; `countRange` for messages. */
export type CountPart = (
  db: MailDb,
  spec: ListSpec,
  from: number | null,
  to: number | null,
) => Promise<number>

/**
 * How many of the list's messages are dated before `t`: whole days from the buckets, plus one index count
 * over the part of t's own day before t (a day's mail at most).
 */
export async function countBefore(
  db: MailDb,
  spec: ListSpec,
  days: readonly DayCount[],
  t: number,
  countPart: CountPart = countRange,
): Promise<number> {
  const day = dayOf(t)
  let n = 0
  for (const d of days) if (d.day < day) n += d.count
  const dayStart = day * DAY_MS
  return t > dayStart ? n + (await countPart(db, spec, dayStart, t)) : n
}

/** Where row `offset` of the list lies: in which day, after how many of that day's rows in list order. */
export interface Anchor {
  day: number
  skip: number
}

export function locate(days: readonly DayCount[], order: ListSpec['order'], offset: number): Anchor | null {
  let seen = 0
  for (let i = 0; i < days.length; i++) {
    const d = days[order === 'newest' ? days.length - 1 - i : i]!
    if (offset < seen + d.count) return { day: d.day, skip: offset - seen }
    seen += d.count
  }
  return null
}

/** One folder's rows in list order, starting at the first row of `anchor`'s day in that order. */
function fromDay(db: MailDb, folderId: string, spec: ListSpec, anchor: Anchor) {
  if (spec.order === 'newest') {
    return byDate(db, folderId, spec.filter, null, (anchor.day + 1) * DAY_MS).reverse()
  }
  return byDate(db, folderId, spec.filter, anchor.day * DAY_MS, null)
}

/** List order: by date, then by id the way IndexedDB orders equal dates in each direction. */
function listOrder(order: ListSpec['order']): (a: MessageRow, b: MessageRow) => number {
  const sign = order === 'newest' ? -1 : 1
  return (a, b) => sign * (a.date - b.date) || sign * ((a.id ?? 0) - (b.id ?? 0))
}

/** Rows of the anchor day that a window read loads and drops rather than skipping with a cursor. */
const READ_THROUGH_MAX = 500

/**
 * Rows `offset … offset+limit` of the list. The day that holds row `offset` is found in the per-day counts,
 * and reading starts at that day's edge in the index: the only rows stepped over are that day's, so a row in
 * the middle of 100,000 costs what the first row costs. Several folders (the unified Inbox): each folder
 * contributes its rows from that day on, merged by date.
 */
export async function readWindow(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
  /** The list's day counts, when the caller has just read them in the same transaction. */
  days?: readonly DayCount[],
): Promise<MessageRow[]> {
  return db.transaction('r', db.messages, db.listBuckets, async () => {
    const anchor = locate(days ?? (await readDayCounts(db, spec)), spec.order, offset)
    if (!anchor || limit <= 0) return []
    if (spec.folderIds.length === 1) {
      const rows = fromDay(db, spec.folderIds[0]!, spec, anchor)
      // Reading the day's first rows along costs less than stepping a cursor row by row (one IndexedDB
      // request per row), until the day is very full.
      if (anchor.skip <= READ_THROUGH_MAX) {
        return (await rows.limit(anchor.skip + limit).toArray()).slice(anchor.skip)
      }
      return rows.offset(anchor.skip).limit(limit).toArray()
    }
    const parts = await Promise.all(
      spec.folderIds.map((id) =>
        fromDay(db, id, spec, anchor)
          .limit(anchor.skip + limit)
          .toArray(),
      ),
    )
    return parts
      .flat()
      .sort(listOrder(spec.order))
      .slice(anchor.skip, anchor.skip + limit)
  })
}

/** Primary keys of rows `offset … offset+limit`: for Shift+click ranges that reach rows not on screen. */
export async function readWindowIds(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
): Promise<number[]> {
  if (spec.folderIds.length > 1) return (await readWindow(db, spec, offset, limit)).map((r) => r.id!)
  return db.transaction('r', db.messages, db.listBuckets, async () => {
    const anchor = locate(await readDayCounts(db, spec), spec.order, offset)
    if (!anchor || limit <= 0) return []
    const keys = await fromDay(db, spec.folderIds[0]!, spec, anchor)
      .offset(anchor.skip)
      .limit(limit)
      .primaryKeys()
    return keys.filter((k): k is number => k !== undefined)
  })
}

/**
 * How many rows fall in [from, to) per folder and filter, counted inside IndexedDB over one index range: for
 * short ranges only (part of a day); whole days come from `readDayCounts`.
 */
export async function countRange(
  db: MailDb,
  spec: ListSpec,
  from: number | null,
  to: number | null,
): Promise<number> {
  const counts = await Promise.all(spec.folderIds.map((id) => byDate(db, id, spec.filter, from, to).count()))
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * How many messages the folders hold, summed from the per-day counts the store keeps (a few rows per folder
 * and day), not by counting the folders' rows: for dialogs that say what an action would take with it.
 */
export async function keptMessageCount(db: MailDb, folderIds: readonly string[]): Promise<number> {
  return totalOf(await readDayCounts(db, { folderIds, filter: 'all', order: 'newest' }))
}
