import type { Table } from 'dexie'
import { readDayRows, type DayCountSpanRow } from '../day-count-spans'
import { DAY_MS, dayOf } from '../list-buckets'
import type { MailDb } from '../mail-db'
import {
  countFolderByDate,
  getMessage,
  messageTables,
  readFolderByDate,
  readFolderIdsByDate,
  type FolderDateQuery,
  type ListFilter,
} from '../messages'
import type { MessageRow } from '../rows'

/** Which messages the list shows: one folder, or several merged by date (the unified Inbox). */
export interface ListSpec {
  folderIds: readonly string[]
  filter: ListFilter
  order: 'newest' | 'oldest'
}

/** The list's messages per day (UTC days with at least one, oldest first), summed over its folders. */
export interface DayCount {
  day: number
  count: number
}

/**
 * The list's length per day, from the per-day counts the store keeps (list-buckets.ts, stored by
 * day-count-spans.ts): a few records per folder, whatever the number of messages. `buckets`: the
 * conversation view counts threads instead.
 */
export async function readDayCounts(
  db: MailDb,
  spec: ListSpec,
  buckets: Table<DayCountSpanRow> = db.listDayCounts,
): Promise<DayCount[]> {
  const perFolder = await Promise.all(spec.folderIds.map((id) => readDayRows(buckets, id)))
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
function fromDay(
  spec: ListSpec,
  anchor: Anchor,
  part: Pick<FolderDateQuery, 'offset' | 'limit'>,
): FolderDateQuery {
  if (spec.order === 'newest') {
    return { filter: spec.filter, to: (anchor.day + 1) * DAY_MS, newestFirst: true, ...part }
  }
  return { filter: spec.filter, from: anchor.day * DAY_MS, ...part }
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
  return db.transaction('r', [...messageTables(db), db.listDayCounts], async () => {
    const anchor = locate(days ?? (await readDayCounts(db, spec)), spec.order, offset)
    if (!anchor || limit <= 0) return []
    if (spec.folderIds.length === 1) {
      const folderId = spec.folderIds[0]!
      // Reading the day's first rows along costs less than stepping a cursor row by row (one IndexedDB
      // request per row), until the day is very full.
      if (anchor.skip <= READ_THROUGH_MAX) {
        const rows = await readFolderByDate(
          db,
          folderId,
          fromDay(spec, anchor, { limit: anchor.skip + limit }),
        )
        return rows.slice(anchor.skip)
      }
      return readFolderByDate(db, folderId, fromDay(spec, anchor, { offset: anchor.skip, limit }))
    }
    const parts = await Promise.all(
      spec.folderIds.map((id) =>
        readFolderByDate(db, id, fromDay(spec, anchor, { limit: anchor.skip + limit })),
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
  return db.transaction('r', [...messageTables(db), db.listDayCounts], async () => {
    const anchor = locate(await readDayCounts(db, spec), spec.order, offset)
    if (!anchor || limit <= 0) return []
    return readFolderIdsByDate(db, spec.folderIds[0]!, fromDay(spec, anchor, { offset: anchor.skip, limit }))
  })
}

/**
 * Where message `id` is in the list now (undefined: not in it, e.g. deleted, moved away, or no longer
 * unread under the unread filter). The rows dated on its side of its date are counted from the day counts
 * and one index count; among the rows of exactly its date (usually itself alone) its ids are read.
 */
export async function positionOf(db: MailDb, spec: ListSpec, id: number): Promise<number | undefined> {
  return db.transaction('r', [...messageTables(db), db.listDayCounts], async () => {
    const row = await getMessage(db, id)
    if (!row || !spec.folderIds.includes(row.folderId)) return undefined
    if (spec.filter !== 'all' && (spec.filter === 'unread' ? row.unread : row.flagged) !== 1) return undefined
    const days = await readDayCounts(db, spec)
    const older = await countBefore(db, spec, days, row.date)
    const sameDate = await countRange(db, spec, row.date, row.date + 1)
    const before = spec.order === 'oldest' ? older : totalOf(days) - older - sameDate
    const ids = await readWindowIds(db, spec, before, sameDate)
    const at = ids.indexOf(id)
    return at < 0 ? undefined : before + at
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
  const counts = await Promise.all(
    spec.folderIds.map((id) => countFolderByDate(db, id, { filter: spec.filter, from, to })),
  )
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * How many messages the folders hold, summed from the per-day counts the store keeps (a few rows per folder
 * and day), not by counting the folders' rows: for dialogs that say what an action would take with it.
 */
export async function keptMessageCount(db: MailDb, folderIds: readonly string[]): Promise<number> {
  return totalOf(await readDayCounts(db, { folderIds, filter: 'all', order: 'newest' }))
}
