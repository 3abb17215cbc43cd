import { Dexie, type Table } from 'dexie'
import { DAY_MS, dayOf } from './list-buckets'
import { threadKey, type ThreadRow } from './threads'

/*
 * The conversation view's thread rows (threads.ts), stored by folder and UTC day of each thread's newest
 * message: one record per folder and day holds that day's threads, and a multi-entry index of their thread
 * keys finds the record of any thread. Schema version 12; before it a thread was a record of its own, and
 * writing those (a header pass or a POP3 download of 10,000 messages wrote ~7,000) cost more CPU than
 * writing the messages: IndexedDB's cost is per request far more than per byte. A write of many messages
 * now rewrites the days its threads leave or enter (a batch of 1,000 spans ~100 days of a busy folder).
 * Days, not months: a record is rewritten whole, with every index key of its threads, each time one of them
 * changes, and a POP3 download (oldest first) moves many threads' heads out of older records. By month the
 * browser wrote 164 MB for a 10,000-message download, by day 57 MB, a record per thread 58 MB
 * (bench/pop3-store-profile.ts, browser_wrote_mb).
 */

export interface ThreadDayRow {
  folderId: string
  /** UTC day (`dayOf`) of the threads' newest messages. */
  day: number
  /** The day's threads, newest first (date, then thread id, descending: the old index's order reversed). */
  threads: ThreadRow[]
  /** `threadKey` of each thread, for the multi-entry index that finds a thread's record. */
  keys: string[]
}

export const THREAD_DAYS_SCHEMA = '[folderId+day], *keys'

/** Date order of thread rows as the old [folderId+date] index gave it: date, then thread id. */
export function threadDateOrder(a: ThreadRow, b: ThreadRow): number {
  return a.date - b.date || (a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0)
}

function dayRow(folderId: string, day: number, threads: ThreadRow[]): ThreadDayRow {
  const sorted = threads.sort((a, b) => threadDateOrder(b, a))
  return { folderId, day, threads: sorted, keys: sorted.map((t) => threadKey(t.folderId, t.threadId)) }
}

/** Thread rows grouped into day records (the v12 upgrade, tests and benches that seed a store). */
export function threadDaysOf(threads: Iterable<ThreadRow>): ThreadDayRow[] {
  const byDay = new Map<string, { folderId: string; day: number; threads: ThreadRow[] }>()
  for (const t of threads) {
    const day = dayOf(t.date)
    const key = JSON.stringify([t.folderId, day])
    let d = byDay.get(key)
    if (!d) byDay.set(key, (d = { folderId: t.folderId, day, threads: [] }))
    d.threads.push(t)
  }
  return [...byDay.values()].map((d) => dayRow(d.folderId, d.day, d.threads))
}

/** Every thread row of one folder, or of all folders (tests). */
export async function readThreadRows(table: Table<ThreadDayRow>, folderId?: string): Promise<ThreadRow[]> {
  const days =
    folderId === undefined
      ? await table.toArray()
      : await table
          .where('[folderId+day]')
          .between([folderId, Dexie.minKey], [folderId, Dexie.maxKey])
          .toArray()
  return days.flatMap((d) => d.threads)
}

/** The thread rows of [folderId, threadId] keys (undefined: no such thread), from the records holding them. */
export function getThreadRows(
  table: Table<ThreadDayRow>,
  keys: readonly (readonly [string, string])[],
): PromiseLike<(ThreadRow | undefined)[]> {
  if (keys.length === 0) return Dexie.Promise.resolve([])
  const wanted = keys.map(([folderId, threadId]) => threadKey(folderId, threadId))
  return table
    .where('keys')
    .anyOf(wanted)
    .toArray()
    .then((days) => {
      const found = new Map<string, ThreadRow>()
      for (const d of days) for (const t of d.threads) found.set(threadKey(t.folderId, t.threadId), t)
      return wanted.map((k) => found.get(k))
    })
}

/** One thread's change: its row before (undefined: none) and after (null: removed). */
export interface ThreadChange {
  before: ThreadRow | undefined
  after: ThreadRow | null
}

/**
 * Writes thread changes into their day records: each record a change leaves or enters is read once and
 * written once (deleted when it holds no thread any more), in the caller's transaction.
 */
export function writeThreadRows(
  table: Table<ThreadDayRow>,
  changes: readonly ThreadChange[],
): PromiseLike<unknown> {
  const touched = new Map<string, [string, number]>()
  const recordKey = (t: ThreadRow): string => JSON.stringify([t.folderId, dayOf(t.date)])
  for (const { before, after } of changes) {
    for (const t of [before, after]) if (t) touched.set(recordKey(t), [t.folderId, dayOf(t.date)])
  }
  if (touched.size === 0) return Dexie.Promise.resolve()
  const keys = [...touched.values()]
  return table.bulkGet(keys).then((stored) => {
    const days = new Map<string, Map<string, ThreadRow>>()
    keys.forEach((key, i) => {
      const rows = new Map<string, ThreadRow>()
      for (const t of stored[i]?.threads ?? []) rows.set(t.threadId, t)
      days.set(JSON.stringify(key), rows)
    })
    for (const { before, after } of changes) {
      if (before) days.get(recordKey(before))!.delete(before.threadId)
      if (after) days.get(recordKey(after))!.set(after.threadId, after)
    }
    const put: ThreadDayRow[] = []
    const remove: [string, number][] = []
    for (const [folderId, day] of keys) {
      const rows = days.get(JSON.stringify([folderId, day]))!
      if (rows.size > 0) put.push(dayRow(folderId, day, [...rows.values()]))
      else remove.push([folderId, day])
    }
    return Dexie.Promise.all([
      put.length > 0 ? table.bulkPut(put) : null,
      remove.length > 0 ? table.bulkDelete(remove) : null,
    ])
  })
}

/** The day records of a folder that may hold threads dated in [from, to) (null: unbounded), in day order. */
function daysBetween(table: Table<ThreadDayRow>, folderId: string, from: number | null, to: number | null) {
  const lo = from === null ? Dexie.minKey : dayOf(from)
  const hi = to === null ? Dexie.maxKey : dayOf(to)
  return table.where('[folderId+day]').between([folderId, lo], [folderId, hi], true, true)
}

const inRange =
  (from: number | null, to: number | null) =>
  (t: ThreadRow): boolean =>
    (from === null || t.date >= from) && (to === null || t.date < to)

/** How many of a folder's threads are dated in [from, to). */
export async function countThreadsBetween(
  table: Table<ThreadDayRow>,
  folderId: string,
  from: number | null,
  to: number | null,
): Promise<number> {
  let n = 0
  await daysBetween(table, folderId, from, to).each((d) => {
    // A day wholly inside the range counts without looking at its threads.
    const whole = (from === null || d.day * DAY_MS >= from) && (to === null || (d.day + 1) * DAY_MS <= to)
    n += whole ? d.threads.length : d.threads.filter(inRange(from, to)).length
  })
  return n
}

/**
 * Up to `limit` of a folder's threads dated in [from, to), in date order (`newest`: descending), reading
 * day records one at a time from the range's start until enough are in.
 */
export async function readThreadsBetween(
  table: Table<ThreadDayRow>,
  folderId: string,
  range: { from: number | null; to: number | null; order: 'newest' | 'oldest'; limit: number },
): Promise<ThreadRow[]> {
  const { from, to, order, limit } = range
  const out: ThreadRow[] = []
  if (limit <= 0) return out
  const days = daysBetween(table, folderId, from, to)
  const keys = (await (order === 'newest' ? days.reverse() : days).primaryKeys()) as [string, number][]
  for (const key of keys) {
    const d = await table.get(key)
    if (!d) continue
    // Records are kept newest first.
    const rows = d.threads.filter(inRange(from, to))
    out.push(...(order === 'newest' ? rows : rows.reverse()))
    if (out.length >= limit) break
  }
  return out.slice(0, limit)
}
