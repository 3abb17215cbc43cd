import type { MailDb } from '../mail-db'
import type { AddressRow, MessageRow } from '../rows'

const addressText = (list: AddressRow[]): string => list.map((a) => `${a.name} ${a.address}`).join(' ')

/** True when every word of the query occurs in the subject, sender or recipients (case-insensitive). */
export function matchesQuery(row: MessageRow, words: readonly string[]): boolean {
  const haystack = `${row.subject}\n${addressText(row.from)}\n${addressText(row.to)}`.toLowerCase()
  return words.every((w) => haystack.includes(w))
}

export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

/**
 * Stop-gap search over the cached headers: walks the messages table from the newest stored row and stops at
 * `limit` hits. Cost grows with how far the walk goes: a rare word (or no hit at all) reads every row.
 * Full-text search (a token index written by the sync worker) replaces this later.
 */
export async function searchMessages(db: MailDb, query: string, limit = 50): Promise<MessageRow[]> {
  const words = queryWords(query)
  if (words.length === 0) return []
  return db.messages
    .orderBy(':id')
    .reverse()
    .filter((row) => matchesQuery(row, words))
    .limit(limit)
    .toArray()
}
