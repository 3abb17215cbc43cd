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

/** DBCoreRangeType.Any (an ambient const enum in Dexie's typings, which isolated modules cannot read). */
const RANGE_ANY = 3

export const MESSAGES_TABLE = 'messages'
export const BUCKETS_TABLE = 'listBuckets'

/**
 * Keeps `listBuckets` in step with `messages` (list-buckets.ts) below every write API of Dexie: each mutation
 * of `messages` (add, put, update, modify, delete, clear) adjusts the buckets it touches in the SAME
 * transaction, so the counts commit or roll back with the rows and cannot drift, whichever of the many write
 * paths (sync, actions, import, transfer) made the change. A read-write transaction over `messages` gets
 * `listBuckets` added to its scope for that.
 */
export const listBucketMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'ListBuckets',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        const widen =
          mode === 'readwrite' && stores.includes(MESSAGES_TABLE) && !stores.includes(BUCKETS_TABLE)
        return down.transaction(widen ? [...stores, BUCKETS_TABLE] : stores, mode, options)
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

/** During a schema upgrade, versions older than 5 have no bucket table yet (version 5's upgrade fills it). */
function hasBuckets(trans: DBCoreTransaction): boolean {
  // DBCore's transaction is the IDBTransaction itself.
  const names = (trans as { objectStoreNames?: { contains(name: string): boolean } }).objectStoreNames
  return names ? names.contains(BUCKETS_TABLE) : true
}

/** False when the write cannot change a count: an update or modify that touches no counted field. */
function mayChangeCounts(req: DBCoreMutateRequest): boolean {
  if (req.type !== 'put') return true
  const touches = (spec: Record<string, unknown>): boolean =>
    Object.keys(spec).some((path) => COUNTED_FIELDS.has(path.split('.')[0]!))
  if (req.updates) return req.updates.changeSpecs.some(touches)
  if (req.changeSpec) return touches(req.changeSpec)
  return true
}

type Before = (CountedFields | undefined)[]

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
        known.forEach((i, j) => (before[i] = found[j] as CountedFields | undefined))
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
  if (!hasBuckets(req.trans) || !mayChangeCounts(req)) return table.mutate(req)
  const { trans } = req
  const buckets = down.table(BUCKETS_TABLE)
  if (req.type === 'deleteRange' && req.range.type === RANGE_ANY) {
    // clear(): every count goes, without reading every row first.
    return table
      .mutate(req)
      .then((res) => buckets.mutate({ trans, type: 'deleteRange', range: req.range }).then(() => res))
  }
  return rowsBefore(table, req).then((before) =>
    table.mutate(req).then((res) => {
      const failed = (i: number): boolean => res.failures[i] !== undefined
      const added =
        req.type === 'add' || req.type === 'put'
          ? (req.values as CountedFields[]).filter((_, i) => !failed(i))
          : []
      // Items of a put or delete that failed replaced nothing; a deleteRange has no per-item failures.
      const removed = req.type === 'deleteRange' ? before : before.filter((_, i) => !failed(i))
      const deltas = bucketDeltas(removed, added)
      if (deltas.length === 0) return res
      const keys = deltas.map((d) => [d.folderId, d.day])
      return buckets
        .getMany({ trans, keys })
        .then((current: (ListBucketRow | undefined)[]) => {
          const { put, remove } = applyBucketDeltas(current, deltas)
          return put.length > 0
            ? buckets.mutate({ trans, type: 'put', values: put }).then(() => remove)
            : remove
        })
        .then((remove) =>
          remove.length > 0 ? buckets.mutate({ trans, type: 'delete', keys: remove }) : null,
        )
        .then(() => res)
    }),
  )
}
