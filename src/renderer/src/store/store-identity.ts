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
  /**
   * What the browser said when this database was created in place of one it had lost (the `dataLoss` and
   * `dataLossMessage` of the upgrade event, e.g. "total: …"); absent for a plain first start.
   */
  dataLoss?: string
}

function newIdentity(dataLoss: string | null = null): StoreIdentity {
  return { id: crypto.randomUUID(), createdAt: Date.now(), ...(dataLoss ? { dataLoss } : {}) }
}

/**
 * In the transaction that creates the schema (Dexie's `populate`): the id exists exactly when the data can.
 * `lostAtOpen` is what the browser reported about lost data when this open began (see `reportingDataLoss`).
 */
export function writeIdentityOnCreate(db: Dexie, lostAtOpen: () => string | null): void {
  db.on('populate', (tx: Transaction) => {
    void tx.table('syncState').add({ key: STORE_IDENTITY_KEY, value: newIdentity(lostAtOpen()) })
  })
}

/** The part of an IndexedDB factory Dexie uses; structural so Node-side tests type-check without the DOM lib. */
export interface IdbFactoryLike {
  open(
    name: string,
    version?: number,
  ): { addEventListener(type: 'upgradeneeded', fn: (e: object) => void): void }
  deleteDatabase(name: string): unknown
  databases?(): Promise<unknown>
  cmp(a: unknown, b: unknown): number
}

/**
 * The IndexedDB factory Dexie opens through, passing on what only the first open after a loss is told:
 * Chromium's `dataLoss` ("total" when it deleted a corrupt database) on the upgrade event, which Dexie does
 * not surface. Listeners added here run before Dexie's own `onupgradeneeded`, so `populate` sees it.
 */
export function reportingDataLoss<F extends IdbFactoryLike>(factory: F, onLoss: (what: string) => void): F {
  const wrapped: IdbFactoryLike = {
    open(name, version) {
      const request = version === undefined ? factory.open(name) : factory.open(name, version)
      request.addEventListener('upgradeneeded', (event) => {
        const e = event as { dataLoss?: unknown; dataLossMessage?: unknown }
        if (typeof e.dataLoss === 'string' && e.dataLoss !== 'none') {
          const message = typeof e.dataLossMessage === 'string' ? e.dataLossMessage : ''
          onLoss(message ? `${e.dataLoss}: ${message}` : e.dataLoss)
        }
      })
      return request
    },
    deleteDatabase: (name) => factory.deleteDatabase(name),
    cmp: (a, b) => factory.cmp(a, b),
    ...(factory.databases ? { databases: () => factory.databases!() } : {}),
  }
  // Dexie calls only these members.
  return wrapped as F
}

/** The identity row itself: when the store was created and what the browser said it had lost then. */
export async function readStoreIdentity(db: MailDb): Promise<StoreIdentity | null> {
  const value = (await db.syncState.get(STORE_IDENTITY_KEY))?.value as StoreIdentity | undefined
  return value ?? null
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
