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
 * Deleting a message leaves its bytes in the file (dead bytes). Reclaiming them (compaction: copy the live
 * ranges of a sealed segment into a new one and repoint the rows, then delete the old file) is later work;
 * so is removing a forgotten account's files. Bodies stored before this module stay in the `bodies` table and
 * are read from there (rows without `body`).
 */
import type { MailDb } from '../mail-db'
import type { BodyRow, MessageRow } from '../rows'
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
