/**
 * Raw message bodies in append-only files instead of one IndexedDB value each (issue 6, "the store layout
 * decision"): a value per message cost POP3 10.6–13 s per 10k in bench/idb-layout-cost.ts, the same bytes
 * appended to a file a small fraction of it.
 *
 * Layout: each account appends to its own file (`<account>.<segment>` in the store's OPFS folder; a new
 * segment once one passes SEGMENT_BYTES). A message row carries its bytes' place, `body: { file, offset,
 * length }`; there is no other per-message record (any would bring the per-record cost back). A message keeps
 * that place when it moves between folders or accounts, and a copy shares it: files are not tied to a
 * folder's life. One record per account in `bodyFiles` says which segment is current and how many of its
 * bytes are committed.
 *
 * The order that keeps mail safe: the bytes are written and flushed first (`append`), then ONE IndexedDB
 * transaction commits the rows that point at them together with the raised committed length (`commitIn`,
 * and for POP3 the ledger, on the strict connection). A crash between the two leaves bytes past the committed
 * length that no row points at; the writer cuts them off when it next opens the file. So a row never points
 * past what is flushed, and for POP3 a ledger row (what DELE planning reads) exists only for flushed bytes.
 *
 * Several writes may be under way at once (a download, an import): each takes its own range at the end of
 * the file synchronously, and the committed length only ever rises (`max` inside the transaction), so a
 * batch committing after a later one cannot lower it. A batch whose transaction fails gives its bytes back
 * when nothing was appended after it; otherwise they stay as dead bytes.
 *
 * Deleting a message leaves its bytes in the file (dead bytes) until compaction (compact-bodies.ts) copies
 * the live ranges of a file with enough dead bytes to the end of the current segment, repoints the rows and
 * deletes the old file. Bytes already committed are never rewritten in place, so a row read before a
 * compaction still reads the right bytes until its file is gone, and then `readBodies` reads the row again.
 * Removing an account deletes its files once its rows are gone (`removeAccountFiles`), and the writer's
 * first idle time removes files of accounts the store no longer has (`removeLeftoverFiles`: a removal cut
 * short by a crash); either keeps a file that a row still points into (mail moved or copied to another
 * account). Bodies stored before this module stay in the `bodies` table and are read from there (rows
 * without `body`).
 */
import type { MailDb } from '../mail-db'
import type { BodyRow, MessageRow } from '../rows'
import { MailError } from '../../../../shared/errors'
import { eachMessageStep, getMessages } from '../messages'
import { isStoreFull, storeFullError } from '../store-full'
import { bodyFilesFor, type AppendHandle, type BodyFiles, type BodyRef } from './body-files'

/** A new segment is begun past this size, so that compaction can later rewrite one segment at a time. */
export const SEGMENT_BYTES = 1024 * 1024 * 1024

/** An account's body file record (table `bodyFiles`, schema version 9). */
export interface BodyFileRow {
  accountId: string
  /** The segment appended to now; older ones are sealed. */
  segment: number
  /** Bytes of that segment that committed rows may point into. */
  committed: number
}

/** File names may not hold '/' or '\\' (and not be '.' or '..'): the account id is encoded. */
export const bodyFileName = (accountId: string, segment: number): string =>
  `${encodeURIComponent(accountId).replace(/\./g, '%2E')}.${segment}`

/** The account a body file belongs to (undefined for a name `bodyFileName` cannot have made). */
export function bodyFileAccount(name: string): string | undefined {
  const m = /^([^.]+)\.(\d+)$/.exec(name)
  if (!m) return undefined
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return undefined
  }
}

/** Rows read per step while looking for rows that point into files about to be removed. */
const REFERENCE_SCAN_ROWS = 5_000

interface AccountFile {
  segment: number
  name: string
  handle: AppendHandle
}

/** Bytes written and flushed, not yet committed: `commitIn` inside the rows' transaction, `release` after a failure. */
export interface AppendedBodies {
  refs: BodyRef[]
  /** Raises the committed length; call inside the transaction that writes the rows (it needs `bodyFiles`). */
  commitIn(db: MailDb): Promise<void>
  /** After the rows' transaction failed: gives the bytes back if nothing was appended behind them. */
  release(): Promise<void>
}

export class BodyStore {
  private readonly accounts = new Map<string, Promise<AccountFile>>()
  private leftovers: Promise<string[]> | undefined

  constructor(
    private readonly db: MailDb,
    readonly files: BodyFiles = bodyFilesFor(db.name),
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {}

  /** Opens a segment for appending, cutting off what no committed row can point at. */
  private async openSegment(accountId: string, segment: number): Promise<AccountFile> {
    const record = await this.db.bodyFiles.get(accountId)
    const name = bodyFileName(accountId, segment)
    const handle = await this.files.openForAppend(name)
    // A segment older than the record's is sealed: never cut. The record's own is cut to its committed
    // length; a newer one (begun, then a crash before its first commit) holds nothing committed.
    const committed =
      record === undefined
        ? 0
        : segment === record.segment
          ? record.committed
          : segment < record.segment
            ? Infinity
            : 0
    if (handle.getSize() > committed) {
      handle.truncate(committed)
      handle.flush()
    }
    return { segment, name, handle }
  }

  private current(accountId: string): Promise<AccountFile> {
    let file = this.accounts.get(accountId)
    if (!file) {
      file = this.db.bodyFiles.get(accountId).then((r) => this.openSegment(accountId, r?.segment ?? 0))
      this.accounts.set(accountId, file)
      // A failed open (no room, a browser refusal) is tried again by the next write.
      file.catch(() => this.accounts.delete(accountId))
    }
    return file
  }

  /**
   * Appends `raws` to the account's file and flushes them. Throws the store-full MailError when there is no
   * room (nothing of this batch stays in the file then).
   */
  async append(accountId: string, raws: readonly Uint8Array[]): Promise<AppendedBodies> {
    let file = await this.current(accountId)
    const total = raws.reduce((n, r) => n + r.byteLength, 0)
    const size = file.handle.getSize()
    if (size > 0 && size + total > this.segmentBytes) {
      const next = this.openSegment(accountId, file.segment + 1)
      this.accounts.set(accountId, next)
      file = await next
    }
    const { handle, name, segment } = file
    // Synchronous from here to the flush: no other append can take the same range.
    const start = handle.getSize()
    const refs: BodyRef[] = []
    let at = start
    try {
      for (const raw of raws) {
        handle.write(raw, at)
        refs.push({ file: name, offset: at, length: raw.byteLength })
        at += raw.byteLength
      }
      // Never trust a write's count alone (see body-files.ts: Chromium can report a short write as done).
      if (handle.getSize() < at) {
        throw new DOMException(`body file holds ${handle.getSize()} of ${at} bytes`, 'QuotaExceededError')
      }
      handle.flush()
    } catch (error) {
      if (handle.getSize() >= start) handle.truncate(start)
      if (isStoreFull(error)) throw storeFullError(error)
      throw error
    }
    const end = at
    return {
      refs,
      commitIn: async (db) => {
        const old = await db.bodyFiles.get(accountId)
        if (old && (old.segment > segment || (old.segment === segment && old.committed >= end))) return
        await db.bodyFiles.put({ accountId, segment, committed: end })
      },
      release: async () => {
        // Only when this batch is the file's tail and surely not committed (a transaction that reported a
        // failure after committing must not lose its bytes).
        if (handle.getSize() !== end) return
        const old = await this.db.bodyFiles.get(accountId)
        if (old && old.segment === segment && old.committed > start) return
        if (handle.getSize() !== end) return
        handle.truncate(start)
        handle.flush()
      },
    }
  }

  /**
   * Appends `raws`, then runs `commit` (which must open the rows' transaction with `bodyFiles` in it and call
   * `appended.commitIn` there); gives the bytes back if it fails.
   */
  async withAppended<T>(
    accountId: string,
    raws: readonly Uint8Array[],
    commit: (appended: AppendedBodies) => Promise<T>,
  ): Promise<T> {
    const appended = await this.append(accountId, raws)
    try {
      return await commit(appended)
    } catch (error) {
      await appended.release().catch(() => undefined)
      throw error
    }
  }

  /**
   * Makes `name` (a segment of `accountId`) sealed: when it is the segment appended to now, or one begun after
   * it, the account's appends go on in the segment after it, and its record says so before this returns.
   * Compaction rewrites only sealed segments, so no append can land in a file it is about to delete.
   */
  async seal(accountId: string, name: string): Promise<void> {
    const segment = Number(name.slice(name.lastIndexOf('.') + 1))
    if (bodyFileName(accountId, segment) !== name)
      throw new Error(`${name} is not a body file of ${accountId}`)
    const record = await this.db.bodyFiles.get(accountId)
    if (segment < (record?.segment ?? 0)) return
    let open = await this.accounts.get(accountId)?.catch(() => undefined)
    if (open === undefined || open.segment <= segment) {
      const opening = this.openSegment(accountId, segment + 1)
      this.accounts.set(accountId, opening)
      opening.catch(() => this.accounts.delete(accountId))
      open = await opening
    }
    // The record moves on too: after a restart the writer opens the record's segment. Nothing is committed
    // in the new one yet (a commit there would have raised the record), and an append that commits there
    // meanwhile is not lowered.
    const next = open.segment
    await this.db.transaction('rw', this.db.bodyFiles, async () => {
      const old = await this.db.bodyFiles.get(accountId)
      if (!old || old.segment < next) await this.db.bodyFiles.put({ accountId, segment: next, committed: 0 })
    })
  }

  /**
   * After an account's rows are gone (`forgetAccount`): closes and deletes its files. A file that a row
   * still points into stays (a message moved or copied to another account keeps its bytes where they are),
   * and so does the account's `bodyFiles` record with it: without the record, opening the file to append
   * again would cut it to nothing. Returns the names removed.
   */
  async removeAccountFiles(accountId: string): Promise<string[]> {
    this.accounts.delete(accountId)
    const names = (await this.files.list()).filter((n) => bodyFileAccount(n) === accountId)
    const removed = await this.removeUnreferenced(names)
    await this.dropRecordsWithoutFiles([accountId])
    return removed
  }

  /**
   * Removes the files (and `bodyFiles` records) of accounts the store no longer has (a removal cut short,
   * or files that outlived their database), except files a row still points into. Only accounts without a
   * row in `accounts` are looked at: every account being synced has one before its first byte is appended.
   */
  async removeLeftoverFiles(): Promise<string[]> {
    const names = await this.files.list()
    const known = new Set((await this.db.accounts.toCollection().primaryKeys()) as string[])
    const gone = (account: string | undefined): account is string =>
      account !== undefined && !known.has(account) && !this.accounts.has(account)
    const leftover = names.filter((n) => gone(bodyFileAccount(n)))
    const removed = leftover.length === 0 ? [] : await this.removeUnreferenced(leftover)
    const records = (await this.db.bodyFiles.toCollection().primaryKeys()) as string[]
    await this.dropRecordsWithoutFiles(
      new Set([...leftover.map((n) => bodyFileAccount(n)!), ...records.filter(gone)]),
    )
    return removed
  }

  /** `removeLeftoverFiles` at the first safe point of this store's life (the writer's first idle time). */
  removeLeftoverFilesOnce(): Promise<string[]> {
    this.leftovers ??= this.removeLeftoverFiles()
    // A failure (a browser refusal) is tried again at the next safe point.
    this.leftovers.catch(() => (this.leftovers = undefined))
    return this.leftovers
  }

  private async removeUnreferenced(names: readonly string[]): Promise<string[]> {
    const unreferenced = new Set(names)
    // Every row is read (rare: an account removal), stopping once each file is known to be needed.
    await eachMessageStep(this.db, REFERENCE_SCAN_ROWS, (rows) => {
      for (const row of rows) if (row.body) unreferenced.delete(row.body.file)
      return unreferenced.size > 0
    })
    for (const name of unreferenced) await this.files.remove(name)
    return [...unreferenced]
  }

  /** The record stays while a file of the account does: without it, appending again would cut the file. */
  private async dropRecordsWithoutFiles(accounts: Iterable<string>): Promise<void> {
    const remaining = new Set((await this.files.list()).map((n) => bodyFileAccount(n)))
    for (const account of accounts) if (!remaining.has(account)) await this.db.bodyFiles.delete(account)
  }

  close(): void {
    for (const file of this.accounts.values()) void file.then((f) => f.handle.close()).catch(() => undefined)
    this.accounts.clear()
  }
}

/** A row whose bytes are somewhere: in a body file, or (stored before the files) in `bodies`. */
type Stored = Pick<MessageRow, 'id' | 'body'>

/**
 * The raw bytes of each row (undefined where none are stored), from the body files or, for rows written
 * before them, from the `bodies` table. Reads outside any transaction: call it before opening one.
 */
export async function readBodies(db: MailDb, rows: readonly Stored[]): Promise<(Uint8Array | undefined)[]> {
  try {
    return await readBodiesAsGiven(db, rows)
  } catch (error) {
    if (!(error instanceof MailError && error.code === 'NOT_FOUND')) throw error
    // Rows read before a compaction may point into a file it has deleted since: their bytes are where the
    // rows say now.
    const fresh = await getMessages(
      db,
      rows.map((r) => r.id ?? -1),
    )
    const moved = rows.map((r, i) => {
      const now = fresh[i]?.body
      return now && r.body && !sameRef(now, r.body) ? { ...r, body: now } : r
    })
    if (moved.every((r, i) => r === rows[i])) throw error
    return readBodiesAsGiven(db, moved)
  }
}

export const sameRef = (a: BodyRef, b: BodyRef): boolean =>
  a.file === b.file && a.offset === b.offset && a.length === b.length

async function readBodiesAsGiven(db: MailDb, rows: readonly Stored[]): Promise<(Uint8Array | undefined)[]> {
  const out: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(rows.length).fill(undefined)
  const inFiles = rows.flatMap((r, i) => (r.body ? [i] : []))
  const inTable = rows.flatMap((r, i) => (r.body ? [] : [i]))
  if (inFiles.length > 0) {
    const bytes = await bodyFilesFor(db.name).read(inFiles.map((i) => rows[i]!.body!))
    inFiles.forEach((i, k) => (out[i] = bytes[k]))
  }
  if (inTable.length > 0) {
    const legacy: (BodyRow | undefined)[] = await db.bodies.bulkGet(inTable.map((i) => rows[i]!.id!))
    inTable.forEach((i, k) => (out[i] = legacy[k]?.raw))
  }
  return out
}

export async function readBody(db: MailDb, row: Stored): Promise<Uint8Array | undefined> {
  return (await readBodies(db, [row]))[0]
}

/** Whether the row's bytes are stored (without reading them). */
export async function hasBody(db: MailDb, row: Stored): Promise<boolean> {
  return row.body !== undefined || (await db.bodies.get(row.id!)) !== undefined
}
