import type { Transaction } from 'dexie'
import { folderInChunks, type MessageChunkRow, type MessageFolderRow, type StoredRow } from './chunk-layout'
import type { MessageIdRangeRow } from './id-ranges'

/** Ids no message holds, for runs that only keep later ids above them (see `highestGivenId`). */
export const NO_FOLDER = ''

/**
 * The highest message id anything may still name: a deleted message's id can live on in the word index, the
 * snippets, the POP3 ledger or the search index's mark, and a new message must never get it.
 */
async function highestGivenId(tx: Transaction, rows: readonly StoredRow[]): Promise<number> {
  let high = 0
  for (const r of rows) high = Math.max(high, r.id)
  const lastKey = async (table: string): Promise<number> => {
    const k = await tx.table(table).orderBy(':id').lastKey()
    return typeof k === 'number' ? k : 0
  }
  high = Math.max(high, await lastKey('messageWords'), await lastKey('snippets'))
  await tx.table('pop3Ledger').each((l: { messageId?: number | null }) => {
    if (typeof l.messageId === 'number') high = Math.max(high, l.messageId)
  })
  return high
}

/**
 * Schema version 10's upgrade: every `messages` record moves into its folder's chunks (full chunks, list
 * order), each folder gets its directory, and the ids get their runs. Ids stay what they were, so everything
 * that names a message by id (thread heads, queued actions, the ledger, snippets, words) still finds it.
 */
export async function moveRowsIntoChunks(tx: Transaction): Promise<void> {
  const rows = (await tx.table('messages').toArray()) as StoredRow[]
  const byFolder = new Map<string, StoredRow[]>()
  for (const r of rows) {
    const list = byFolder.get(r.folderId)
    if (list) list.push(r)
    else byFolder.set(r.folderId, [r])
  }
  const chunks: MessageChunkRow[] = []
  const dirs: MessageFolderRow[] = []
  for (const [folderId, list] of byFolder) {
    const folder = folderInChunks(folderId, list[0]!.accountId, list)
    chunks.push(...folder.chunks)
    dirs.push(folder.dir)
  }
  // Runs of ids of one folder, in id order; ids of deleted messages inside a run stay in it (never given again).
  const runs: MessageIdRangeRow[] = []
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    const last = runs[runs.length - 1]
    if (last && last.folderId === r.folderId) last.end = r.id + 1
    else runs.push({ start: r.id, end: r.id + 1, folderId: r.folderId })
  }
  // The old table's key generator knows every id it gave, even one nothing names any more (a queued action's,
  // the word index's mark): a record added without a key gets the next one, and goes with the table.
  const next = (await tx.table('messages').add({})) as number
  const high = Math.max(await highestGivenId(tx, rows), next - 1)
  const end = runs.length > 0 ? runs[runs.length - 1]!.end : 1
  if (high + 1 > end) runs.push({ start: end, end: high + 1, folderId: NO_FOLDER })
  await tx.table('messageChunks').bulkAdd(chunks)
  await tx.table('messageFolders').bulkAdd(dirs)
  await tx.table('messageIdRanges').bulkAdd(runs)
}
