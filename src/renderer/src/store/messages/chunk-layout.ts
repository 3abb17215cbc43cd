import type { MessageRow } from '../rows'

/*
 * How one folder's rows are cut into chunks (schema version 10): pure functions over rows and the folder's
 * directory, no IndexedDB. A chunk holds up to CHUNK_ROWS rows in list order (newest first: date descending,
 * then id descending, the order of the old [folderId+date] index read backwards); the chunks of a folder do not
 * overlap in that order, and the directory lists them newest first with what a reader needs to skip a chunk
 * without loading it.
 */

/** Rows per chunk: one IndexedDB value of ~250 KB of header rows (bench/idb-layout-cost.ts chose 500). */
export const CHUNK_ROWS = 500

/** A row as stored: it always has its id. */
export type StoredRow = MessageRow & { id: number }

/** One chunk record of `messageChunks`, keyed [folderId+no]. */
export interface MessageChunkRow {
  folderId: string
  /** Names the chunk; its place in the folder is given by the directory, not by `no`. */
  no: number
  /** Newest first. */
  rows: StoredRow[]
}

/** What the directory knows of one chunk. */
export interface ChunkInfo {
  no: number
  count: number
  unread: number
  flagged: number
  /** List-order bounds: the newest row's (date, id) and the oldest row's. */
  newestDate: number
  newestId: number
  oldestDate: number
  oldestId: number
  /** Bounds of the ids and UIDs in the chunk (UIDs: null when no row has one). */
  minId: number
  maxId: number
  minUid: number | null
  maxUid: number | null
}

/** One folder's directory record of `messageFolders`, keyed folderId. */
export interface MessageFolderRow {
  folderId: string
  accountId: string
  /** The next chunk number to give. */
  nextNo: number
  /** Newest first, not overlapping. */
  chunks: ChunkInfo[]
}

/**
 * A date usable as a sort key. The old index left rows without a valid date out of the list; here they sort
 * as the oldest possible, so they are still found.
 */
export const sortDate = (date: number): number => (Number.isFinite(date) ? date : -Infinity)

/** Negative when `a` comes before `b` in list order (newest first). */
export function listOrder(a: { date: number; id?: number }, b: { date: number; id?: number }): number {
  const da = sortDate(a.date)
  const db = sortDate(b.date)
  if (da !== db) return da > db ? -1 : 1
  return (b.id ?? 0) - (a.id ?? 0)
}

/** The directory entry of a chunk's rows (at least one row). */
export function chunkInfo(no: number, rows: readonly StoredRow[]): ChunkInfo {
  const newest = rows[0]!
  const oldest = rows[rows.length - 1]!
  let unread = 0
  let flagged = 0
  let minId = Infinity
  let maxId = -Infinity
  let minUid: number | null = null
  let maxUid: number | null = null
  for (const r of rows) {
    unread += r.unread
    flagged += r.flagged
    if (r.id < minId) minId = r.id
    if (r.id > maxId) maxId = r.id
    if (typeof r.uid === 'number') {
      if (minUid === null || r.uid < minUid) minUid = r.uid
      if (maxUid === null || r.uid > maxUid) maxUid = r.uid
    }
  }
  return {
    no,
    count: rows.length,
    unread,
    flagged,
    newestDate: sortDate(newest.date),
    newestId: newest.id,
    oldestDate: sortDate(oldest.date),
    oldestId: oldest.id,
    minId,
    maxId,
    minUid,
    maxUid,
  }
}

/** True when `row` comes before the chunk's newest row in list order (it sorts above the chunk). */
export const sortsAbove = (row: { date: number; id?: number }, c: ChunkInfo): boolean =>
  listOrder(row, { date: c.newestDate, id: c.newestId }) < 0

/** True when `row` comes after the chunk's oldest row in list order (it sorts below the chunk). */
export const sortsBelow = (row: { date: number; id?: number }, c: ChunkInfo): boolean =>
  listOrder(row, { date: c.oldestDate, id: c.oldestId }) > 0

/**
 * The index in `chunks` (newest first) of the chunk a new row goes into: the first chunk it does not sort
 * below; a row older than every chunk goes into the last. -1: the folder has no chunk.
 */
export function chunkIndexFor(chunks: readonly ChunkInfo[], row: { date: number; id?: number }): number {
  if (chunks.length === 0) return -1
  let lo = 0
  let hi = chunks.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sortsBelow(row, chunks[mid]!)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * How a grown chunk is cut: 'front', full chunks from the front and the rest last (rows appended below a
 * folder, as a newest-first header pass adds them); 'back', full chunks from the back and the rest first (rows
 * appended above it: new mail, a POP3 download); 'even', equal parts, which leave room on both sides for
 * later inserts. Appends then fill chunks completely and rewrite each one at most a few times.
 */
export type CutKind = 'front' | 'back' | 'even'

/** Cuts rows in list order into chunks of at most CHUNK_ROWS (see CutKind). */
export function cutRows(rows: StoredRow[], kind: CutKind): StoredRow[][] {
  if (rows.length === 0) return []
  if (rows.length <= CHUNK_ROWS) return [rows]
  const parts = Math.ceil(rows.length / CHUNK_ROWS)
  const out: StoredRow[][] = []
  if (kind === 'front') {
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS))
    return out
  }
  if (kind === 'back') {
    for (let end = rows.length; end > 0; end -= CHUNK_ROWS)
      out.unshift(rows.slice(Math.max(0, end - CHUNK_ROWS), end))
    return out
  }
  const size = Math.ceil(rows.length / parts)
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

/** A whole folder's rows (any order) as full chunks and its directory: the upgrade's layout, and a bench's fill. */
export function folderInChunks(
  folderId: string,
  accountId: string,
  rows: readonly StoredRow[],
): { dir: MessageFolderRow; chunks: MessageChunkRow[] } {
  const dir: MessageFolderRow = { folderId, accountId, nextNo: 1, chunks: [] }
  const chunks: MessageChunkRow[] = []
  for (const part of cutRows([...rows].sort(listOrder), 'front')) {
    const no = dir.nextNo++
    chunks.push({ folderId, no, rows: part })
    dir.chunks.push(chunkInfo(no, part))
  }
  return { dir, chunks }
}

/** Merges two lists already in list order. */
export function mergeInOrder(a: readonly StoredRow[], b: readonly StoredRow[]): StoredRow[] {
  const out: StoredRow[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) out.push(listOrder(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!)
  while (i < a.length) out.push(a[i++]!)
  while (j < b.length) out.push(b[j++]!)
  return out
}

/** The chunks whose [lo, hi] bounds (of ids or UIDs) hold at least one of `values`. */
export function chunksHoldingAny(
  chunks: readonly ChunkInfo[],
  values: Iterable<number>,
  bounds: (c: ChunkInfo) => [number | null, number | null],
): ChunkInfo[] {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return []
  return chunks.filter((c) => {
    const [lo, hi] = bounds(c)
    if (lo === null || hi === null) return false
    // The first value not below lo, then whether it is within hi.
    let a = 0
    let b = sorted.length
    while (a < b) {
      const mid = (a + b) >> 1
      if (sorted[mid]! < lo) a = mid + 1
      else b = mid
    }
    return a < sorted.length && sorted[a]! <= hi
  })
}

export const idBounds = (c: ChunkInfo): [number, number] => [c.minId, c.maxId]
export const uidBounds = (c: ChunkInfo): [number | null, number | null] => [c.minUid, c.maxUid]
