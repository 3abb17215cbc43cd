import type { Table } from 'dexie'
import type { MailDb } from '../mail-db'

/**
 * The tables a transaction must hold to read or write message rows through this module (schema version 13):
 * the chunks, the folders' directories, the id runs, and the tables every write keeps in step with the rows
 * (per-day counts, thread rows and their per-day counts). Spread it into the caller's list:
 * `db.transaction('rw', [...messageTables(db), db.bodies], …)`.
 */
export function messageTables(db: MailDb): Table[] {
  return [
    db.messageChunks,
    db.messageFolders,
    db.messageIdRanges,
    db.listDayCounts,
    db.threadDays,
    db.threadDayCounts,
  ] as Table[]
}
