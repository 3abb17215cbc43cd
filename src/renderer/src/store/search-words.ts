import type { AddressRow, MessageRow } from './rows'

/**
 * The words a message is found by (subject, sender and recipients; full text comes later), stored in the
 * multi-entry index of `messageWords` (search-index.ts) so a search reads the index range of one word prefix instead of every
 * row. Words are runs of letters and digits, lower-cased; CJK scripts, written without spaces, are indexed
 * character by character (a query's characters then narrow the candidates and the substring check in
 * `matchesQuery` makes the result exact).
 */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}\p{M}]+/gu
/** Longer words are indexed by their first 40 characters: enough to tell them apart, bounded index size. */
export const MAX_WORD = 40
/** A hostile subject must not blow up the index: the first 100 distinct words of a message are kept. */
const MAX_WORDS = 100

export function words(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(WORD), (m) => m[0].slice(0, MAX_WORD))
}

const addressText = (list: readonly AddressRow[]): string =>
  list.map((a) => `${a.name} ${a.address}`).join(' ')

export function searchWordsOf(row: Pick<MessageRow, 'subject' | 'from' | 'to'>): string[] {
  const all = words(`${row.subject} ${addressText(row.from)} ${addressText(row.to)}`)
  return [...new Set(all)].slice(0, MAX_WORDS)
}
