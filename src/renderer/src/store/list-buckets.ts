import type { MessageRow } from './rows'

/**
 * How many messages of one folder are dated on one UTC day, per list filter (schema version 5). Kept in step
 * with `messages` by the store itself (derived-rows.ts), in the same transaction as every write, so
 * the list never counts a folder: its length, its date groups and the position of any row come from these
 * few rows (one per day with mail) plus, at most, one day's index range.
 */
export interface ListBucketRow {
  folderId: string
  /** Days since the epoch (UTC): `dayOf(date)`. */
  day: number
  all: number
  unread: number
  flagged: number
}

export const DAY_MS = 24 * 60 * 60 * 1000

export const dayOf = (date: number): number => Math.floor(date / DAY_MS)

/** The fields of a message row that decide which bucket counts it and how. */
export type CountedFields = Pick<MessageRow, 'folderId' | 'date' | 'unread' | 'flagged'>

/** Row fields whose change moves a message between buckets or filters; other writes leave the counts alone. */
export const COUNTED_FIELDS: ReadonlySet<string> = new Set(['folderId', 'date', 'unread', 'flagged'])

const bucketKey = (folderId: string, day: number): string => JSON.stringify([folderId, day])

/**
 * What the counts must change by when `removed` rows leave the store and `added` rows enter it (an update is
 * both: its old and its new version). Buckets whose changes cancel out are left out.
 */
export function bucketDeltas(
  removed: Iterable<CountedFields | undefined>,
  added: Iterable<CountedFields | undefined>,
): ListBucketRow[] {
  const deltas = new Map<string, ListBucketRow>()
  const count = (row: CountedFields | undefined, sign: 1 | -1): void => {
    // Rows without a folder or a valid date are in no list index (NaN is not an IndexedDB key), so the list
    // cannot show them, and a NaN day would make the bucket's own key invalid and abort the write.
    if (!row || typeof row.folderId !== 'string' || typeof row.date !== 'number' || Number.isNaN(row.date))
      return
    const day = dayOf(row.date)
    const key = bucketKey(row.folderId, day)
    let d = deltas.get(key)
    if (!d) deltas.set(key, (d = { folderId: row.folderId, day, all: 0, unread: 0, flagged: 0 }))
    d.all += sign
    if (row.unread === 1) d.unread += sign
    if (row.flagged === 1) d.flagged += sign
  }
  for (const row of removed) count(row, -1)
  for (const row of added) count(row, 1)
  return [...deltas.values()].filter((d) => d.all !== 0 || d.unread !== 0 || d.flagged !== 0)
}

/**
 * `current` buckets (undefined where none exists yet) after adding `deltas` (same order): the rows to write,
 * and the keys of buckets that became empty.
 */
export function applyBucketDeltas(
  current: readonly (ListBucketRow | undefined)[],
  deltas: readonly ListBucketRow[],
): { put: ListBucketRow[]; remove: [string, number][] } {
  const put: ListBucketRow[] = []
  const remove: [string, number][] = []
  deltas.forEach((d, i) => {
    const c = current[i]
    const next: ListBucketRow = {
      folderId: d.folderId,
      day: d.day,
      all: (c?.all ?? 0) + d.all,
      unread: (c?.unread ?? 0) + d.unread,
      flagged: (c?.flagged ?? 0) + d.flagged,
    }
    if (next.all > 0) put.push(next)
    else if (c) remove.push([d.folderId, d.day])
  })
  return { put, remove }
}

/**
 * Buckets that differ from a count of the rows themselves (both sides given): empty when the kept counts are
 * right. For tests that drive real write paths.
 */
export function bucketDrift(
  kept: readonly ListBucketRow[],
  rows: Iterable<CountedFields>,
): { expected: ListBucketRow | null; kept: ListBucketRow | null }[] {
  const key = (b: ListBucketRow): string => bucketKey(b.folderId, b.day)
  const expected = new Map(bucketDeltas([], rows).map((b) => [key(b), b]))
  const have = new Map(kept.map((b) => [key(b), b]))
  const drift: { expected: ListBucketRow | null; kept: ListBucketRow | null }[] = []
  for (const k of new Set([...expected.keys(), ...have.keys()])) {
    const e = expected.get(k) ?? null
    const h = have.get(k) ?? null
    if (JSON.stringify(e) !== JSON.stringify(h)) drift.push({ expected: e, kept: h })
  }
  return drift
}
