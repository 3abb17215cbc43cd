import type { MailDb } from './mail-db'
import { allMessageIds } from './messages'

/** In syncState: when side tables were last swept (ms since the epoch). */
export const ORPHANS_SWEPT_KEY = 'orphan-rows-swept-at'

/** A sweep reads every message key: often enough to keep the tables lean, rarely enough to cost nothing. */
export const SWEEP_EVERY_MS = 6 * 60 * 60_000

const CHUNK = 2_000

/**
 * Deletes rows of the side tables keyed by message id (`messageWords`, `snippets`) whose message is gone:
 * deleted, expunged, moved away by the server, or rebuilt after a UIDVALIDITY change. Such rows are harmless
 * (ids are never reused; search and the list skip them) but would pile up. Only keys at or below the newest
 * message's are candidates, so a row written for a message stored after the sweep read the keys is never
 * taken for an orphan. Returns how many rows went; stops between chunks when `signal` aborts.
 */
export async function sweepOrphanRows(db: MailDb, signal?: AbortSignal): Promise<number> {
  const live = new Set(await allMessageIds(db))
  let newest = 0
  for (const id of live) if (id > newest) newest = id
  let removed = 0
  for (const table of [db.messageWords, db.snippets]) {
    if (signal?.aborted) break
    const keys = (await table.toCollection().primaryKeys()) as number[]
    const gone = keys.filter((k) => k <= newest && !live.has(k))
    for (let at = 0; at < gone.length && !signal?.aborted; at += CHUNK) {
      await table.bulkDelete(gone.slice(at, at + CHUNK))
      removed += Math.min(CHUNK, gone.length - at)
    }
  }
  if (!signal?.aborted) await db.syncState.put({ key: ORPHANS_SWEPT_KEY, value: Date.now() })
  return removed
}

/** Sweeps when the last sweep is older than SWEEP_EVERY_MS (or never ran). */
export async function sweepOrphanRowsWhenDue(
  db: MailDb,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<number> {
  const last = (await db.syncState.get(ORPHANS_SWEPT_KEY))?.value
  if (typeof last === 'number' && now - last < SWEEP_EVERY_MS) return 0
  return sweepOrphanRows(db, signal)
}
