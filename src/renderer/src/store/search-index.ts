import type { MailDb } from './mail-db'
import { searchWordsOf } from './search-words'

/** One message's words (`searchWordsOf`) under the multi-entry index `*words`; `id` is the message's id. */
export interface MessageWordsRow {
  id: number
  words: string[]
}

/**
 * In syncState: the highest message id whose words are in `messageWords`. Message ids only grow (`++id`),
 * and a row's words never change once written (they are its headers: subject, sender, recipients), so every
 * row at or below this id is indexed and every row above it is not yet; search scans the latter.
 */
export const WORDS_INDEXED_KEY = 'search-words-indexed-up-to'

/** Rows indexed per transaction: small enough that a sync's writes never wait long behind one. */
export const INDEX_BATCH = 500

export async function wordsIndexedUpTo(db: MailDb): Promise<number> {
  const value = (await db.syncState.get(WORDS_INDEXED_KEY))?.value
  return typeof value === 'number' ? value : 0
}

/**
 * Indexes the next rows above the mark: reads them (a read-only transaction, so a sync writing messages
 * never waits for the indexer), then writes their words and the new mark in one transaction over the word
 * table and syncState. A row deleted in between leaves a words row behind that search skips (its message
 * is gone; ids are never reused). Returns how many rows were indexed (0: caught up).
 */
export async function indexWordsBatch(
  db: MailDb,
  max = INDEX_BATCH,
  /** Told how long the write transaction took (ms, from its start to its commit), when it ran. */
  onWritten?: (writeMs: number, rows: number) => void,
): Promise<number> {
  const from = await wordsIndexedUpTo(db)
  const rows = await db.messages.where(':id').above(from).limit(max).toArray()
  if (rows.length === 0) return 0
  const words = rows.map((r) => ({ id: r.id!, words: searchWordsOf(r) }))
  const start = performance.now()
  await db.transaction('rw', db.messageWords, db.syncState, async () => {
    // Another indexer over the same store (a second worker that was briefly the writer) may have moved on.
    if ((await wordsIndexedUpTo(db)) !== from) return
    await db.messageWords.bulkPut(words)
    await db.syncState.put({ key: WORDS_INDEXED_KEY, value: words.at(-1)!.id })
  })
  onWritten?.(performance.now() - start, rows.length)
  return rows.length
}
