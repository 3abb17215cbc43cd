import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { testMessageRow } from '../../store/test-message-row'
import type { CoreApi } from './core-api'
import { SyncEngine } from './sync-engine'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('SyncEngine.start', () => {
  it('starts the background work (search words here) only once the first passes are over', async () => {
    const store = await openMailStore(`sync-engine-start-${Date.now()}`)
    stores.push(store)
    await store.fast.messages.bulkAdd([1, 2, 3].map((uid) => testMessageRow(uid, { subject: `Note ${uid}` })))
    // Core answers the account list only when told: until then the first pass is under way.
    let answer = (): void => undefined
    const listed = new Promise<void>((resolve) => (answer = resolve))
    const core = {
      call: (async (method: string) => {
        if (method !== 'accounts.list') throw new Error(`unexpected call ${method}`)
        await listed
        return { accounts: [] }
      }) as CoreApi['call'],
      on: () => ({ dispose: () => undefined }),
    } as unknown as CoreApi
    const engine = new SyncEngine(store, core, false)
    const started = engine.start(60 * 60_000)

    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await store.fast.messageWords.count()).toBe(0)

    answer()
    await started
    await engine.backgroundSettled()
    expect(await store.fast.messageWords.count()).toBe(3)
    await engine.stop()
  })
})
