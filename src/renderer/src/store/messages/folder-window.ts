import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import { listOrder, sortDate, type ChunkInfo, type StoredRow } from './chunk-layout'
import type { BoundTables } from './bound-tables'
import { folderRows, loadChunks, readDirectory, reading } from './folder-chunks'

/** Which of a folder's messages a list shows. */
export type ListFilter = 'all' | 'unread' | 'flagged'

/** A part of one folder's messages in date order. */
export interface FolderDateQuery {
  filter: ListFilter
  /** Dates (ms) from `from` (inclusive) to `to` (exclusive); null: unbounded. */
  from?: number | null
  to?: number | null
  /** Newest first (by date, then by id descending); otherwise oldest first. */
  newestFirst?: boolean
  /** Rows of the range stepped over before the first one returned (a cursor step each). */
  offset?: number
  limit?: number
}

/** A chunk's rows that a filter keeps, by the directory alone. */
function countOf(c: ChunkInfo, filter: ListFilter): number {
  return filter === 'all' ? c.count : filter === 'unread' ? c.unread : c.flagged
}

/** True when a row is in the date range [from, to) and passes the filter. */
function selects(filter: ListFilter, from: number, to: number, r: StoredRow): boolean {
  const d = sortDate(r.date)
  if (d < from || d >= to) return false
  return filter === 'all' || (filter === 'unread' ? r.unread === 1 : r.flagged === 1)
}

/** The folder's chunks that may hold rows dated in [from, to), newest first (none without a directory). */
async function chunksInRange(
  t: BoundTables,
  folderId: string,
  from: number,
  to: number,
): Promise<ChunkInfo[]> {
  const dir = await readDirectory(t, folderId)
  return dir ? dir.chunks.filter((c) => c.newestDate >= from && c.oldestDate < to) : []
}

/**
 * The rows of a folder that `q`'s filter and dates select, newest first, in runs of one chunk each (none
 * empty): every chunk the date range overlaps is loaded.
 */
async function selectRuns(
  t: BoundTables,
  folderId: string,
  q: Pick<FolderDateQuery, 'filter' | 'from' | 'to'>,
): Promise<StoredRow[][]> {
  const from = q.from ?? -Infinity
  const to = q.to ?? Infinity
  return (await loadChunks(t, folderId, await chunksInRange(t, folderId, from, to)))
    .map((c) => c.rows.filter((r) => selects(q.filter, from, to, r)))
    .filter((run) => run.length > 0)
}

/** The rows of a folder (its directory's chunks, list order) that `q` selects, in its order. */
async function select(t: BoundTables, folderId: string, q: FolderDateQuery): Promise<StoredRow[]> {
  let skip = q.offset ?? 0
  const limit = q.limit ?? Infinity
  if (skip === 0 && limit === Infinity) {
    const rows = (await selectRuns(t, folderId, q)).flat()
    return q.newestFirst ? rows : rows.reverse()
  }
  const from = q.from ?? -Infinity
  const to = q.to ?? Infinity
  const kept = (r: StoredRow): boolean => selects(q.filter, from, to, r)
  const overlapping = await chunksInRange(t, folderId, from, to)
  const ordered = q.newestFirst ? overlapping : [...overlapping].reverse()
  const out: StoredRow[] = []
  for (const c of ordered) {
    if (out.length >= limit) break
    const inside = c.oldestDate >= from && c.newestDate < to
    if (inside && skip >= countOf(c, q.filter)) {
      skip -= countOf(c, q.filter)
      continue
    }
    const [chunk] = await loadChunks(t, folderId, [c])
    let rows = chunk!.rows.filter(kept)
    if (!q.newestFirst) rows = rows.reverse()
    if (skip >= rows.length) {
      skip -= rows.length
      continue
    }
    out.push(...rows.slice(skip, skip + (limit - out.length)))
    skip = 0
  }
  return out
}

/** The folder's rows that `q` selects, in its order. */
export function readFolderByDate(db: MailDb, folderId: string, q: FolderDateQuery): Promise<MessageRow[]> {
  return reading(db, (t) => select(t, folderId, q))
}

/**
 * The folder's rows that `q` selects, newest first, in runs the store keeps together (one run per chunk, none
 * empty): a writer that updates them run by run rewrites each chunk once (the IMAP body download).
 */
export function readFolderRunsByDate(
  db: MailDb,
  folderId: string,
  q: Pick<FolderDateQuery, 'filter' | 'from' | 'to'>,
): Promise<MessageRow[][]> {
  return reading(db, (t) => selectRuns(t, folderId, q))
}

/** The ids of the folder's rows that `q` selects, in its order. */
export async function readFolderIdsByDate(
  db: MailDb,
  folderId: string,
  q: FolderDateQuery,
): Promise<number[]> {
  return (await readFolderByDate(db, folderId, q)).map((r) => r.id!)
}

/** How many of the folder's rows `q` selects: from the directory, loading only chunks the range cuts. */
export function countFolderByDate(
  db: MailDb,
  folderId: string,
  q: Pick<FolderDateQuery, 'filter' | 'from' | 'to'>,
): Promise<number> {
  return reading(db, async (t) => {
    const from = q.from ?? -Infinity
    const to = q.to ?? Infinity
    let n = 0
    const cut: ChunkInfo[] = []
    for (const c of await chunksInRange(t, folderId, from, to)) {
      if (c.oldestDate >= from && c.newestDate < to) n += countOf(c, q.filter)
      else cut.push(c)
    }
    for (const chunk of await loadChunks(t, folderId, cut))
      for (const r of chunk.rows) if (selects(q.filter, from, to, r)) n++
    return n
  })
}

/**
 * Visits the folder's messages by thread, then date: (threadId, date, id) of each (every chunk is read).
 */
export async function eachThreadKey(
  db: MailDb,
  folderId: string,
  visit: (threadId: string, date: number, id: number) => void,
): Promise<void> {
  const rows = await reading(db, (t) => folderRows(t, folderId))
  const keys = rows
    .filter((r) => typeof r.threadId === 'string' && Number.isFinite(r.date))
    .map((r) => [r.threadId, r.date, r.id] as const)
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]))
  for (const [thread, date, id] of keys) visit(thread, date, id)
}

/** The ids of every message of one thread in one folder, oldest first. */
export async function threadMessageIdsIn(db: MailDb, folderId: string, threadId: string): Promise<number[]> {
  const rows = await reading(db, (t) => folderRows(t, folderId))
  return rows
    .filter((r) => r.threadId === threadId)
    .sort((a, b) => -listOrder(a, b))
    .map((r) => r.id)
}
