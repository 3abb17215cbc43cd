import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { MailDb } from './mail-db'
import { readStoreIdentity, type IdbFactoryLike } from './store-identity'

const scope = globalThis as unknown as { indexedDB: IdbFactoryLike }
const real = scope.indexedDB
const opened: MailDb[] = []
afterEach(() => {
  scope.indexedDB = real
  for (const db of opened.splice(0)) db.close()
})

/**
 * What Chromium does at the first open after it deleted a corrupt database: the upgrade event carries
 * `dataLoss` (fake-indexeddb never sets it, so this factory adds it to the real event before anyone sees it).
 */
function losingFactory(dataLoss: string, dataLossMessage: string): IdbFactoryLike {
  return {
    open(name, version) {
      const request = real.open(name, version)
      request.addEventListener('upgradeneeded', (e) => Object.assign(e, { dataLoss, dataLossMessage }))
      return request
    },
    deleteDatabase: (name) => real.deleteDatabase(name),
    cmp: (a, b) => real.cmp(a, b),
  }
}

describe('store identity', () => {
  it('records in the new identity what the browser reported lost when it created the database', async () => {
    scope.indexedDB = losingFactory('total', 'Unknown corruption')
    const db = new MailDb(`identity-lost-${Date.now()}`, 'strict')
    opened.push(db)
    await db.open()
    const identity = await readStoreIdentity(db)
    expect(identity).toMatchObject({ dataLoss: 'total: Unknown corruption' })
    expect(identity?.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('a plain first start records no loss', async () => {
    const db = new MailDb(`identity-plain-${Date.now()}`, 'strict')
    opened.push(db)
    await db.open()
    const identity = await readStoreIdentity(db)
    expect(identity?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(identity?.dataLoss).toBeUndefined()
  })
})
