import type { Table } from 'dexie'
import type { MailDb } from '../mail-db'

/**
 * The tables a transaction must hold to read or write message rows through this module. Today that is the
 * `messages` table alone: listBucketMiddleware adds the tables it keeps in step (listBuckets, threads,
 * threadBuckets) to every read-write transaction over `messages` below Dexie, so a caller lists them only to
 * read them itself (the list's counts). Listing them here would make a transaction nested in one that names
 * only `messages` fail ("not included in parent transaction"). A later layout (chunks plus a per-folder
 * directory) changes this list, and every caller follows: spread it into the caller's list,
 * `db.transaction('rw', [...messageTables(db), db.bodies], …)`.
 */
export function messageTables(db: MailDb): Table[] {
  return [db.messages] as Table[]
}
