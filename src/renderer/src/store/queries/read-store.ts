import { openMailStore, type MailDb } from '../mail-db'

let opened: Promise<MailDb> | undefined

/**
 * The page's read-only view of the cache. Only the sync worker writes; the page opens the same database to
 * display it (useLiveQuery re-runs when the worker commits). One connection per page, opened on first use.
 * Uses the `fast` connection: durability only matters for writes, and the page never writes.
 */
export function readStore(): Promise<MailDb> {
  opened ??= openMailStore().then((store) => store.fast)
  return opened
}
