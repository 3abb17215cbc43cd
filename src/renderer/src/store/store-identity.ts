/**
 * A random id born with the database. Core trusts one identity per POP3 account and DELEs only for it, so
 * a store that comes back empty or is replaced (the browser discarded the database, a profile was restored
 * from an old backup) is noticed before anything else leaves the server (src/core/pop3/NO-LOSS.md).
 * Chromium does discard the database: after a SIGKILL it can find its LevelDB corrupt at a later start
 * (a torn log record header, reused by the next start) and then deletes every IndexedDB database of the
 * origin, telling only the first open() (`dataLoss: "total"`); a new identity is how the app notices.
 */
import type { Dexie, Transaction } from 'dexie'
import type { MailDb } from './mail-db'

export const STORE_IDENTITY_KEY = 'store-identity'

export interface StoreIdentity {
  id: string
  createdAt: number
}

function newIdentity(): StoreIdentity {
  return { id: crypto.randomUUID(), createdAt: Date.now() }
}

/** In the transaction that creates the schema (Dexie's `populate`): the id exists exactly when the data can. */
export function writeIdentityOnCreate(db: Dexie): void {
  db.on('populate', (tx: Transaction) => {
    void tx.table('syncState').add({ key: STORE_IDENTITY_KEY, value: newIdentity() })
  })
}

/**
 * The store's identity. Databases created before identities existed get one on first use, in a durable
 * transaction that cannot overwrite one written meanwhile by another connection.
 */
export async function storeIdentity(db: MailDb): Promise<string> {
  const read = async (): Promise<string | undefined> =>
    ((await db.syncState.get(STORE_IDENTITY_KEY))?.value as StoreIdentity | undefined)?.id
  const existing = await read()
  if (existing !== undefined) return existing
  return db.transaction('rw', db.syncState, async () => {
    const again = await read()
    if (again !== undefined) return again
    const made = newIdentity()
    await db.syncState.add({ key: STORE_IDENTITY_KEY, value: made })
    return made.id
  })
}
