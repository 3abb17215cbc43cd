import { Dexie, type Table } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageChunkRow, MessageFolderRow } from './chunk-layout'
import type { MessageIdRangeRow } from './id-ranges'
import type { DerivedTables } from '../derived-rows'
import type { DayCountSpanRow } from '../day-count-spans'
import type { ThreadDayRow } from '../thread-days'

/**
 * The message tables of ONE transaction. Tables taken from the transaction object stay in it after any
 * await; `db.messageChunks` finds its transaction in Dexie's zone, which a native await of a non-Dexie
 * promise (a Promise.all) leaves, and a read there would quietly start a transaction of its own.
 */
export interface BoundTables {
  db: MailDb
  chunks: Table<MessageChunkRow, [string, number]>
  folders: Table<MessageFolderRow, string>
  ranges: Table<MessageIdRangeRow, number>
  /** Kept in step with the rows by every write (derived-rows.ts keepDerivedRows). */
  derived: DerivedTables
  /** The IndexedDB transaction (DBCore's transaction object). */
  idbTransaction: object
}

/** The message tables of the transaction this is called in (synchronously, at its start). */
export function boundTables(db: MailDb): BoundTables {
  const tx = Dexie.currentTransaction
  return {
    db,
    chunks: tx.table('messageChunks') as Table<MessageChunkRow, [string, number]>,
    folders: tx.table('messageFolders') as Table<MessageFolderRow, string>,
    ranges: tx.table('messageIdRanges') as Table<MessageIdRangeRow, number>,
    idbTransaction: tx.idbtrans as object,
    derived: {
      listDayCounts: tx.table('listDayCounts') as Table<DayCountSpanRow>,
      threadDays: tx.table('threadDays') as Table<ThreadDayRow>,
      threadDayCounts: tx.table('threadDayCounts') as Table<DayCountSpanRow>,
    },
  }
}
