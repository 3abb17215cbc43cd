import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import { keepDerivedRows } from '../derived-rows'
import { COUNTED_FIELDS } from '../list-buckets'
import { THREAD_FIELDS } from '../threads'
import {
  CHUNK_ROWS,
  chunkIndexFor,
  chunkInfo,
  cutRows,
  listOrder,
  mergeInOrder,
  type ChunkInfo,
  type MessageChunkRow,
  type MessageFolderRow,
  chunksHoldingAny,
  idBounds,
  sortsAbove,
  sortsBelow,
  uidBounds,
  type StoredRow,
} from './chunk-layout'
import { boundTables, type BoundTables } from './bound-tables'
import { messageTables } from './tables'

/*
 * Reading and rewriting one folder's chunks and its directory (schema version 10). Every write is a
 * read-modify-write of whole chunks, so the writes of one transaction run one after another (`serially`), and
 * every write keeps the per-day counts and thread rows in step (keepDerivedRows) in the same transaction.
 */

export function readDirectory(t: BoundTables, folderId: string): Promise<MessageFolderRow | undefined> {
  return t.folders.get(folderId)
}

/** The chunks of `infos`, in the order given. */
export async function loadChunks(
  t: BoundTables,
  folderId: string,
  infos: readonly ChunkInfo[],
): Promise<MessageChunkRow[]> {
  if (infos.length === 0) return []
  const found = await t.chunks.bulkGet(infos.map((c) => [folderId, c.no]))
  return found.map((c, i) => {
    if (!c) throw new Error(`message store: chunk ${infos[i]!.no} of folder ${folderId} is missing`)
    return c
  })
}

/**
 * Up to `limit` wanted rows of a folder, nearest first: `candidates` are read a few at a time in the order
 * given (nearest first by `edge`, how near the nearest row a chunk may hold is), `distance` says how near a
 * row is (null: not wanted). Stops once no unread chunk can hold a row nearer than the `limit`-th found: ids
 * or UIDs of a chunk usually form one narrow span, so few chunks are read.
 */
export async function nearestRows(
  t: BoundTables,
  folderId: string,
  candidates: readonly ChunkInfo[],
  edge: (c: ChunkInfo) => number,
  distance: (r: StoredRow) => number | null,
  limit: number,
): Promise<StoredRow[]> {
  const found: { row: StoredRow; d: number }[] = []
  const byDistance = (a: { d: number }, b: { d: number }): number => a.d - b.d
  let next = 0
  while (next < candidates.length) {
    if (found.length >= limit) {
      found.sort(byDistance)
      found.length = limit
      if (found[limit - 1]!.d < edge(candidates[next]!)) break
    }
    const batch = candidates.slice(next, next + 4)
    next += batch.length
    for (const c of await loadChunks(t, folderId, batch))
      for (const row of c.rows) {
        const d = distance(row)
        if (d !== null) found.push({ row, d })
      }
  }
  return found
    .sort(byDistance)
    .slice(0, limit)
    .map((f) => f.row)
}

/** Every row of the folder, newest first. */
export async function folderRows(t: BoundTables, folderId: string): Promise<StoredRow[]> {
  const dir = await readDirectory(t, folderId)
  if (!dir) return []
  return (await loadChunks(t, folderId, dir.chunks)).flatMap((c) => c.rows)
}

/**
 * Runs `work` in a read-only transaction over the message tables, or in the caller's one: the directory and
 * the chunks it names must be read from one state of the store. `work` gets the tables bound to that
 * transaction (see bound-tables.ts).
 */
export function reading<T>(db: MailDb, work: (t: BoundTables) => Promise<T>): Promise<T> {
  return db.transaction('r', messageTables(db), () => work(boundTables(db)))
}

/** Queues of the writes of each IndexedDB transaction (see `serially`). */
const queues = new WeakMap<object, PromiseLike<unknown>>()

/**
 * Runs `work` in a read-write transaction over the message tables (the caller's, if it has one), after every
 * earlier write of the same transaction: two writes of one chunk in parallel would each rewrite it from the
 * same old copy, and the second would undo the first.
 */
export function writing<T>(db: MailDb, work: (t: BoundTables) => Promise<T>): Promise<T> {
  return db.transaction('rw', messageTables(db), () => {
    const t = boundTables(db)
    const key = t.idbTransaction
    const next = Dexie.Promise.resolve(queues.get(key)).then(() => work(t))
    queues.set(
      key,
      next.then(
        () => undefined,
        () => undefined,
      ),
    )
    return next
  })
}

/** A write that would store a second row for one UID of a folder (the old unique index's error). */
function duplicateUid(folderId: string, uid: number): Error {
  return new Dexie.ConstraintError(`folder ${folderId} already has a message with UID ${uid}`)
}

/** The directory a folder starts with. */
const emptyDirectory = (folderId: string, accountId: string): MessageFolderRow => ({
  folderId,
  accountId,
  nextNo: 1,
  chunks: [],
})

/** Same directory record: same account, next number and chunk summaries (NaN and -0 compared as stored). */
function sameDirectory(a: MessageFolderRow, b: MessageFolderRow): boolean {
  return (
    a.accountId === b.accountId &&
    a.nextNo === b.nextNo &&
    a.chunks.length === b.chunks.length &&
    a.chunks.every((info, i) => {
      const other = b.chunks[i]!
      return (Object.keys(info) as (keyof ChunkInfo)[]).every((k) => Object.is(info[k], other[k]))
    })
  )
}

/** The row fields the per-day counts and thread rows are made of. */
const DERIVED_FIELDS = [...new Set([...COUNTED_FIELDS, ...THREAD_FIELDS])] as (keyof StoredRow)[]

/** True when the per-day counts and thread rows would not change if `row` became `next`. */
const sameDerivedFields = (row: StoredRow, next: StoredRow): boolean =>
  DERIVED_FIELDS.every((f) => Object.is(row[f], next[f]))

/**
 * A folder's directory and the chunks a write changes, loaded once and written back by `save`. Rows are
 * added and removed in memory; `save` cuts oversized chunks, drops empty ones and writes the changed
 * chunks and the directory.
 */
export class FolderEdit {
  private readonly loaded = new Map<number, MessageChunkRow>()
  private readonly changed = new Set<number>()
  /** Chunks that only grew below their oldest row, or only above their newest: cut into full chunks (CutKind). */
  private readonly appendedBelow = new Set<number>()
  private readonly appendedAbove = new Set<number>()
  readonly removed: StoredRow[] = []
  readonly added: StoredRow[] = []

  /** The directory as read (undefined: the folder had none), to write it back only when it changed. */
  private readonly stored: MessageFolderRow | undefined

  private constructor(
    private readonly t: BoundTables,
    readonly dir: MessageFolderRow,
    stored: MessageFolderRow | undefined,
  ) {
    this.stored = stored && { ...stored, chunks: [...stored.chunks] }
  }

  static async open(t: BoundTables, folderId: string, accountId: string): Promise<FolderEdit> {
    const dir = await readDirectory(t, folderId)
    return new FolderEdit(t, dir ?? emptyDirectory(folderId, accountId), dir)
  }

  /** Loads the chunks of `infos` that are not loaded yet. */
  async load(infos: readonly ChunkInfo[]): Promise<void> {
    const missing = infos.filter((c) => !this.loaded.has(c.no))
    const chunks = await loadChunks(this.t, this.dir.folderId, missing)
    for (const c of chunks) this.loaded.set(c.no, c)
  }

  /** The loaded chunk of `info`. */
  chunk(info: ChunkInfo): MessageChunkRow {
    const c = this.loaded.get(info.no)
    if (!c) throw new Error(`message store: chunk ${info.no} used before it was loaded`)
    return c
  }

  /** Rows with these ids among the chunks that may hold them (loaded here), by id. */
  async find(ids: ReadonlySet<number>): Promise<Map<number, StoredRow>> {
    const infos = chunksHoldingAny(this.dir.chunks, ids, idBounds)
    await this.load(infos)
    const out = new Map<number, StoredRow>()
    for (const info of infos) for (const r of this.chunk(info).rows) if (ids.has(r.id)) out.set(r.id, r)
    return out
  }

  /** Rows with these UIDs among the chunks that may hold them (loaded here), by UID. */
  async findUids(uids: ReadonlySet<number>): Promise<Map<number, StoredRow>> {
    if (uids.size === 0) return new Map()
    const infos = chunksHoldingAny(this.dir.chunks, uids, uidBounds)
    await this.load(infos)
    const out = new Map<number, StoredRow>()
    for (const info of infos)
      for (const r of this.chunk(info).rows) if (r.uid !== null && uids.has(r.uid)) out.set(r.uid, r)
    return out
  }

  /** Removes the rows with these ids (those the folder holds); returns them. */
  async remove(ids: ReadonlySet<number>): Promise<StoredRow[]> {
    if (ids.size === 0) return []
    const found = await this.find(ids)
    if (found.size === 0) return []
    for (const info of this.dir.chunks) {
      const c = this.loaded.get(info.no)
      if (!c || !c.rows.some((r) => found.has(r.id))) continue
      c.rows = c.rows.filter((r) => !found.has(r.id))
      this.changed.add(info.no)
    }
    const rows = [...found.values()]
    this.removed.push(...rows)
    return rows
  }

  /** Replaces a loaded row by `next`, which keeps its place in list order and its UID. */
  replace(row: StoredRow, next: StoredRow): void {
    for (const info of this.dir.chunks) {
      const c = this.loaded.get(info.no)
      const i = c ? c.rows.indexOf(row) : -1
      if (!c || i < 0) continue
      c.rows[i] = next
      this.changed.add(info.no)
      // The counts and thread rows see only what they are made of: a new body ref or snippet leaves them as
      // they are, and reading each touched thread row to find that out cost more than the rows' own write.
      if (!sameDerivedFields(row, next)) {
        this.removed.push(row)
        this.added.push(next)
      }
      return
    }
    throw new Error(`message store: row ${row.id} replaced before it was found`)
  }

  /**
   * Adds rows (with their ids). A row whose UID the folder already holds is refused (ConstraintError) and
   * nothing of the call is added.
   */
  async add(rows: readonly StoredRow[]): Promise<void> {
    if (rows.length === 0) return
    if (this.dir.accountId === '') this.dir.accountId = rows[0]!.accountId
    const uids = new Set<number>()
    for (const r of rows) {
      if (typeof r.uid !== 'number') continue
      if (uids.has(r.uid)) throw duplicateUid(this.dir.folderId, r.uid)
      uids.add(r.uid)
    }
    const held = await this.findUids(uids)
    // A row removed earlier in this edit no longer holds its UID.
    for (const r of this.removed) if (r.uid !== null && held.get(r.uid)?.id === r.id) held.delete(r.uid)
    const clash = [...uids].find((u) => held.has(u))
    if (clash !== undefined) throw duplicateUid(this.dir.folderId, clash)

    const sorted = [...rows].sort(listOrder)
    if (this.dir.chunks.length === 0) {
      const no = this.dir.nextNo++
      const info = chunkInfo(no, sorted)
      this.loaded.set(no, { folderId: this.dir.folderId, no, rows: sorted })
      this.dir.chunks.push(info)
      this.changed.add(no)
      this.appendedBelow.add(no)
      this.added.push(...sorted)
      return
    }
    // Rows per target chunk, in list order.
    const groups = new Map<number, StoredRow[]>()
    const last = this.dir.chunks.length - 1
    const lastInfo = this.dir.chunks[last]!
    const firstInfo = this.dir.chunks[0]!
    const below: StoredRow[] = []
    const above: StoredRow[] = []
    for (const r of sorted) {
      const i = chunkIndexFor(this.dir.chunks, r)
      // Below a full last chunk, or above a full first one: a new chunk, without rewriting the full one.
      if (i === last && lastInfo.count >= CHUNK_ROWS && sortsBelow(r, lastInfo)) {
        below.push(r)
        continue
      }
      if (i === 0 && firstInfo.count >= CHUNK_ROWS && sortsAbove(r, firstInfo)) {
        above.push(r)
        continue
      }
      const g = groups.get(i)
      if (g) g.push(r)
      else groups.set(i, [r])
    }
    const targets = [...groups.keys()].map((i) => this.dir.chunks[i]!)
    await this.load(targets)
    for (const [i, group] of groups) {
      const info = this.dir.chunks[i]!
      const c = this.chunk(info)
      const onlyBelow = group.every((r) => sortsBelow(r, info))
      const onlyAbove = group.every((r) => sortsAbove(r, info))
      c.rows = mergeInOrder(c.rows, group)
      this.changed.add(info.no)
      if (onlyBelow) this.appendedBelow.add(info.no)
      else if (onlyAbove) this.appendedAbove.add(info.no)
    }
    if (below.length > 0) {
      const no = this.dir.nextNo++
      this.loaded.set(no, { folderId: this.dir.folderId, no, rows: below })
      this.dir.chunks.push(chunkInfo(no, below))
      this.changed.add(no)
      this.appendedBelow.add(no)
    }
    if (above.length > 0) {
      const no = this.dir.nextNo++
      this.loaded.set(no, { folderId: this.dir.folderId, no, rows: above })
      this.dir.chunks.unshift(chunkInfo(no, above))
      this.changed.add(no)
      this.appendedAbove.add(no)
    }
    this.added.push(...sorted)
  }

  /**
   * Writes the changed chunks and the directory, then the per-day counts and thread rows of what was
   * removed and added.
   */
  async save(): Promise<void> {
    if (this.changed.size === 0) return
    const chunks: ChunkInfo[] = []
    const put: MessageChunkRow[] = []
    const drop: [string, number][] = []
    const folderId = this.dir.folderId
    for (const info of this.dir.chunks) {
      if (!this.changed.has(info.no)) {
        chunks.push(info)
        continue
      }
      const c = this.chunk(info)
      if (c.rows.length === 0) {
        drop.push([folderId, info.no])
        continue
      }
      const parts = cutRows(
        c.rows,
        this.appendedBelow.has(info.no) ? 'front' : this.appendedAbove.has(info.no) ? 'back' : 'even',
      )
      parts.forEach((rows, k) => {
        const no = k === 0 ? info.no : this.dir.nextNo++
        const part = { folderId, no, rows }
        put.push(part)
        this.loaded.set(no, part)
        chunks.push(chunkInfo(no, rows))
      })
    }
    this.dir.chunks = chunks
    const t = this.t
    if (put.length > 0) await t.chunks.bulkPut(put)
    if (drop.length > 0) await t.chunks.bulkDelete(drop)
    // A write that changed no chunk's summary (a body stored, a snippet) leaves the directory as it was:
    // rewriting it anyway woke every live query of the folder in the page, which re-read its chunks.
    if (chunks.length === 0) await t.folders.delete(folderId)
    else if (!this.stored || !sameDirectory(this.stored, this.dir)) await t.folders.put(this.dir)
    await keepDerivedRows(t.derived, t.idbTransaction, this.removed, this.added, (thread) =>
      this.newestInThread(thread),
    )
    this.changed.clear()
    this.appendedBelow.clear()
    this.appendedAbove.clear()
  }

  /** The newest row of a thread in this folder after the edit (for a thread whose newest row left it). */
  private async newestInThread(threadId: string): Promise<{ date: number; id: number } | null> {
    // Chunks newest first: the first chunk holding a row of the thread holds its newest.
    for (const info of this.dir.chunks) {
      await this.load([info])
      const hit = this.chunk(info).rows.find((r) => r.threadId === threadId)
      if (hit) return { date: hit.date, id: hit.id }
    }
    return null
  }
}
