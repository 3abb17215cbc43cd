import type { MailDb } from '../mail-db'
import { findMessagesInIdRange, getMessages } from '../messages'
import type { AddressRow, MessageRow } from '../rows'
import { wordsIndexedUpTo } from '../search-index'
import { searchWordsOf, words } from '../search-words'

const addressText = (list: AddressRow[]): string => list.map((a) => `${a.name} ${a.address}`).join(' ')

/**
 * True when every word of the query occurs in the subject, sender or recipients (case-insensitive) AND starts
 * a word there: "rep" finds "Report" and "reports", not "prepare". The second rule is what the word index
 * can answer; the first keeps punctuation in the query meaningful ("bob@exa").
 */
export function matchesQuery(row: MessageRow, query: readonly string[]): boolean {
  const haystack = `${row.subject}\n${addressText(row.from)}\n${addressText(row.to)}`.toLowerCase()
  if (!query.every((w) => haystack.includes(w))) return false
  const rowWords = row.searchWords ?? searchWordsOf(row)
  return query.every((q) => words(q).every((w) => rowWords.some((r) => r.startsWith(w))))
}

export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

/** At most this many index ranges are read and intersected per search (the longest words: most selective). */
const MAX_RANGES = 3
const CHUNK = 200

/**
 * Walks the stored rows with ids in (`above`, `upTo`], newest first: the rows the word index does not cover
 * yet, or every indexed row for queries the index cannot narrow (one Latin letter, punctuation only).
 */
function scan(
  db: MailDb,
  query: readonly string[],
  limit: number,
  above: number,
  upTo = Infinity,
): Promise<MessageRow[]> {
  if (limit <= 0 || upTo <= above) return Promise.resolve([])
  return findMessagesInIdRange(db, above, upTo, (row) => matchesQuery(row, query), limit)
}

const isSingleScriptChar = (w: string): boolean => w.length === 1 && /[^\p{sc=Latin}\p{N}]/u.test(w)

/**
 * Search over the cached headers. Rows the background indexer has not reached yet (ids above its mark:
 * the newest, e.g. during a first sync) are scanned with `matchesQuery`; for the rest, the message keys under
 * each of the query's longest word prefixes are read from `messageWords` (keys only) and intersected, then
 * the newest candidates are read and checked until `limit` hits. Results come newest stored first either
 * way, and are exact while indexing runs. Once indexed, cost grows with how many messages carry the query's
 * words, not with the size of the store; a query with no hit reads only index keys.
 */
export async function searchMessages(db: MailDb, query: string, limit = 50): Promise<MessageRow[]> {
  const qwords = queryWords(query)
  if (qwords.length === 0) return []
  const upTo = await wordsIndexedUpTo(db)
  const hits = await scan(db, qwords, limit, upTo)
  if (hits.length === limit) return hits
  const tokens = [...new Set(qwords.flatMap(words))]
    .filter((w) => w.length >= 2 || isSingleScriptChar(w))
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_RANGES)
  if (tokens.length === 0) return [...hits, ...(await scan(db, qwords, limit - hits.length, 0, upTo))]
  const sets = await Promise.all(
    tokens.map(async (t) => new Set(await db.messageWords.where('words').startsWith(t).primaryKeys())),
  )
  sets.sort((a, b) => a.size - b.size)
  const [smallest, ...others] = sets
  // Ids above the mark were scanned already (the indexer may have moved on since the mark was read).
  const candidates = [...smallest!]
    .filter((id) => id <= upTo && others.every((s) => s.has(id)))
    .sort((a, b) => b - a)
  for (let i = 0; i < candidates.length && hits.length < limit; i += CHUNK) {
    const rows = await getMessages(db, candidates.slice(i, i + CHUNK))
    for (const row of rows) {
      // A row deleted since it was indexed is gone here: its words row is left over, not a hit.
      if (row && matchesQuery(row, qwords)) hits.push(row)
      if (hits.length === limit) break
    }
  }
  return hits
}
