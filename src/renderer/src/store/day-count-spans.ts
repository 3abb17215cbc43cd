import { Dexie, type Table } from 'dexie'
import type { ListBucketRow } from './list-buckets'

/*
 * Where the per-day counts (list-buckets.ts: messages, and the conversation view's threads, per folder and
 * UTC day) are stored: SPAN_DAYS consecutive days of one folder to a record. Schema version 13; before it
 * each day was a record of its own, and a header pass or POP3 download of 10,000 messages over three years
 * read and wrote ~2,200 of them (both tables), and every refresh of the list read a folder's ~1,100.
 * IndexedDB's cost is per request far more than per byte: a span record of 128 days is ~3 KB.
 */

export const SPAN_DAYS = 128

/** One folder's counts of SPAN_DAYS days: [day, all, unread, flagged] per day that has any, by day. */
export interface DayCountSpanRow {
  folderId: string
  /** floor(day / SPAN_DAYS). */
  span: number
  days: [number, number, number, number][]
}

export const DAY_COUNT_SPANS_SCHEMA = '[folderId+span]'

const spanOf = (day: number): number => Math.floor(day / SPAN_DAYS)
const spanKey = (folderId: string, span: number): string => JSON.stringify([folderId, span])

function bucketsOf(row: DayCountSpanRow): ListBucketRow[] {
  return row.days.map(([day, all, unread, flagged]) => ({
    folderId: row.folderId,
    day,
    all,
    unread,
    flagged,
  }))
}

function spanRow(folderId: string, span: number, buckets: Iterable<ListBucketRow>): DayCountSpanRow {
  const days = [...buckets]
    .sort((a, b) => a.day - b.day)
    .map((b): [number, number, number, number] => [b.day, b.all, b.unread, b.flagged])
  return { folderId, span, days }
}

/** Per-day rows grouped into span records (the v13 upgrade, and tests and benches that seed a store). */
export function daySpansOf(buckets: Iterable<ListBucketRow>): DayCountSpanRow[] {
  const bySpan = new Map<string, { folderId: string; span: number; rows: ListBucketRow[] }>()
  for (const b of buckets) {
    const span = spanOf(b.day)
    const key = spanKey(b.folderId, span)
    let s = bySpan.get(key)
    if (!s) bySpan.set(key, (s = { folderId: b.folderId, span, rows: [] }))
    s.rows.push(b)
  }
  return [...bySpan.values()].map((s) => spanRow(s.folderId, s.span, s.rows))
}

/** One folder's per-day rows (or every folder's: tests), by day. */
export async function readDayRows(
  table: Table<DayCountSpanRow>,
  folderId?: string,
): Promise<ListBucketRow[]> {
  const spans =
    folderId === undefined
      ? await table.toArray()
      : await table
          .where('[folderId+span]')
          .between([folderId, Dexie.minKey], [folderId, Dexie.maxKey])
          .toArray()
  return spans.flatMap(bucketsOf)
}

/** The per-day rows of [folderId, day] keys (undefined: no count that day). */
export function getDayRows(
  table: Table<DayCountSpanRow>,
  keys: readonly (readonly [string, number])[],
): PromiseLike<(ListBucketRow | undefined)[]> {
  const spans = new Map<string, [string, number]>()
  for (const [folderId, day] of keys) spans.set(spanKey(folderId, spanOf(day)), [folderId, spanOf(day)])
  const wanted = [...spans.values()]
  return table.bulkGet(wanted).then((found) => {
    const byDay = new Map<string, ListBucketRow>()
    for (const s of found)
      if (s) for (const b of bucketsOf(s)) byDay.set(JSON.stringify([b.folderId, b.day]), b)
    return keys.map(([folderId, day]) => byDay.get(JSON.stringify([folderId, day])))
  })
}

/**
 * Writes per-day rows (`put`, each replacing its day) and drops days (`remove`), rewriting each span record
 * they fall in once (deleting it when no day is left), in the caller's transaction.
 */
export function writeDayRows(
  table: Table<DayCountSpanRow>,
  put: readonly ListBucketRow[],
  remove: readonly (readonly [string, number])[],
): PromiseLike<unknown> {
  const spans = new Map<string, [string, number]>()
  for (const b of put) spans.set(spanKey(b.folderId, spanOf(b.day)), [b.folderId, spanOf(b.day)])
  for (const [folderId, day] of remove) spans.set(spanKey(folderId, spanOf(day)), [folderId, spanOf(day)])
  if (spans.size === 0) return Dexie.Promise.resolve()
  const keys = [...spans.values()]
  return table.bulkGet(keys).then((stored) => {
    const days = new Map<string, Map<number, ListBucketRow>>()
    keys.forEach(([folderId, span], i) => {
      const s = stored[i]
      days.set(spanKey(folderId, span), new Map(s ? bucketsOf(s).map((b) => [b.day, b]) : []))
    })
    for (const [folderId, day] of remove) days.get(spanKey(folderId, spanOf(day)))!.delete(day)
    for (const b of put) days.get(spanKey(b.folderId, spanOf(b.day)))!.set(b.day, b)
    const write: DayCountSpanRow[] = []
    const drop: [string, number][] = []
    for (const [folderId, span] of keys) {
      const left = days.get(spanKey(folderId, span))!
      if (left.size > 0) write.push(spanRow(folderId, span, left.values()))
      else drop.push([folderId, span])
    }
    return Dexie.Promise.all([
      write.length > 0 ? table.bulkPut(write) : null,
      drop.length > 0 ? table.bulkDelete(drop) : null,
    ])
  })
}
