import { bucketDeltas, type CountedFields, type ListBucketRow } from './list-buckets'
import type { MessageRow } from './rows'

/**
 * One conversation of one folder (schema version 7): what the conversation view shows for it, kept in step with
 * `messages` by the store (derived-rows.ts) in the same transaction as every write, so the view reads
 * one small row per thread instead of grouping the folder's messages on every change.
 */
export interface ThreadRow {
  folderId: string
  threadId: string
  /** The newest message's date and id: the row shown, and where the thread sorts. */
  date: number
  headId: number
  count: number
  unread: number
  flagged: number
}

/** What of a message row decides its thread row. */
export type ThreadFields = Pick<MessageRow, 'folderId' | 'threadId' | 'date' | 'unread' | 'flagged'> & {
  id?: number
}

/** Row fields whose change can change a thread row; other writes leave threads alone. */
export const THREAD_FIELDS: ReadonlySet<string> = new Set([
  'folderId',
  'threadId',
  'date',
  'unread',
  'flagged',
])

export const threadKey = (folderId: string, threadId: string): string => JSON.stringify([folderId, threadId])

/**
 * Rows in no thread: without a folder, thread or valid date they are in no index the view reads (NaN is not an
 * IndexedDB key), the same rule the per-day counts follow.
 */
export function inThread(row: ThreadFields | undefined): row is ThreadFields & { id: number } {
  return (
    !!row &&
    typeof row.folderId === 'string' &&
    typeof row.threadId === 'string' &&
    typeof row.date === 'number' &&
    !Number.isNaN(row.date) &&
    typeof row.id === 'number'
  )
}

/** Newer in list order: by date, then by id (the order IndexedDB gives equal dates). */
const newer = (a: { date: number; id: number }, b: { date: number; id: number }): boolean =>
  a.date > b.date || (a.date === b.date && a.id > b.id)

/** The changes one write makes to one thread. */
export interface ThreadDelta {
  folderId: string
  threadId: string
  count: number
  unread: number
  flagged: number
  /** Ids of rows that left the thread (or were replaced), and the newest row that entered it. */
  removed: Map<number, number>
  added: Map<number, number>
  newest: { date: number; id: number } | null
}

/** Per thread: what `removed` rows leaving and `added` rows entering the store change (an update is both). */
export function threadDeltas(
  removed: Iterable<ThreadFields | undefined>,
  added: Iterable<ThreadFields | undefined>,
): ThreadDelta[] {
  const deltas = new Map<string, ThreadDelta>()
  const count = (row: ThreadFields | undefined, sign: 1 | -1): void => {
    if (!inThread(row)) return
    const key = threadKey(row.folderId, row.threadId)
    let d = deltas.get(key)
    if (!d) {
      d = {
        folderId: row.folderId,
        threadId: row.threadId,
        count: 0,
        unread: 0,
        flagged: 0,
        removed: new Map(),
        added: new Map(),
        newest: null,
      }
      deltas.set(key, d)
    }
    d.count += sign
    if (row.unread === 1) d.unread += sign
    if (row.flagged === 1) d.flagged += sign
    if (sign < 0) d.removed.set(row.id, row.date)
    else {
      d.added.set(row.id, row.date)
      if (!d.newest || newer(row, d.newest)) d.newest = { date: row.date, id: row.id }
    }
  }
  for (const row of removed) count(row, -1)
  for (const row of added) count(row, 1)
  return [...deltas.values()]
}

/**
 * `current` (undefined where the thread has no row yet) after `delta`: `null` when the thread is gone here.
 * `head` is null when the newest message left the thread and nothing this write added is newer than it: the
 * next newest must then be read from the messages.
 */
export function applyThreadDelta(
  current: ThreadRow | undefined,
  d: ThreadDelta,
): { counts: Omit<ThreadRow, 'date' | 'headId'>; head: { date: number; id: number } | null } | null {
  const count = (current?.count ?? 0) + d.count
  if (count <= 0) return null
  const counts = {
    folderId: d.folderId,
    threadId: d.threadId,
    count,
    unread: (current?.unread ?? 0) + d.unread,
    flagged: (current?.flagged ?? 0) + d.flagged,
  }
  const head = current ? { date: current.date, id: current.headId } : null
  // A rewritten head stays the head if it is still here with the same date.
  const headLeft = !head || (d.removed.has(head.id) && d.added.get(head.id) !== head.date)
  if (d.newest && (!head || newer(d.newest, head))) return { counts, head: d.newest }
  return { counts, head: headLeft ? null : head }
}

/** A thread as the per-day thread counts see it: on its newest message's day, unread / flagged if any is. */
export function threadCounted(t: ThreadRow | undefined | null): CountedFields | undefined {
  if (!t) return undefined
  return { folderId: t.folderId, date: t.date, unread: t.unread > 0 ? 1 : 0, flagged: t.flagged > 0 ? 1 : 0 }
}

/** Every thread of `rows`, as the store keeps them (for the schema upgrade, benches and drift checks). */
export function threadsOf(rows: Iterable<ThreadFields>): ThreadRow[] {
  const threads = new Map<string, ThreadRow>()
  for (const row of rows) {
    if (!inThread(row)) continue
    const key = threadKey(row.folderId, row.threadId)
    const t = threads.get(key)
    if (!t) {
      threads.set(key, {
        folderId: row.folderId,
        threadId: row.threadId,
        date: row.date,
        headId: row.id,
        count: 1,
        unread: row.unread === 1 ? 1 : 0,
        flagged: row.flagged === 1 ? 1 : 0,
      })
      continue
    }
    t.count++
    if (row.unread === 1) t.unread++
    if (row.flagged === 1) t.flagged++
    if (newer(row, { date: t.date, id: t.headId })) {
      t.date = row.date
      t.headId = row.id
    }
  }
  return [...threads.values()]
}

/** The per-day thread counts of `threads` (`threadDayCounts`, stored by day-count-spans.ts). */
export const threadBucketsOf = (threads: Iterable<ThreadRow>): ListBucketRow[] =>
  bucketDeltas([], [...threads].map(threadCounted))

/**
 * Thread rows and per-day thread counts that differ from what the messages say: empty when the kept rows are
 * right. For tests that drive real write paths.
 */
export function threadDrift(
  keptThreads: readonly ThreadRow[],
  keptBuckets: readonly ListBucketRow[],
  rows: Iterable<ThreadFields>,
): { expected: unknown; kept: unknown }[] {
  const expected = threadsOf(rows)
  const drift: { expected: unknown; kept: unknown }[] = []
  const compare = <T>(want: readonly T[], have: readonly T[], key: (t: T) => string): void => {
    const w = new Map(want.map((t) => [key(t), t]))
    const h = new Map(have.map((t) => [key(t), t]))
    for (const k of new Set([...w.keys(), ...h.keys()])) {
      const e = w.get(k) ?? null
      const got = h.get(k) ?? null
      if (JSON.stringify(e) !== JSON.stringify(got)) drift.push({ expected: e, kept: got })
    }
  }
  const tkey = (t: ThreadRow): string => threadKey(t.folderId, t.threadId)
  // Field order differs between rows built here and rows read back; compare them in one shape.
  const shape = (t: ThreadRow): ThreadRow => ({
    folderId: t.folderId,
    threadId: t.threadId,
    date: t.date,
    headId: t.headId,
    count: t.count,
    unread: t.unread,
    flagged: t.flagged,
  })
  compare(expected.map(shape), keptThreads.map(shape), tkey)
  const bshape = (b: ListBucketRow): ListBucketRow => ({
    folderId: b.folderId,
    day: b.day,
    all: b.all,
    unread: b.unread,
    flagged: b.flagged,
  })
  compare(threadBucketsOf(expected).map(bshape), keptBuckets.map(bshape), (b) =>
    JSON.stringify([b.folderId, b.day]),
  )
  return drift
}
