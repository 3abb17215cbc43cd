import 'fake-indexeddb/auto'
import { Dexie } from 'dexie'
import { describe, expect, it } from 'vitest'
import { MailDb, SCHEMA_VERSIONS } from './mail-db'
import { storeUpgradePending } from './store-upgrade-pending'

/** fake-indexeddb's factory (the Node typings have no DOM `indexedDB`). */
const idb = (globalThis as unknown as { indexedDB: Parameters<typeof storeUpgradePending>[0] }).indexedDB

describe('storeUpgradePending', () => {
  it('is true only for a store at an older schema version, until it has been opened', async () => {
    const name = 'upgrade-pending-1'
    expect(await storeUpgradePending(idb, name)).toBe(false)
    const v9 = new Dexie(name)
    v9.version(9).stores(SCHEMA_VERSIONS.find((v) => v.version === 9)!.stores as Record<string, string>)
    await v9.open()
    v9.close()
    expect(await storeUpgradePending(idb, name)).toBe(true)
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(await storeUpgradePending(idb, name)).toBe(false)
    db.close()
  })

  it('is false where the browser cannot list its databases', async () => {
    expect(await storeUpgradePending({}, 'any')).toBe(false)
    expect(await storeUpgradePending(undefined, 'any')).toBe(false)
  })
})
