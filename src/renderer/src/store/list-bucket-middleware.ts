import {
  Dexie,
  type DBCore,
  type DBCoreMutateRequest,
  type DBCoreMutateResponse,
  type DBCoreTable,
  type DBCoreTransaction,
  type Middleware,
} from 'dexie'
import {
  applyBucketDeltas,
  bucketDeltas,
  COUNTED_FIELDS,
  dayOf,
  type CountedFields,
  type ListBucketRow,
} from './list-buckets'
import {
  applyThreadDelta,
  threadCounted,
  threadDeltas,
  threadKey,
  THREAD_FIELDS,
  type ThreadFields,
  type ThreadRow,
} from './threads'

/** DBCoreRangeType.Any (an ambient const enum in Dexie's typings, which isolated modules cannot read). */
const RANGE_ANY = 3

export const MESSAGES_TABLE = 'messages'
export const BUCKETS_TABLE = 'listBuckets'
export const THREADS_TABLE = 'threads'
export const THREAD_BUCKETS_TABLE = 'threadBuckets'
/** The tables this middleware keeps in step with `messages`. */
const KEPT_TABLES = [BUCKETS_TABLE, THREADS_TABLE, THREAD_BUCKETS_TABLE]

/**
 * One folder's thread rows as committed, held in memory by a writer that adds many rows to the folder in a row
 * of transactions (a header pass into an empty folder): the upkeep of a transaction the cache is lent to
 * (`lendThreadCache`) answers that folder's thread rows from it instead of reading each from the store. What
 * the upkeep writes goes into the cache when the transaction has committed. Any other write touching the
 * folder's threads, or a cleared table, makes it invalid, and the upkeep reads the store again as before.
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
const lentTo = new WeakMap<DBCoreTransaction, Lent>()

/** A cache for `folderId`'s thread rows until `closeThreadCache`: fill it after this call (or not: no rows). */
export function openThreadCache(folderId: string): FolderThreadCache {
  const cache = new FolderThreadCache(folderId)
  liveCaches.add(cache)
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
  const trans = idbTransaction as unknown as DBCoreTransaction
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
function lentFor(trans: DBCoreTransaction, folderId: string): Lent | undefined {
  const lent = lentTo.get(trans)
  return lent?.cache.valid && lent.cache.folderId === folderId ? lent : undefined
}

/** A write that did not use the cache changed `folderId`'s threads: what the cache holds may be stale. */
function invalidateCaches(trans: DBCoreTransaction, folderId: string | null): void {
  for (const cache of liveCaches) {
    if ((folderId === null || cache.folderId === folderId) && lentTo.get(trans)?.cache !== cache) {
      cache.valid = false
    }
  }
}

/**
 * Keeps `listBuckets` in step with `messages` (list-buckets.ts) below every write API of Dexie: each mutation
 * of `messages` (add, put, update, modify, delete, clear) adjusts the buckets it touches in the SAME
 * transaction, so the counts commit or roll back with the rows and cannot drift, whichever of the many write
 * paths (sync, actions, import, transfer) made the change. A read-write transaction over `messages` gets
 * `listBuckets` added to its scope for that. The same goes for the conversation view's thread rows (`threads`,
 * threads.ts) and their per-day counts (`threadBuckets`, schema version 7).
 */
export const listBucketMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'ListBuckets',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        if (mode !== 'readwrite' || !stores.includes(MESSAGES_TABLE))
          return down.transaction(stores, mode, options)
        const missing = KEPT_TABLES.filter((t) => !stores.includes(t))
        return down.transaction(missing.length > 0 ? [...stores, ...missing] : stores, mode, options)
      },
      table(name) {
        const table = down.table(name)
        if (name !== MESSAGES_TABLE) return table
        return {
          ...table,
          mutate: (req) => inOrder(req.trans, () => mutateCounting(down, table, req)),
        }
      },
    }
  },
}

/**
 * Mutations of one transaction run one after another: each reads the rows it replaces before writing, and a
 * parallel write of the same row in between would make that reading stale (and the buckets' read-add-write
 * would lose an update).
 *
 * Written as `.then` chains on Dexie's promises, not async/await: the middlewares below this one (hooks,
 * cache) find their transaction in Dexie's zone, which follows `.then` callbacks but not native awaits.
 */
const queues = new WeakMap<DBCoreTransaction, PromiseLike<unknown>>()
function inOrder<T>(trans: DBCoreTransaction, run: () => PromiseLike<T>): Promise<T> {
  const next = Dexie.Promise.resolve(queues.get(trans)).then(run)
  queues.set(
    trans,
    next.then(
      () => undefined,
      () => undefined,
    ),
  )
  return next
}

/**
 * During a schema upgrade, versions older than 5 have no bucket table yet (version 5's upgrade fills it), and
 * versions older than 7 no thread tables (version 7's upgrade fills them).
 */
function has(trans: DBCoreTransaction, table: string): boolean {
  // DBCore's transaction is the IDBTransaction itself.
  const names = (trans as { objectStoreNames?: { contains(name: string): boolean } }).objectStoreNames
  return names ? names.contains(table) : true
}

/** False when the write cannot change a kept row: an update or modify that touches none of `fields`. */
function mayChange(req: DBCoreMutateRequest, fields: ReadonlySet<string>): boolean {
  if (req.type !== 'put') return true
  const touches = (spec: Record<string, unknown>): boolean =>
    Object.keys(spec).some((path) => fields.has(path.split('.')[0]!))
  if (req.updates) return req.updates.changeSpecs.some(touches)
  if (req.changeSpec) return touches(req.changeSpec)
  return true
}

type Before = ((CountedFields & ThreadFields) | undefined)[]

/** The stored versions of the rows a mutation replaces or deletes (undefined where none exists). */
function rowsBefore(table: DBCoreTable, req: DBCoreMutateRequest): PromiseLike<Before> {
  const { trans } = req
  switch (req.type) {
    case 'add':
      return Dexie.Promise.resolve([])
    case 'delete':
      return table.getMany({ trans, keys: req.keys }) as Promise<Before>
    case 'deleteRange': {
      const query = { index: table.schema.primaryKey, range: req.range }
      return table.query({ trans, values: true, query }).then(({ result }) => result as Before)
    }
    case 'put': {
      const keys: unknown[] =
        req.keys ?? req.values.map((v) => table.schema.primaryKey.extractKey?.(v) as unknown)
      const known = keys.flatMap((k, i) => (k === undefined ? [] : [i]))
      return table.getMany({ trans, keys: known.map((i) => keys[i]) }).then((found) => {
        const before: Before = keys.map(() => undefined)
        known.forEach((i, j) => (before[i] = found[j] as Before[number]))
        return before
      })
    }
  }
}

function mutateCounting(
  down: DBCore,
  table: DBCoreTable,
  req: DBCoreMutateRequest,
): PromiseLike<DBCoreMutateResponse> {
  const { trans } = req
  const buckets = has(trans, BUCKETS_TABLE) && mayChange(req, COUNTED_FIELDS)
  const threads = has(trans, THREADS_TABLE) && mayChange(req, THREAD_FIELDS)
  if (!buckets && !threads) return table.mutate(req)
  if (req.type === 'deleteRange' && req.range.type === RANGE_ANY) {
    // clear(): every count and thread goes, without reading every row first.
    if (threads) invalidateCaches(trans, null)
    const kept = [
      ...(buckets ? [BUCKETS_TABLE] : []),
      ...(threads ? [THREADS_TABLE, THREAD_BUCKETS_TABLE] : []),
    ]
    return table
      .mutate(req)
      .then((res) =>
        Dexie.Promise.all(
          kept.map((t) => down.table(t).mutate({ trans, type: 'deleteRange', range: req.range })),
        ).then(() => res),
      )
  }
  return rowsBefore(table, req).then((before) => {
    // The kept rows this write can touch are read BEFORE it is made, in the same breath: IndexedDB runs a
    // transaction's requests in the order they were made, and a `messages` write changes no kept row, so the
    // reads see what they would see after it, and the small reads no longer wait behind the big write (and
    // it not behind them). Each waited-for round trip leaves the database idle; a header batch used to make
    // seven in a row.
    const values = req.type === 'add' || req.type === 'put' ? (req.values as Before) : []
    const candidates = [...before, ...values]
    const bucketRows = new ReadAhead<ListBucketRow>(down, trans, BUCKETS_TABLE)
    const threadRows = new ReadAhead<ThreadRow>(down, trans, THREADS_TABLE, (key) => {
      const [folder, thread] = key as [string, string]
      const lent = lentFor(trans, folder)
      if (!lent) return null
      const k = threadKey(folder, thread)
      const written = lent.written.get(k)
      return { row: written === undefined ? lent.cache.rows.get(k) : (written ?? undefined) }
    })
    const threadBucketRows = new ReadAhead<ListBucketRow>(down, trans, THREAD_BUCKETS_TABLE)
    const reads: PromiseLike<unknown>[] = []
    if (buckets) reads.push(bucketRows.read(dayKeys(candidates)))
    if (threads) {
      // A thread is counted on its head's day: a row this write adds may become a head, and a thread that
      // exists leaves its current day if its head changes (that day is read as soon as the thread rows are in).
      reads.push(threadBucketRows.read(dayKeys(values)))
      reads.push(
        threadRows
          .read(threadKeys(candidates))
          .then((found) =>
            threadBucketRows.read(found.flatMap((t) => (t ? [[t.folderId, dayOf(t.date)]] : []))),
          ),
      )
    }
    return Dexie.Promise.all([table.mutate(req), Dexie.Promise.all(reads)]).then(([res]) => {
      const failed = (i: number): boolean => res.failures[i] !== undefined
      // The rows as stored: with the ids IndexedDB gave new ones (results hold every add's and put's key).
      const added = values.flatMap((v, i) =>
        failed(i) || !v ? [] : [{ ...v, id: res.results?.[i] as number | undefined }],
      )
      // Items of a put or delete that failed replaced nothing; a deleteRange has no per-item failures.
      const removed = req.type === 'deleteRange' ? before : before.filter((_, i) => !failed(i))
      return Dexie.Promise.all([
        buckets ? keepBuckets(trans, bucketRows, bucketDeltas(removed, added)) : null,
        threads ? keepThreads(table, trans, threadRows, threadBucketRows, removed, added) : null,
      ]).then(() => res)
    })
  })
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
    private readonly down: DBCore,
    private readonly trans: DBCoreTransaction,
    private readonly tableName: string,
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
      const fetching = this.table()
        .getMany({ trans: this.trans, keys: [...missing.values()] })
        .then((found: (T | undefined)[]) => pending.forEach((k, i) => this.rows.set(k, found[i])))
      this.inFlight = Dexie.Promise.all([this.inFlight, fetching]).then(() => undefined)
    }
    return this.inFlight.then(() => keys.map((key) => this.rows.get(JSON.stringify(key))))
  }

  table(): DBCoreTable {
    return this.down.table(this.tableName)
  }

  /** Keys asked for (read or being read), and every read not finished yet. */
  private readonly requested = new Set<string>()
  private inFlight: PromiseLike<void> = Dexie.Promise.resolve()
}

/** Adds `deltas` to the per-day count rows of `rows`' table (listBuckets or threadBuckets). */
function keepBuckets(
  trans: DBCoreTransaction,
  rows: ReadAhead<ListBucketRow>,
  deltas: ListBucketRow[],
): PromiseLike<unknown> {
  if (deltas.length === 0) return Dexie.Promise.resolve()
  const buckets = rows.table()
  return rows.read(deltas.map((d) => [d.folderId, d.day])).then((current) => {
    const { put, remove } = applyBucketDeltas(current, deltas)
    return Dexie.Promise.all([
      put.length > 0 ? buckets.mutate({ trans, type: 'put', values: put }) : null,
      remove.length > 0 ? buckets.mutate({ trans, type: 'delete', keys: remove }) : null,
    ])
  })
}

/**
 * Brings the thread rows of the threads a write touched up to date, then their per-day counts. A thread whose
 * newest message left it reads its next newest from the [folderId+threadId+date] index (after the write).
 */
function keepThreads(
  messages: DBCoreTable,
  trans: DBCoreTransaction,
  threadRows: ReadAhead<ThreadRow>,
  threadBucketRows: ReadAhead<ListBucketRow>,
  removed: Before,
  added: Before,
): PromiseLike<unknown> {
  const deltas = threadDeltas(removed, added)
  if (deltas.length === 0) return Dexie.Promise.resolve()
  const threads = threadRows.table()
  const index = messages.schema.getIndexByKeyPath(['folderId', 'threadId', 'date'])
  const newestOf = (folderId: string, threadId: string): PromiseLike<{ date: number; id: number } | null> => {
    if (!index) throw new Error('the messages table has no [folderId+threadId+date] index')
    const range = {
      type: 2 /* DBCoreRangeType.Range */,
      lower: [folderId, threadId, -Infinity],
      upper: [folderId, threadId, Infinity],
      lowerOpen: false,
      upperOpen: false,
    } as const
    return messages
      .openCursor({ trans, values: false, reverse: true, query: { index, range } })
      .then((cursor) =>
        cursor
          ? { date: (cursor.key as [string, string, number])[2], id: cursor.primaryKey as number }
          : null,
      )
  }
  return threadRows.read(deltas.map((d) => [d.folderId, d.threadId])).then((current) =>
    Dexie.Promise.all(
      deltas.map((d, i) => {
        const next = applyThreadDelta(current[i], d)
        if (!next) return null
        if (next.head) return { ...next.counts, date: next.head.date, headId: next.head.id }
        return newestOf(d.folderId, d.threadId).then((head) =>
          head ? { ...next.counts, date: head.date, headId: head.id } : null,
        )
      }),
    ).then((next: (ThreadRow | null)[]) => {
      const put = next.filter((t): t is ThreadRow => t !== null)
      const remove = deltas.flatMap((d, i) =>
        next[i] === null && current[i] ? [[d.folderId, d.threadId]] : [],
      )
      deltas.forEach((d, i) => {
        const lent = lentFor(trans, d.folderId)
        if (lent) lent.written.set(threadKey(d.folderId, d.threadId), next[i] ?? null)
        else invalidateCaches(trans, d.folderId)
      })
      return Dexie.Promise.all([
        put.length > 0 ? threads.mutate({ trans, type: 'put', values: put }) : null,
        remove.length > 0 ? threads.mutate({ trans, type: 'delete', keys: remove }) : null,
        keepBuckets(
          trans,
          threadBucketRows,
          bucketDeltas(current.map(threadCounted), next.map(threadCounted)),
        ),
      ])
    }),
  )
}
