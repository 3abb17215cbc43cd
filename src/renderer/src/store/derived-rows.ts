import { Dexie, type Table } from 'dexie'
import {
  applyBucketDeltas,
  bucketDeltas,
  dayOf,
  type CountedFields,
  type ListBucketRow,
} from './list-buckets'
import { getDayRows, writeDayRows, type DayCountSpanRow } from './day-count-spans'
import { getThreadRows, readThreadRows, writeThreadRows, type ThreadDayRow } from './thread-days'
import {
  applyThreadDelta,
  threadCounted,
  threadDeltas,
  threadKey,
  type ThreadFields,
  type ThreadRow,
} from './threads'

/**
 * One folder's thread rows as committed, held in memory by a writer that adds many rows to the folder in a row
 * of transactions (a header pass into an empty folder, a POP3 download into the Inbox): the upkeep of a transaction the cache is lent to
 * (`lendThreadCache`) answers that folder's thread rows from it instead of reading each from the store. What
 * the upkeep writes goes into the cache when the transaction has committed. Any other write touching the
 * folder's threads makes it invalid, and the upkeep reads the store again as before.
 */
export class FolderThreadCache {
  /** Every thread row of the folder, by threadKey; a thread not in it has no row. */
  readonly rows = new Map<string, ThreadRow>()
  valid = true
  constructor(readonly folderId: string) {}
}

/** Caches whose writer is still at work: what another write of their folder must invalidate. */
const liveCaches = new Set<FolderThreadCache>()

interface Lent {
  cache: FolderThreadCache
  /** Thread rows this transaction wrote (null: removed), for its later writes, and the cache once committed. */
  written: Map<string, ThreadRow | null>
}
const lentTo = new WeakMap<object, Lent>()

/** A cache for `folderId`'s thread rows until `closeThreadCache`: fill it after this call (or not: no rows). */
export function openThreadCache(folderId: string): FolderThreadCache {
  const cache = new FolderThreadCache(folderId)
  liveCaches.add(cache)
  return cache
}

/**
 * `openThreadCache` filled with `folderId`'s thread rows as `threads` holds them now (read after the cache is
 * open: a write in between only makes it invalid).
 */
export async function readThreadCache(
  threadDays: Table<ThreadDayRow>,
  folderId: string,
): Promise<FolderThreadCache> {
  const cache = openThreadCache(folderId)
  try {
    for (const t of await readThreadRows(threadDays, folderId))
      cache.rows.set(threadKey(t.folderId, t.threadId), t)
  } catch (error) {
    closeThreadCache(cache)
    throw error
  }
  return cache
}

export function closeThreadCache(cache: FolderThreadCache): void {
  cache.valid = false
  liveCaches.delete(cache)
}

/** What of an IDBTransaction the cache needs (the type is not in every tsconfig's lib). */
interface TransactionEvents {
  addEventListener(type: 'complete', listener: () => void): void
}

/** Lets the upkeep of `idbTransaction` (Dexie's `Transaction.idbtrans`) use `cache`. */
export function lendThreadCache(idbTransaction: TransactionEvents, cache: FolderThreadCache): void {
  const trans: object = idbTransaction
  if (lentTo.get(trans)?.cache === cache) return
  const lent: Lent = { cache, written: new Map() }
  lentTo.set(trans, lent)
  idbTransaction.addEventListener('complete', () => {
    for (const [key, row] of lent.written) {
      if (row) cache.rows.set(key, row)
      else cache.rows.delete(key)
    }
  })
}

/** The cache lent to `trans` while it holds `folderId`'s thread rows. */
function lentFor(trans: object, folderId: string): Lent | undefined {
  const lent = lentTo.get(trans)
  return lent?.cache.valid && lent.cache.folderId === folderId ? lent : undefined
}

/** A write that did not use the cache changed `folderId`'s threads: what the cache holds may be stale. */
function invalidateCaches(trans: object, folderId: string): void {
  for (const cache of liveCaches) {
    if (cache.folderId === folderId && lentTo.get(trans)?.cache !== cache) {
      cache.valid = false
    }
  }
}

type Before = ((CountedFields & ThreadFields) | undefined)[]

/** The kept tables, bound to the writing transaction (store/messages/bound-tables.ts). */
export interface DerivedTables {
  listDayCounts: Table<DayCountSpanRow>
  threadDays: Table<ThreadDayRow>
  threadDayCounts: Table<DayCountSpanRow>
}

/** The newest remaining message of a thread in the folder being written (after the write), or null. */
export type NewestInThread = (threadId: string) => PromiseLike<{ date: number; id: number } | null>

/**
 * Brings the per-day counts, thread rows and thread per-day counts up to date for a write of one folder's
 * rows that removed `removed` and added `added` (an update is both), in the same read-write transaction as
 * the rows (`messageTables(db)` holds the kept tables), so they commit or roll back together and cannot drift.
 */
export function keepDerivedRows(
  tables: DerivedTables,
  idbTransaction: object,
  removed: Before,
  added: Before,
  newestOf: NewestInThread,
): PromiseLike<unknown> {
  if (removed.length === 0 && added.length === 0) return Dexie.Promise.resolve()
  const trans = idbTransaction
  const candidates = [...removed, ...added]
  const bucketRows = new ReadAhead<ListBucketRow>((keys) =>
    getDayRows(tables.listDayCounts, keys as [string, number][]),
  )
  const threadRows = new ReadAhead<ThreadRow>(
    (keys) => getThreadRows(tables.threadDays, keys as [string, string][]),
    (key) => {
      const [folder, thread] = key as [string, string]
      const lent = lentFor(trans, folder)
      if (!lent) return null
      const k = threadKey(folder, thread)
      const written = lent.written.get(k)
      return { row: written === undefined ? lent.cache.rows.get(k) : (written ?? undefined) }
    },
  )
  const threadBucketRows = new ReadAhead<ListBucketRow>((keys) =>
    getDayRows(tables.threadDayCounts, keys as [string, number][]),
  )
  // A thread is counted on its head's day: a row this write adds may become a head, and a thread that exists
  // leaves its current day if its head changes (that day is read as soon as the thread rows are in).
  const reads: PromiseLike<unknown>[] = [
    bucketRows.read(dayKeys(candidates)),
    threadBucketRows.read(dayKeys(added)),
    threadRows
      .read(threadKeys(candidates))
      .then((found) => threadBucketRows.read(found.flatMap((t) => (t ? [[t.folderId, dayOf(t.date)]] : [])))),
  ]
  return Dexie.Promise.all(reads).then(() =>
    Dexie.Promise.all([
      keepBuckets(tables.listDayCounts, bucketRows, bucketDeltas(removed, added)),
      keepThreads(tables, trans, threadRows, threadBucketRows, removed, added, newestOf),
    ]),
  )
}

/** [folderId, day] of every row with a folder and a valid date (the keys of the per-day counts it may touch). */
function dayKeys(rows: Before): [string, number][] {
  return rows.flatMap((r) =>
    r && typeof r.folderId === 'string' && typeof r.date === 'number' && !Number.isNaN(r.date)
      ? [[r.folderId, dayOf(r.date)] as [string, number]]
      : [],
  )
}

/** [folderId, threadId] of every row that may be in a thread (new rows have no id yet). */
function threadKeys(rows: Before): [string, string][] {
  return rows.flatMap((r) =>
    r && typeof r.folderId === 'string' && typeof r.threadId === 'string'
      ? [[r.folderId, r.threadId] as [string, string]]
      : [],
  )
}

/**
 * Rows of one kept table by key, each read once per write: `read` fetches only the keys not asked for yet and
 * answers from what was read, so the upkeep finds the rows read ahead without another round trip, and a key
 * nothing read ahead (the day of a thread's next newest message) still costs only one.
 */
class ReadAhead<T> {
  private readonly rows = new Map<string, T | undefined>()
  constructor(
    /** Reads rows by key (undefined: none), in the keys' order. */
    private readonly fetch: (keys: unknown[][]) => PromiseLike<(T | undefined)[]>,
    /** A row known without reading it (`{ row: undefined }`: known to be absent), or null to read it. */
    private readonly known: (key: unknown[]) => { row: T | undefined } | null = () => null,
  ) {}

  read(keys: readonly unknown[][]): PromiseLike<(T | undefined)[]> {
    const missing = new Map<string, unknown[]>()
    for (const key of keys) {
      const k = JSON.stringify(key)
      if (!this.requested.has(k)) {
        this.requested.add(k)
        const known = this.known(key)
        if (known) this.rows.set(k, known.row)
        else missing.set(k, key)
      }
    }
    if (missing.size > 0) {
      const pending = [...missing.keys()]
      const fetching = this.fetch([...missing.values()]).then((found) =>
        pending.forEach((k, i) => this.rows.set(k, found[i])),
      )
      this.inFlight = Dexie.Promise.all([this.inFlight, fetching]).then(() => undefined)
    }
    return this.inFlight.then(() => keys.map((key) => this.rows.get(JSON.stringify(key))))
  }

  /** Keys asked for (read or being read), and every read not finished yet. */
  private readonly requested = new Set<string>()
  private inFlight: PromiseLike<void> = Dexie.Promise.resolve()
}

/** Adds `deltas` to the per-day counts of `buckets` (listDayCounts or threadDayCounts), read through `rows`. */
function keepBuckets(
  buckets: Table<DayCountSpanRow>,
  rows: ReadAhead<ListBucketRow>,
  deltas: ListBucketRow[],
): PromiseLike<unknown> {
  if (deltas.length === 0) return Dexie.Promise.resolve()
  return rows.read(deltas.map((d) => [d.folderId, d.day])).then((current) => {
    const { put, remove } = applyBucketDeltas(current, deltas)
    return writeDayRows(buckets, put, remove)
  })
}

/**
 * Brings the thread rows of the threads a write touched up to date, then their per-day counts. A thread whose
 * newest message left it asks `newestOf` for its next newest (after the write).
 */
function keepThreads(
  tables: DerivedTables,
  trans: object,
  threadRows: ReadAhead<ThreadRow>,
  threadBucketRows: ReadAhead<ListBucketRow>,
  removed: Before,
  added: Before,
  newestOf: NewestInThread,
): PromiseLike<unknown> {
  const deltas = threadDeltas(removed, added)
  if (deltas.length === 0) return Dexie.Promise.resolve()
  return threadRows.read(deltas.map((d) => [d.folderId, d.threadId])).then((current) =>
    Dexie.Promise.all(
      deltas.map((d, i) => {
        const next = applyThreadDelta(current[i], d)
        if (!next) return null
        if (next.head) return { ...next.counts, date: next.head.date, headId: next.head.id }
        return newestOf(d.threadId).then((head) =>
          head ? { ...next.counts, date: head.date, headId: head.id } : null,
        )
      }),
    ).then((next: (ThreadRow | null)[]) => {
      deltas.forEach((d, i) => {
        const lent = lentFor(trans, d.folderId)
        if (lent) lent.written.set(threadKey(d.folderId, d.threadId), next[i] ?? null)
        else invalidateCaches(trans, d.folderId)
      })
      return Dexie.Promise.all([
        writeThreadRows(
          tables.threadDays,
          deltas.map((_, i) => ({ before: current[i], after: next[i] ?? null })),
        ),
        keepBuckets(
          tables.threadDayCounts,
          threadBucketRows,
          bucketDeltas(current.map(threadCounted), next.map(threadCounted)),
        ),
      ])
    }),
  )
}
