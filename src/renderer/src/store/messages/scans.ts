import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import type { MessageFolderRow, StoredRow } from './chunk-layout'
import { folderRows, nearestRows, readDirectory, reading } from './folder-chunks'
import { foldersInIdInterval } from './id-ranges'

/*
 * Scans over every folder in store-id order. Ids are given in storing order and never reused, so "above id X"
 * means "stored after X": the background word indexer, the new-mail notifier and the address book read the
 * store this way, and the orphan sweep needs every live id. The id runs (id-ranges.ts) say which folders to
 * read; in a folder, chunks are read in id order until `limit` rows are found.
 */

/**
 * Up to `limit` rows with ids in (`above`, `upTo`] that `match`, ascending (or descending with `newestFirst`).
 */
function scan(
  db: MailDb,
  above: number,
  upTo: number,
  limit: number,
  newestFirst: boolean,
  match: (row: MessageRow) => boolean = () => true,
): Promise<StoredRow[]> {
  return reading(db, async (t) => {
    const runs = await foldersInIdInterval(t, above, upTo)
    if (newestFirst) runs.reverse()
    const dirs = new Map<string, MessageFolderRow | undefined>()
    const out: StoredRow[] = []
    for (const run of runs) {
      if (out.length >= limit) break
      if (!dirs.has(run.folderId)) dirs.set(run.folderId, await readDirectory(t, run.folderId))
      const dir = dirs.get(run.folderId)
      if (!dir) continue
      const lo = run.start
      const hi = run.end - 1
      // The chunks with ids in [lo, hi], nearest first, until `limit` rows are found.
      const near = (id: number): number => (newestFirst ? hi - id : id - lo)
      const candidates = dir.chunks
        .filter((c) => c.minId <= hi && c.maxId >= lo)
        .sort((a, b) => (newestFirst ? b.maxId - a.maxId : a.minId - b.minId))
      const found = await nearestRows(
        t,
        run.folderId,
        candidates,
        (c) => near(newestFirst ? c.maxId : c.minId),
        (r) => (r.id >= lo && r.id <= hi && match(r) ? near(r.id) : null),
        limit - out.length,
      )
      out.push(...found)
    }
    return out
  })
}

/** The `limit` most recently stored rows, newest first. */
export function newestMessages(db: MailDb, limit: number): Promise<MessageRow[]> {
  return scan(db, 0, Infinity, limit, true)
}

/**
 * An id no stored row exceeds and every row stored later will (ids are never given twice): the end of the last
 * id run. 0 for an empty store. Reads one run record, no rows.
 */
export function highestGivenId(db: MailDb): Promise<number> {
  return reading(db, async (t) => {
    const last = await t.ranges.orderBy(':id').last()
    return last ? last.end - 1 : 0
  })
}

/** Up to `limit` rows with ids above `above`, ascending. */
export function messagesAboveId(db: MailDb, above: number, limit: number): Promise<MessageRow[]> {
  return scan(db, above, Infinity, limit, false)
}

/**
 * Every stored row in id order, read `step` at a time and handed to `visit`, which returns false to stop. Each
 * read is a transaction of its own unless the caller's (holding `messageTables(db)`) is open: then all are in
 * it. Stops too when `signal` aborts, between reads.
 */
export async function eachMessageStep(
  db: MailDb,
  step: number,
  visit: (rows: MessageRow[]) => unknown,
  signal?: AbortSignal,
): Promise<void> {
  for (let above = 0; !signal?.aborted;) {
    const rows = await messagesAboveId(db, above, step)
    if (rows.length === 0 || visit(rows) === false) return
    above = rows.at(-1)!.id!
  }
}

/** Up to `limit` rows with ids in (`above`, `upTo`] that `match`, newest stored first. */
export function findMessagesInIdRange(
  db: MailDb,
  above: number,
  upTo: number,
  match: (row: MessageRow) => boolean,
  limit: number,
): Promise<MessageRow[]> {
  return scan(db, above, upTo, limit, true, match)
}

/** Every stored row, by id: for tests and checks that compare the whole store. */
export function allMessages(db: MailDb): Promise<MessageRow[]> {
  return reading(db, async (t) => {
    const rows: StoredRow[] = []
    for (const folderId of await t.folders.toCollection().primaryKeys())
      rows.push(...(await folderRows(t, folderId)))
    return rows.sort((a, b) => a.id - b.id)
  })
}

/** Every stored message id. */
export async function allMessageIds(db: MailDb): Promise<number[]> {
  return (await allMessages(db)).map((r) => r.id!)
}
