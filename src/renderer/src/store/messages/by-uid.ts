import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import { chunksHoldingAny, uidBounds, type ChunkInfo, type StoredRow } from './chunk-layout'
import { loadChunks, nearestRows, readDirectory, reading } from './folder-chunks'

/** The folder's rows with these UIDs, loaded from the chunks whose UID bounds may hold them. */
function rowsAtUids(db: MailDb, folderId: string, uids: readonly number[]): Promise<StoredRow[]> {
  if (uids.length === 0) return Promise.resolve([])
  return reading(db, async (t) => {
    const dir = await readDirectory(t, folderId)
    if (!dir) return []
    const wanted = new Set(uids)
    const chunks = await loadChunks(t, folderId, chunksHoldingAny(dir.chunks, wanted, uidBounds))
    return chunks.flatMap((c) => c.rows.filter((r) => r.uid !== null && wanted.has(r.uid)))
  })
}

/** The folder's cached rows with these UIDs (in no particular order; a UID not cached is left out). */
export function messagesByUids(db: MailDb, folderId: string, uids: readonly number[]): Promise<MessageRow[]> {
  return rowsAtUids(db, folderId, uids)
}

/** The store ids of the folder's rows with these UIDs. */
export async function messageIdsByUids(
  db: MailDb,
  folderId: string,
  uids: readonly number[],
): Promise<number[]> {
  return (await rowsAtUids(db, folderId, uids)).map((r) => r.id)
}

/** The folder's rows with these UIDs (scattered UIDs: flag changes). */
export function messagesAtUids(db: MailDb, folderId: string, uids: readonly number[]): Promise<MessageRow[]> {
  return rowsAtUids(db, folderId, uids)
}

/** Every UID the folder has a row for, ascending (local rows without a UID are left out). */
export function folderUids(db: MailDb, folderId: string): Promise<number[]> {
  return reading(db, async (t) => {
    const dir = await readDirectory(t, folderId)
    if (!dir) return []
    const uids: number[] = []
    const withUids = dir.chunks.filter((c) => c.maxUid !== null)
    for (const c of await loadChunks(t, folderId, withUids))
      for (const r of c.rows) if (r.uid !== null) uids.push(r.uid)
    return uids.sort((a, b) => a - b)
  })
}

/** The folder's row with the highest UID. */
export function newestByUid(db: MailDb, folderId: string): Promise<MessageRow | undefined> {
  return reading(db, async (t) => {
    const dir = await readDirectory(t, folderId)
    let top: ChunkInfo | undefined
    for (const c of dir?.chunks ?? []) if (c.maxUid !== null && (!top || c.maxUid > top.maxUid!)) top = c
    if (!top) return undefined
    const [chunk] = await loadChunks(t, folderId, [top])
    return chunk!.rows.find((r) => r.uid === top.maxUid)
  })
}

/** Up to `limit` of the folder's rows from UID `fromUid` on, by UID. */
export function messagesFromUid(
  db: MailDb,
  folderId: string,
  fromUid: number,
  limit: number,
): Promise<MessageRow[]> {
  return reading(db, async (t) => {
    const dir = await readDirectory(t, folderId)
    if (!dir) return []
    // Chunks by their lowest UID; a row's distance is its UID.
    const candidates = dir.chunks
      .filter((c) => c.maxUid !== null && c.maxUid >= fromUid)
      .sort((a, b) => a.minUid! - b.minUid!)
    return nearestRows(
      t,
      folderId,
      candidates,
      (c) => c.minUid!,
      (r) => (r.uid !== null && r.uid >= fromUid ? r.uid : null),
      limit,
    )
  })
}

/** The folder's row with this UID. */
export async function messageAtUid(
  db: MailDb,
  folderId: string,
  uid: number,
): Promise<MessageRow | undefined> {
  return (await rowsAtUids(db, folderId, [uid]))[0]
}
