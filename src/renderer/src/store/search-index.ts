import type { MailDb } from './mail-db'
import { searchWordsOf } from './search-words'
import { messagesAboveId } from './messages'

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

/** Rows indexed per transaction when the caller does not size batches by time (`nextIndexBatch`). */
export const INDEX_BATCH = 500

/**
 * How long one words transaction should take. A pass's reads of the store end only after the background
 * step under way (in Chromium even a read of another table waited for it), and a batch of 500 rows took
 * 70-440 ms under load. Much smaller batches cost more in all: each transaction has a fixed cost (~15 ms
 * under load), and 25 ms batches made the words of 10k messages take ~7 s instead of ~3.7 s.
 */
export const INDEX_BUDGET_MS = 60
/** The first batch of a run, before its time per row is known; and the bounds of any batch. */
export const FIRST_INDEX_BATCH = 100
export const MIN_INDEX_BATCH = 20
export const MAX_INDEX_BATCH = 2_000

/**
 * The size of the next batch from the last one's write time: as many rows as fit the budget at that pace,
 * at most twice the last (one quick write on an idle moment must not make the next one long).
 */
export function nextIndexBatch(rows: number, writeMs: number, budgetMs = INDEX_BUDGET_MS): number {
  const fits = writeMs > 0 ? Math.floor((budgetMs * rows) / writeMs) : Infinity
  return Math.max(MIN_INDEX_BATCH, Math.min(MAX_INDEX_BATCH, 2 * rows, fits))
}

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
  const rows = await messagesAboveId(db, from, max)
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

/**
 * Indexes until caught up or `signal` aborts (a pass wants the store), each batch sized to take about
 * `budgetMs` to write (`nextIndexBatch`). `onWritten` hears of every write. Returns how many rows were indexed.
 */
export async function indexWordsTimeBoxed(
  db: MailDb,
  signal: AbortSignal,
  onWritten?: (writeMs: number, rows: number) => void,
  budgetMs = INDEX_BUDGET_MS,
): Promise<number> {
  let size = FIRST_INDEX_BATCH
  let total = 0
  while (!signal.aborted) {
    const n = await indexWordsBatch(db, size, (writeMs, rows) => {
      onWritten?.(writeMs, rows)
      size = nextIndexBatch(rows, writeMs, budgetMs)
    })
    if (n === 0) break
    total += n
  }
  return total
}
