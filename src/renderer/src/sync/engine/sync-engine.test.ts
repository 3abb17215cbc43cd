import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { testMessageRow } from '../../store/test-message-row'
import { accountConfigSchema } from '../../../../shared/model/account'
import { statusKey, type AccountSyncStatus } from './account-status'
import type { CoreApi } from './core-api'
import { SyncEngine } from './sync-engine'
import { accountMessageIds, addMessages } from '../../store/messages'
import { bodyFilesFor, type BodyFiles } from '../../store/bodies/body-files'
import { BodyStore } from '../../store/bodies/body-store'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('SyncEngine.start', () => {
  it('starts the background work (search words here) only once the first passes are over', async () => {
    const store = await openMailStore(`sync-engine-start-${Date.now()}`)
    stores.push(store)
    await addMessages(
      store.fast,
      [1, 2, 3].map((uid) => testMessageRow(uid, { subject: `Note ${uid}` })),
    )
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

describe('SyncEngine pass status', () => {
  const imapAccount = accountConfigSchema.parse({
    kind: 'imap',
    id: 'acc',
    name: 'Work',
    email: 'me@example.test',
    incoming: { host: 'mail.example.test', port: 993, tls: 'implicit', username: 'me' },
    smtp: null,
    bodyPolicy: { kind: 'on-open' },
  })

  /**
   * An engine on a core whose folder listing (empty) answers after `listMs`, showing "syncing" after
   * `showSyncingAfterMs`; and the statuses it writes, in order.
   */
  async function engineWith(
    listMs: number,
    showSyncingAfterMs: number,
  ): Promise<{ engine: SyncEngine; store: MailStore; states: string[]; accountWrites: () => number }> {
    const store = await openMailStore(`sync-engine-status-${Date.now()}-${listMs}`)
    stores.push(store)
    const states: string[] = []
    const put = store.fast.syncState.put.bind(store.fast.syncState)
    store.fast.syncState.put = ((row: { key: string; value: unknown }) => {
      if (row.key === statusKey('acc')) states.push((row.value as AccountSyncStatus).state)
      return put(row)
    }) as typeof store.fast.syncState.put
    const core = {
      call: (async (method: string) => {
        if (method === 'accounts.list') return { accounts: [imapAccount] }
        if (method === 'imap.folders') {
          await new Promise((resolve) => setTimeout(resolve, listMs))
          return { folders: [] }
        }
        throw new Error(`unexpected call ${method}`)
      }) as CoreApi['call'],
      on: () => ({ dispose: () => undefined }),
    } as unknown as CoreApi
    let accountWrites = 0
    const bulkPut = store.fast.accounts.bulkPut.bind(store.fast.accounts)
    store.fast.accounts.bulkPut = ((...args: Parameters<typeof bulkPut>) => {
      accountWrites++
      return bulkPut(...args)
    }) as typeof bulkPut
    const engine = new SyncEngine(store, core, false, () => undefined, showSyncingAfterMs)
    return { engine, store, states, accountWrites: () => accountWrites }
  }

  it('a pass that ends quickly writes only its outcome: no "syncing" for the window to react to first', async () => {
    // The threshold is far above what the pass takes, even on a loaded machine.
    const { engine, states } = await engineWith(0, 10_000)
    await engine.syncAll()
    expect(states).toEqual(['idle'])
    await engine.stop()
  })

  it('a pass that lasts shows "syncing" while it runs, then its outcome', async () => {
    const { engine, states } = await engineWith(600, 50)
    const pass = engine.syncAll()
    await new Promise((resolve) => setTimeout(resolve, 450))
    expect(states).toEqual(['syncing'])
    await pass
    expect(states).toEqual(['syncing', 'idle'])
    await engine.stop()
  })

  it('writes equal account rows once, and again into a store that was deleted and created anew', async () => {
    const { engine, store, accountWrites } = await engineWith(0, 10_000)
    await engine.syncAll()
    await engine.syncAll()
    expect(accountWrites()).toBe(1)
    await engine.backgroundSettled()
    await store.fast.delete()
    await store.fast.open()
    await engine.syncAll()
    expect(accountWrites()).toBe(2)
    expect((await store.fast.accounts.toArray()).map((a) => a.id)).toEqual(['acc'])
    await engine.stop()
  })
})

describe('SyncEngine.forgetAccount', () => {
  it('deletes the account’s body files, only after its rows are gone', async () => {
    const store = await openMailStore(`sync-engine-forget-${Date.now()}`)
    stores.push(store)
    await store.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'P', email: 'p@x', position: 0 })
    const real = bodyFilesFor(store.durable.name)
    // Notes what the store holds of the account when each file is removed.
    const rowsWhenRemoved: number[] = []
    const files: BodyFiles = {
      openForAppend: (name) => real.openForAppend(name),
      read: (refs) => real.read(refs),
      list: () => real.list(),
      size: (name) => real.size(name),
      remove: async (name) => {
        rowsWhenRemoved.push((await accountMessageIds(store.durable, 'p')).length)
        await real.remove(name)
      },
    }
    const bodies = new BodyStore(store.durable, files)
    const refs = await bodies.withAppended('p', [new TextEncoder().encode('raw')], async (appended) => {
      await store.durable.transaction('rw', store.durable.bodyFiles, () => appended.commitIn(store.durable))
      return appended.refs
    })
    await addMessages(store.durable, [testMessageRow(1, { accountId: 'p', body: refs[0]! })])
    const core = {
      call: (async () => ({ accounts: [] })) as CoreApi['call'],
      on: () => ({ dispose: () => undefined }),
    } as unknown as CoreApi
    const engine = new SyncEngine({ ...store, bodies }, core, false)
    await engine.forgetAccount('p')
    expect(rowsWhenRemoved).toEqual([0])
    expect(await real.list()).toEqual([])
    expect(await store.durable.bodyFiles.get('p')).toBeUndefined()
    await engine.stop()
  })
})
