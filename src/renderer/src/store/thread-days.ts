import { Dexie, type Table } from 'dexie'
import { dayOf } from './list-buckets'
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
 * (bench/pop3-store-profile.ts, browser_wrote_mb). A day of more than MAX_PART_THREADS threads is split into
 * parts by date, each a record (schema version 14), so a write rewrites the parts it touches, not the day.
 */

export interface ThreadDayRow {
  folderId: string
  /**
   * UTC day (`dayOf`) of the threads' newest messages; a further part of a split day has a key inside the
   * day, (day, day + 1), so the day's records stay together.
   */
  day: number
  /** The record's threads, newest first (date, then thread id, descending: the old index's order reversed). */
  threads: ThreadRow[]
  /** `threadKey` of each thread, for the multi-entry index that finds a thread's record. */
  keys: string[]
  /**
   * On a day's first record (key `day`) when the day is split: its further parts in date order. The first
   * record holds the threads before the first part's start; each part those from its start to the next's.
   */
  parts?: DayPart[]
}

/** A further part of a day: its record's key and its first thread in date order, [date, thread id]. */
export interface DayPart {
  key: number
  start: [number, string]
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
 * Threads a record may hold before it is split into records of PART_THREADS. A day's record is rewritten
 * whole, with every index key of its threads, each time one of them changes: unbounded, a day that holds
 * thousands of threads (a download of mail without a Date header, all dated at the download) made each
 * batch rewrite them all (a 10,000-message POP3 download in one day: browser wrote 237 MB instead of 54, and
 * the cost grew with the square of the day's size). 200 rows are ~60 KB, under the size where Chromium moves
 * an IndexedDB value into a file of its own.
 */
export const MAX_PART_THREADS = 200
const PART_THREADS = 100
/** A part that a change leaves with fewer threads goes into the one before it (a day that lost most of its mail). */
export const MIN_PART_THREADS = 25

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Where a thread sits in the date order of threadDateOrder, against a part's first thread. */
function compareToStart(t: ThreadRow, start: readonly [number, string]): number {
  return t.date - start[0] || codeUnitOrder(t.threadId, start[1])
}

/**
 * A day's further parts are keyed day + n / PART_SLOTS (exact in a double), n unique among the day's parts;
 * their date order is the first record's `parts` list, not their keys, so a part can be cut anywhere.
 */
const PART_SLOTS = 2 ** 20

/** A key for one more part of `day`, unused by `parts`; null when all are used (the part then stays whole). */
function freePartKey(day: number, parts: readonly DayPart[]): number | null {
  let top = 0
  for (const p of parts) top = Math.max(top, Math.round((p.key - day) * PART_SLOTS))
  return top + 1 < PART_SLOTS ? day + (top + 1) / PART_SLOTS : null
}

/** One day's records as a write changes them: the first (the day's key) and the further parts it reads. */
class DayEdit {
  /** Each record read or made: threads by id. */
  private readonly records = new Map<number, Map<string, ThreadRow>>()
  private readonly changed = new Set<number>()
  private readonly parts: DayPart[]
  private partsChanged = false

  constructor(
    readonly folderId: string,
    readonly day: number,
    first: ThreadDayRow | undefined,
  ) {
    this.parts = [...(first?.parts ?? [])]
    this.load(day, first)
  }

  /** How many parts start at or before `t`: its record is `recordAt` of that. */
  private positionOf(t: ThreadRow): number {
    let lo = 0
    let hi = this.parts.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareToStart(t, this.parts[mid]!.start) >= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** The key of the day's record at `position` in date order: 0 the first record, i the part `parts[i - 1]`. */
  private recordAt(position: number): number {
    return position === 0 ? this.day : this.parts[position - 1]!.key
  }

  /** The key of the record that holds (or will hold) `t`: the last part starting at or before it. */
  keyOf(t: ThreadRow): number {
    return this.recordAt(this.positionOf(t))
  }

  load(key: number, record: ThreadDayRow | undefined): void {
    const rows = new Map<string, ThreadRow>()
    for (const t of record?.threads ?? []) rows.set(t.threadId, t)
    this.records.set(key, rows)
  }

  isLoaded(key: number): boolean {
    return this.records.has(key)
  }

  remove(t: ThreadRow): void {
    const key = this.keyOf(t)
    this.records.get(key)!.delete(t.threadId)
    this.changed.add(key)
  }

  add(t: ThreadRow): void {
    const key = this.keyOf(t)
    this.records.get(key)!.set(t.threadId, t)
    this.changed.add(key)
  }

  /**
   * The keys of the records a change of `t` may write: the one that holds it, and the one before it in date
   * order, which a part that shrinks below MIN_PART_THREADS merges into.
   */
  keysFor(t: ThreadRow): number[] {
    const position = this.positionOf(t)
    return position === 0 ? [this.day] : [this.recordAt(position), this.recordAt(position - 1)]
  }

  /** The records to put and the keys to delete: full parts split, small ones merged, empty ones dropped. */
  finish(put: ThreadDayRow[], remove: [string, number][]): void {
    for (const key of [...this.changed]) {
      const rows = this.records.get(key)!
      if (rows.size > MAX_PART_THREADS) this.split(key, [...rows.values()].sort(threadDateOrder))
    }
    // From the last part back, so that a run of small parts ends as one record.
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const { key } = this.parts[i]!
      const rows = this.records.get(key)
      if (!rows || !this.changed.has(key) || rows.size >= MIN_PART_THREADS) continue
      const before = this.recordAt(i)
      const into = this.records.get(before)
      if (rows.size > 0) {
        if (!into || into.size + rows.size > MAX_PART_THREADS) continue
        for (const [id, t] of rows) into.set(id, t)
        this.changed.add(before)
      }
      this.parts.splice(i, 1)
      this.partsChanged = true
      this.records.delete(key)
      remove.push([this.folderId, key])
    }
    for (const key of this.changed) {
      const rows = this.records.get(key)
      if (key !== this.day && rows) put.push(dayRow(this.folderId, key, [...rows.values()]))
    }
    const first = this.records.get(this.day)!
    if (first.size === 0 && this.parts.length === 0) {
      remove.push([this.folderId, this.day])
    } else if (this.changed.has(this.day) || this.partsChanged) {
      const row = dayRow(this.folderId, this.day, [...first.values()])
      put.push(this.parts.length > 0 ? { ...row, parts: this.parts } : row)
    }
  }

  /** Cuts a record's threads (oldest first) into parts of PART_THREADS; the first keeps the record's key. */
  private split(key: number, oldest: ThreadRow[]): void {
    let at = key === this.day ? 0 : this.parts.findIndex((p) => p.key === key) + 1
    let kept = oldest.slice(0, PART_THREADS)
    const pieces: [number, ThreadRow[]][] = [[key, kept]]
    for (let i = PART_THREADS; i < oldest.length; i += PART_THREADS) {
      const next = freePartKey(this.day, this.parts)
      if (next === null) {
        kept.push(...oldest.slice(i))
        break
      }
      const piece = oldest.slice(i, i + PART_THREADS)
      this.parts.splice(at++, 0, { key: next, start: [piece[0]!.date, piece[0]!.threadId] })
      pieces.push([next, (kept = piece)])
    }
    if (pieces.length > 1) this.partsChanged = true
    for (const [k, threads] of pieces) {
      this.records.set(k, new Map(threads.map((t) => [t.threadId, t])))
      this.changed.add(k)
    }
  }
}

/**
 * Writes thread changes into their day records: each record a change leaves or enters is read once and
 * written once, in the caller's transaction. A day's first record is read first; a day split into parts
 * (MAX_PART_THREADS) lists them there, and only the parts the changes fall in (and the ones before those,
 * which a shrinking part merges into) are read after it.
 */
export function writeThreadRows(
  table: Table<ThreadDayRow>,
  changes: readonly ThreadChange[],
): PromiseLike<unknown> {
  const touched = changes.flatMap(({ before, after }) => [before, after]).filter((t) => !!t)
  if (touched.length === 0) return Dexie.Promise.resolve()
  const dayKey = (t: ThreadRow): string => JSON.stringify([t.folderId, dayOf(t.date)])
  const firstKeys = new Map<string, [string, number]>()
  for (const t of touched) firstKeys.set(dayKey(t), [t.folderId, dayOf(t.date)])
  const keys = [...firstKeys.values()]
  const days = new Map<string, DayEdit>()
  return table
    .bulkGet(keys)
    .then((stored) => {
      keys.forEach(([folderId, day], i) =>
        days.set(JSON.stringify([folderId, day]), new DayEdit(folderId, day, stored[i])),
      )
      const parts = new Map<string, [DayEdit, number]>()
      for (const t of touched) {
        const edit = days.get(dayKey(t))!
        for (const key of edit.keysFor(t)) {
          if (!edit.isLoaded(key)) parts.set(JSON.stringify([t.folderId, key]), [edit, key])
        }
      }
      if (parts.size === 0) return undefined
      const wanted = [...parts.values()]
      return table
        .bulkGet(wanted.map(([edit, key]) => [edit.folderId, key]))
        .then((found) => wanted.forEach(([edit, key], i) => edit.load(key, found[i])))
    })
    .then(() => {
      for (const { before, after } of changes) {
        if (before) days.get(dayKey(before))!.remove(before)
        if (after) days.get(dayKey(after))!.add(after)
      }
      const put: ThreadDayRow[] = []
      const remove: [string, number][] = []
      for (const edit of days.values()) edit.finish(put, remove)
      return Dexie.Promise.all([
        put.length > 0 ? table.bulkPut(put) : null,
        remove.length > 0 ? table.bulkDelete(remove) : null,
      ])
    })
}

/**
 * The records of a folder that may hold threads dated in [from, to) (null: unbounded): the days of the range
 * in date order, each day's first record before its parts (whose date order is the first record's list).
 */
function daysBetween(table: Table<ThreadDayRow>, folderId: string, from: number | null, to: number | null) {
  const lo = from === null ? Dexie.minKey : dayOf(from)
  const hi = to === null ? Dexie.maxKey : dayOf(to) + 1
  return table.where('[folderId+day]').between([folderId, lo], [folderId, hi], true, false)
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
    // A record wholly inside the range (its threads are newest first) counts without looking at each.
    const newest = d.threads[0]
    const oldest = d.threads.at(-1)
    const whole = newest && oldest && inRange(from, to)(newest) && inRange(from, to)(oldest)
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
  // A day's first record names its parts in date order (their keys are not); each holds its threads newest first.
  for (const key of keys.filter(([, day]) => Number.isInteger(day))) {
    const first = await table.get(key)
    if (!first) continue
    const inOrder = [key, ...(first.parts ?? []).map((p): [string, number] => [folderId, p.key])]
    if (order === 'newest') inOrder.reverse()
    for (const k of inOrder) {
      const d = k === key ? first : await table.get(k)
      if (!d) continue
      const rows = d.threads.filter(inRange(from, to))
      out.push(...(order === 'newest' ? rows : rows.reverse()))
      if (out.length >= limit) return out.slice(0, limit)
    }
  }
  return out.slice(0, limit)
}
