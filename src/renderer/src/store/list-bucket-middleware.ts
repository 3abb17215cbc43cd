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
  type CountedFields,
  type ListBucketRow,
} from './list-buckets'
import {
  applyThreadDelta,
  threadCounted,
  threadDeltas,
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
 * Keeps `listBuckets` in step with `messages` (list-buckets.ts) below every write API of Dexie: each mutation
 * of `messages` (add, put, update, modify, delete, clear) adjusts the buckets it touches in the SAME
 * transaction, so the counts commit or roll back with the rows and cannot drift, whichever of the many write
 * paths (sync, actions, import, transfer) made the change. A read-write transaction over `messages` gets
 * `listBuckets` added to its scope for that. The same goes for the conversation view's thread rows (`threads`,
 * threads.ts) and their per-day counts (`threadBuckets`, schema version 6).
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
  return rowsBefore(table, req).then((before) =>
    table.mutate(req).then((res) => {
      const failed = (i: number): boolean => res.failures[i] !== undefined
      // The rows as stored: with the ids IndexedDB gave new ones (results hold every add's and put's key).
      const added =
        req.type === 'add' || req.type === 'put'
          ? (req.values as Before).flatMap((v, i) =>
              failed(i) || !v ? [] : [{ ...v, id: res.results?.[i] as number | undefined }],
            )
          : []
      // Items of a put or delete that failed replaced nothing; a deleteRange has no per-item failures.
      const removed = req.type === 'deleteRange' ? before : before.filter((_, i) => !failed(i))
      return (
        buckets
          ? keepBuckets(down, trans, BUCKETS_TABLE, bucketDeltas(removed, added))
          : Dexie.Promise.resolve()
      )
        .then(() => (threads ? keepThreads(down, table, trans, removed, added) : undefined))
        .then(() => res)
    }),
  )
}

/** Adds `deltas` to the per-day count rows of `tableName` (listBuckets or threadBuckets). */
function keepBuckets(
  down: DBCore,
  trans: DBCoreTransaction,
  tableName: string,
  deltas: ListBucketRow[],
): PromiseLike<unknown> {
  if (deltas.length === 0) return Dexie.Promise.resolve()
  const buckets = down.table(tableName)
  const keys = deltas.map((d) => [d.folderId, d.day])
  return buckets
    .getMany({ trans, keys })
    .then((current: (ListBucketRow | undefined)[]) => {
      const { put, remove } = applyBucketDeltas(current, deltas)
      return put.length > 0 ? buckets.mutate({ trans, type: 'put', values: put }).then(() => remove) : remove
    })
    .then((remove) => (remove.length > 0 ? buckets.mutate({ trans, type: 'delete', keys: remove }) : null))
}

/**
 * Brings the thread rows of the threads a write touched up to date, then their per-day counts. A thread whose
 * newest message left it reads its next newest from the [folderId+threadId+date] index (after the write).
 */
function keepThreads(
  down: DBCore,
  messages: DBCoreTable,
  trans: DBCoreTransaction,
  removed: Before,
  added: Before,
): PromiseLike<unknown> {
  const deltas = threadDeltas(removed, added)
  if (deltas.length === 0) return Dexie.Promise.resolve()
  const threads = down.table(THREADS_TABLE)
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
  return threads
    .getMany({ trans, keys: deltas.map((d) => [d.folderId, d.threadId]) })
    .then((current: (ThreadRow | undefined)[]) =>
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
        return Dexie.Promise.all([
          put.length > 0 ? threads.mutate({ trans, type: 'put', values: put }) : null,
          remove.length > 0 ? threads.mutate({ trans, type: 'delete', keys: remove }) : null,
        ]).then(() =>
          keepBuckets(
            down,
            trans,
            THREAD_BUCKETS_TABLE,
            bucketDeltas(current.map(threadCounted), next.map(threadCounted)),
          ),
        )
      }),
    )
}
