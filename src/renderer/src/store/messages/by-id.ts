import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import type { BoundTables } from './bound-tables'
import { chunksHoldingAny, idBounds, type StoredRow } from './chunk-layout'
import { loadChunks, readDirectory, reading } from './folder-chunks'
import { foldersOfIds } from './id-ranges'

/** The stored rows of these ids, by id: each id's folder from its run, then the chunks whose id bounds hold it. */
export async function storedRowsById(
  t: BoundTables,
  ids: readonly number[],
): Promise<Map<number, StoredRow>> {
  const folders = await foldersOfIds(t, ids)
  const byFolder = new Map<string, Set<number>>()
  for (const [id, folderId] of folders) {
    const set = byFolder.get(folderId)
    if (set) set.add(id)
    else byFolder.set(folderId, new Set([id]))
  }
  const found = new Map<number, StoredRow>()
  await Promise.all(
    [...byFolder].map(async ([folderId, wanted]) => {
      const dir = await readDirectory(t, folderId)
      if (!dir) return
      const chunks = await loadChunks(t, folderId, chunksHoldingAny(dir.chunks, wanted, idBounds))
      for (const c of chunks) for (const r of c.rows) if (wanted.has(r.id)) found.set(r.id, r)
    }),
  )
  return found
}

/** Messages by store id, in the order asked (undefined where one is not stored). */
export function getMessages(db: MailDb, ids: readonly number[]): Promise<(MessageRow | undefined)[]> {
  return reading(db, async (t) => {
    const found = await storedRowsById(t, ids)
    return ids.map((id) => found.get(id))
  })
}

/** One message by its store id (undefined: not stored, e.g. deleted meanwhile). */
export async function getMessage(db: MailDb, id: number): Promise<MessageRow | undefined> {
  return (await getMessages(db, [id]))[0]
}

/** The stored ones of these messages, in the order asked. */
export async function getStoredMessages(db: MailDb, ids: readonly number[]): Promise<MessageRow[]> {
  return (await getMessages(db, ids)).filter((r): r is MessageRow => r !== undefined)
}
