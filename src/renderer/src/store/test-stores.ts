import { afterEach } from 'vitest'
import { MailDb, openMailStore, type MailStore } from './mail-db'

export interface TestStores {
  /** A new, empty store, opened as the app opens it. */
  freshStore(): Promise<MailStore>
  /** A database name no other test of the file uses (for a test that writes an older version first). */
  freshName(): string
  /**
   * The newest MailDb over the database `name` (its upgrade runs here). `beforeOpen` sees the db before the
   * upgrade opens it (to watch its reads).
   */
  openNewest(name: string, beforeOpen?: (db: MailDb) => void): Promise<MailDb>
}

/**
 * The databases of a store test file (fake-indexeddb): each under a name of its own, so no test sees another's
 * rows, and every one a test opened is closed after it. Call at the top level of the file.
 */
export function testStores(prefix: string): TestStores {
  let counter = 0
  const stores: MailStore[] = []
  const dbs: MailDb[] = []
  afterEach(() => {
    for (const s of stores.splice(0)) s.close()
    for (const db of dbs.splice(0)) db.close()
  })
  const freshName = (): string => `${prefix}-${++counter}`
  return {
    freshName,
    async freshStore() {
      const store = await openMailStore(freshName())
      stores.push(store)
      return store
    },
    async openNewest(name, beforeOpen) {
      const db = new MailDb(name, 'relaxed')
      dbs.push(db)
      beforeOpen?.(db)
      await db.open()
      return db
    },
  }
}
