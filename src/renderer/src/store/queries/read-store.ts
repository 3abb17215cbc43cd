import { MAIL_DB_NAME, MailDb } from '../mail-db'

let opened: Promise<MailDb> | undefined
let openedDb: MailDb | undefined

/**
 * The page's read-only view of the cache. Only the sync worker writes; the page opens the same database to
 * display it (useLiveQuery re-runs when the worker commits). One connection per page, opened on first use:
 * a relaxed one, since durability only matters for writes and the page never writes (not the worker's pair
 * from openMailStore: a second open would delay the first screen for a connection never used).
 */
export function readStore(): Promise<MailDb> {
  opened ??= (async () => {
    const db = new MailDb(MAIL_DB_NAME, 'relaxed')
    await db.open()
    openedDb = db
    return db
  })()
  return opened
}

/** The connection if it is already open (components first rendered after that start with it). */
export function readStoreIfOpen(): MailDb | undefined {
  return openedDb
}
