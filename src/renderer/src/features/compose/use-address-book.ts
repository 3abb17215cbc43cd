import type { MailDb } from '../../store/mail-db'
import type { ComposeAddress } from '../../store/compose-rows'
import { useCoalescedLiveQuery } from '../../store/queries/use-coalesced-live-query'
import { newestMessages } from '../../store/messages'

/** How many recent messages feed the suggestions: enough for the people one writes to, cheap to read. */
const SCAN = 3000
/**
 * The book is read again at most this often while the store changes: re-reading 3,000 rows after every batch
 * of a sync competed with the sync's own writes.
 */
const REFRESH_MS = 2000

/**
 * Addresses seen in the store (From, To, Cc of recent mail), most frequent first, for the address fields'
 * autocomplete. Read-only: the worker writes the store, this only reads. Without a store (`undefined`, e.g.
 * while no composer is open) it reads nothing and is empty.
 */
export function useAddressBook(db: MailDb | undefined): ComposeAddress[] {
  return (
    useCoalescedLiveQuery(
      async () => {
        if (!db) return []
        const rows = await newestMessages(db, SCAN)
        const seen = new Map<string, { entry: ComposeAddress; count: number }>()
        for (const r of rows) {
          for (const a of [...r.from, ...r.to, ...r.cc]) {
            if (!a.address.includes('@')) continue
            const key = a.address.toLowerCase()
            const hit = seen.get(key)
            if (hit) {
              hit.count++
              if (!hit.entry.name && a.name) hit.entry = { name: a.name, address: a.address }
            } else {
              seen.set(key, { entry: { name: a.name, address: a.address }, count: 1 })
            }
          }
        }
        return [...seen.values()].sort((x, y) => y.count - x.count).map((v) => v.entry)
      },
      [db],
      REFRESH_MS,
    ) ?? []
  )
}

/** Entries whose name or address contains every word typed (case- and accent-insensitive). */
export function suggest(book: readonly ComposeAddress[], typed: string, limit = 8): ComposeAddress[] {
  const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const words = fold(typed).split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const out: ComposeAddress[] = []
  for (const entry of book) {
    const hay = fold(`${entry.name} ${entry.address}`)
    if (words.every((w) => hay.includes(w))) out.push(entry)
    if (out.length >= limit) break
  }
  return out
}
