import { Dexie, type Table } from 'dexie'
import { threadKey, type ThreadRow } from './threads'

/*
 * The conversation view's thread rows (threads.ts), stored by folder and month of each thread's newest
 * message: one record per folder and month holds that month's threads, and a multi-entry index of their
 * thread keys finds the record of any thread. Schema version 12; before it a thread was a record of its
 * own, and writing those (a header pass or a POP3 download of 10,000 messages wrote ~7,000) cost more
 * CPU than writing the messages themselves: IndexedDB's cost is per request far more than per byte
 * (bench/idb-layout-cost.ts). A write of many messages now rewrites the few months its threads are in.
 */

export interface ThreadMonthRow {
  folderId: string
  /** UTC months since year 0 of the threads' newest messages (`monthOf`). */
  month: number
  /** The month's threads, newest first (date, then thread id, descending: the index order reversed). */
  threads: ThreadRow[]
  /** `threadKey` of each thread, for the multi-entry index that finds a thread's record. */
  keys: string[]
}

export const THREAD_MONTHS_SCHEMA = '[folderId+month], *keys'

/** The UTC month of a date (ms), as months since year 0; dates outside what Date can hold go to the ends. */
export function monthOf(date: number): number {
  const d = new Date(date)
  if (Number.isNaN(d.getTime())) return date > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

/** Date order of thread rows as the old [folderId+date] index gave it: date, then thread id. */
export function threadDateOrder(a: ThreadRow, b: ThreadRow): number {
  return a.date - b.date || (a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0)
}

function monthRow(folderId: string, month: number, threads: ThreadRow[]): ThreadMonthRow {
  const sorted = threads.sort((a, b) => threadDateOrder(b, a))
  return { folderId, month, threads: sorted, keys: sorted.map((t) => threadKey(t.folderId, t.threadId)) }
}

/** Thread rows grouped into month records (the v12 upgrade, tests and benches that seed a store). */
export function threadMonthsOf(threads: Iterable<ThreadRow>): ThreadMonthRow[] {
  const byMonth = new Map<string, { folderId: string; month: number; threads: ThreadRow[] }>()
  for (const t of threads) {
    const month = monthOf(t.date)
    const key = JSON.stringify([t.folderId, month])
    let m = byMonth.get(key)
    if (!m) byMonth.set(key, (m = { folderId: t.folderId, month, threads: [] }))
    m.threads.push(t)
  }
  return [...byMonth.values()].map((m) => monthRow(m.folderId, m.month, m.threads))
}

/** Every thread row of one folder, or of all folders (tests). */
export async function readThreadRows(table: Table<ThreadMonthRow>, folderId?: string): Promise<ThreadRow[]> {
  const months =
    folderId === undefined
      ? await table.toArray()
      : await table
          .where('[folderId+month]')
          .between([folderId, Dexie.minKey], [folderId, Dexie.maxKey])
          .toArray()
  return months.flatMap((m) => m.threads)
}

/** The thread rows of [folderId, threadId] keys (undefined: no such thread), from the records holding them. */
export function getThreadRows(
  table: Table<ThreadMonthRow>,
  keys: readonly (readonly [string, string])[],
): PromiseLike<(ThreadRow | undefined)[]> {
  if (keys.length === 0) return Dexie.Promise.resolve([])
  const wanted = keys.map(([folderId, threadId]) => threadKey(folderId, threadId))
  return table
    .where('keys')
    .anyOf(wanted)
    .toArray()
    .then((months) => {
      const found = new Map<string, ThreadRow>()
      for (const m of months) for (const t of m.threads) found.set(threadKey(t.folderId, t.threadId), t)
      return wanted.map((k) => found.get(k))
    })
}

/** One thread's change: its row before (undefined: none) and after (null: removed). */
export interface ThreadChange {
  before: ThreadRow | undefined
  after: ThreadRow | null
}

/**
 * Writes thread changes into their month records: each record a change leaves or enters is read once and
 * written once (deleted when it holds no thread any more), in the caller's transaction.
 */
export function writeThreadRows(
  table: Table<ThreadMonthRow>,
  changes: readonly ThreadChange[],
): PromiseLike<unknown> {
  const touched = new Map<string, [string, number]>()
  const touch = (t: ThreadRow): void => {
    const month = monthOf(t.date)
    touched.set(JSON.stringify([t.folderId, month]), [t.folderId, month])
  }
  for (const { before, after } of changes) {
    if (before) touch(before)
    if (after) touch(after)
  }
  if (touched.size === 0) return Dexie.Promise.resolve()
  const keys = [...touched.values()]
  return table.bulkGet(keys).then((stored) => {
    const months = new Map<string, Map<string, ThreadRow>>()
    keys.forEach((key, i) => {
      const rows = new Map<string, ThreadRow>()
      for (const t of stored[i]?.threads ?? []) rows.set(t.threadId, t)
      months.set(JSON.stringify(key), rows)
    })
    const monthRows = (t: ThreadRow): Map<string, ThreadRow> =>
      months.get(JSON.stringify([t.folderId, monthOf(t.date)]))!
    for (const { before, after } of changes) {
      if (before) monthRows(before).delete(before.threadId)
      if (after) monthRows(after).set(after.threadId, after)
    }
    const put: ThreadMonthRow[] = []
    const remove: [string, number][] = []
    keys.forEach(([folderId, month]) => {
      const rows = months.get(JSON.stringify([folderId, month]))!
      if (rows.size > 0) put.push(monthRow(folderId, month, [...rows.values()]))
      else remove.push([folderId, month])
    })
    return Dexie.Promise.all([
      put.length > 0 ? table.bulkPut(put) : null,
      remove.length > 0 ? table.bulkDelete(remove) : null,
    ])
  })
}

/** UTC midnight of the first day of a month (`monthOf`'s inverse). */
const monthStart = (month: number): number => Date.UTC(Math.floor(month / 12), ((month % 12) + 12) % 12, 1)

/** The month records of a folder that may hold threads dated in [from, to) (null: unbounded), in month order. */
function monthsBetween(
  table: Table<ThreadMonthRow>,
  folderId: string,
  from: number | null,
  to: number | null,
) {
  const lo = from === null ? Dexie.minKey : monthOf(from)
  const hi = to === null ? Dexie.maxKey : monthOf(to)
  return table.where('[folderId+month]').between([folderId, lo], [folderId, hi], true, true)
}

/** How many of a folder's threads are dated in [from, to). */
export async function countThreadsBetween(
  table: Table<ThreadMonthRow>,
  folderId: string,
  from: number | null,
  to: number | null,
): Promise<number> {
  const inRange = (t: ThreadRow): boolean => (from === null || t.date >= from) && (to === null || t.date < to)
  let n = 0
  await monthsBetween(table, folderId, from, to).each((m) => {
    // A month wholly inside the range counts without looking at its threads.
    const whole =
      (from === null || monthStart(m.month) >= from) && (to === null || monthStart(m.month + 1) <= to)
    n += whole ? m.threads.length : m.threads.filter(inRange).length
  })
  return n
}

/**
 * Up to `limit` of a folder's threads dated in [from, to), in date order (`newest`: descending), reading
 * month records one at a time from the range's start until enough are in.
 */
export async function readThreadsBetween(
  table: Table<ThreadMonthRow>,
  folderId: string,
  range: { from: number | null; to: number | null; order: 'newest' | 'oldest'; limit: number },
): Promise<ThreadRow[]> {
  const { from, to, order, limit } = range
  const out: ThreadRow[] = []
  if (limit <= 0) return out
  const months = monthsBetween(table, folderId, from, to)
  const keys = (await (order === 'newest' ? months.reverse() : months).primaryKeys()) as [string, number][]
  const inRange = (t: ThreadRow): boolean => (from === null || t.date >= from) && (to === null || t.date < to)
  for (const key of keys) {
    const m = await table.get(key)
    if (!m) continue
    // Records are kept newest first.
    const rows = m.threads.filter(inRange)
    out.push(...(order === 'newest' ? rows : rows.reverse()))
    if (out.length >= limit) break
  }
  return out.slice(0, limit)
}
