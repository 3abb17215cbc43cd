/**
 * The store comes back empty (what Chromium's IndexedDB did after a browser SIGKILL in the kill test): a new
 * database with a new identity and no ledger. Core must not DELE for it, and its safety copy must give back
 * the mail the server no longer has (src/core/pop3/NO-LOSS.md).
 */
import 'fake-indexeddb/auto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../lab/lab'
import type { AccountConfig } from '../shared/model/account'
import { MailError } from '../shared/errors'
import { openMailStore, type MailStore } from '../renderer/src/store/mail-db'
import { storeIdentity } from '../renderer/src/store/store-identity'
import { syncPop3Account, type Pop3Account } from '../renderer/src/sync/pop3/sync-pop3-account'
import {
  acceptResetStore,
  storeResetKey,
  type StoreResetRecord,
} from '../renderer/src/sync/pop3/store-reset-record'
import { addLabPop3Account, labMessage, serverMessages, sha256, storedMessages } from './pop3-lab-support'
import { startSyncHarness, type SyncHarness } from './sync-harness'
import type { CoreApi } from '../renderer/src/sync/engine/core-api'
import type { ChunkOf } from '../shared/contract'

const USERS = ['reset', 'dropped', 'kept', 'damaged'] as const
let stores = 0
const emptyStore = (): Promise<MailStore> => openMailStore(`reset-test-${process.pid}-${++stores}`)

describe('POP3: a store that comes back empty (real core, real Dovecot POP3, Dexie on fake-indexeddb)', () => {
  let lab: Lab
  const harnesses: SyncHarness[] = []
  const opened: MailStore[] = []

  async function account(h: SyncHarness, user: string): Promise<Pop3Account> {
    const id = await addLabPop3Account(h, lab, user, { retention: { kind: 'delete-after-days', days: 0 } })
    const { accounts } = await h.connection.client.call('accounts.list', {})
    const config = accounts.find((a: AccountConfig) => a.id === id)
    if (config?.kind !== 'pop3') throw new Error('not a POP3 account')
    return config
  }
  async function fresh(): Promise<MailStore> {
    const s = await emptyStore()
    opened.push(s)
    return s
  }

  beforeAll(async () => {
    lab = await startLab({ users: USERS.map((name) => ({ name })) })
  })
  afterAll(async () => {
    for (const s of opened) s.close()
    for (const h of harnesses) await h.dispose()
    await lab?.stop()
  })

  it('no DELE for the new store until core restored every message it had removed from the server', async () => {
    const h = await startSyncHarness()
    harnesses.push(h)
    const first = Array.from({ length: 20 }, (_, i) => labMessage(`first ${i}`))
    await lab.loadMaildir('reset', 'INBOX', first)
    const config = await account(h, 'reset')
    const store = await fresh()
    const core = h.connection.client
    expect(await syncPop3Account(store, core, config)).toMatchObject({
      downloaded: 20,
      deletedFromServer: 20,
    })
    expect((await serverMessages(lab, 'reset')).size).toBe(0)

    // The browser gives us an empty database: a new identity, no ledger, no mail. New mail has arrived.
    const later = Array.from({ length: 5 }, (_, i) => labMessage(`later ${i}`))
    await lab.loadMaildir('reset', 'INBOX', later)
    const empty = await fresh()
    const emptyId = await storeIdentity(empty.durable)
    expect(emptyId).not.toBe(await storeIdentity(store.durable))

    // Core refuses DELE for it outright (a worker that skipped the restore could not delete anything).
    const opened1 = await core.call('pop3.open', { accountId: config.id, store: emptyId })
    expect(opened1.spool).toMatchObject({ standing: 'reset', dropped: 0 })
    expect(opened1.spool.unconfirmed).toHaveLength(20)
    await core.call('pop3.list', { sessionId: opened1.sessionId })
    const refused = await core.call('pop3.dele', { sessionId: opened1.sessionId, ns: [1] }).catch((e) => e)
    expect(refused).toBeInstanceOf(MailError)
    expect((refused as MailError).code).toBe('STORE_RESET')
    await core.call('pop3.quit', { sessionId: opened1.sessionId })
    expect((await serverMessages(lab, 'reset')).size).toBe(5)

    // The next check restores all 20 from core's copy first; only then does the new store become trusted.
    const report = await syncPop3Account(empty, core, config)
    expect(report).toMatchObject({ restored: 20, downloaded: 5, deletedFromServer: 5, standing: 'known' })
    // Resolved by itself, and still on record for the user: 20 came back, none missing.
    expect((await empty.durable.syncState.get(storeResetKey(config.id)))?.value).toMatchObject({
      outcome: 'restored',
      restored: 20,
      dropped: 0,
    })
    const stored = await storedMessages(empty, config.id)
    expect([...stored.full.values()].sort()).toEqual([...first, ...later].map((m) => sha256(m)).sort())
    expect((await serverMessages(lab, 'reset')).size).toBe(0)
    // The old store is the stranger now.
    const old = await core.call('pop3.open', {
      accountId: config.id,
      store: await storeIdentity(store.durable),
    })
    expect(old.spool.standing).toBe('reset')
    await core.call('pop3.close', { sessionId: old.sessionId })
  })

  it('a safety copy damaged on its way to the store is not stored and stays unconfirmed; the next check restores it', async () => {
    const h = await startSyncHarness()
    harnesses.push(h)
    const mail = Array.from({ length: 6 }, (_, i) => labMessage(`copy ${i}`))
    await lab.loadMaildir('damaged', 'INBOX', mail)
    const config = await account(h, 'damaged')
    const core = h.connection.client
    expect(await syncPop3Account(await fresh(), core, config)).toMatchObject({ deletedFromServer: 6 })

    // An empty store restores from core's copies; one byte of the second copy changes after core hashed it.
    let ends = 0
    const damaging: CoreApi = {
      call: (method, params, opts) => {
        const onChunk = opts?.onChunk
        if (method !== 'pop3.spooled' || !onChunk) return core.call(method, params, opts)
        return core.call(method, params, {
          ...opts,
          onChunk: (chunk) => {
            const c = chunk as ChunkOf<'pop3.spooled'>
            if (!c.end || ++ends !== 2) return onChunk(chunk)
            const bytes = c.bytes.slice()
            bytes[0] = bytes[0]! ^ 0x01
            onChunk({ ...c, bytes } as typeof chunk)
          },
        })
      },
      on: (event, cb) => core.on(event, cb),
    }
    const empty = await fresh()
    // Not every copy is back, so the store is not trusted yet.
    await expect(syncPop3Account(empty, damaging, config)).rejects.toMatchObject({ code: 'STORE_RESET' })
    expect((await storedMessages(empty, config.id)).full.size).toBe(5)
    // Core still holds the damaged one's copy as unconfirmed by this store.
    const open = await core.call('pop3.open', {
      accountId: config.id,
      store: await storeIdentity(empty.durable),
    })
    expect(open.spool.unconfirmed).toHaveLength(1)
    await core.call('pop3.close', { sessionId: open.sessionId })

    expect(await syncPop3Account(empty, core, config)).toMatchObject({ restored: 1, standing: 'known' })
    const stored = await storedMessages(empty, config.id)
    expect([...stored.full.values()].sort()).toEqual(mail.map((m) => sha256(m)).sort())
  })

  it('leave-on-server: a new store is trusted at once, gets everything again, and the reset is on record', async () => {
    const h = await startSyncHarness()
    harnesses.push(h)
    const mail = Array.from({ length: 8 }, (_, i) => labMessage(`kept ${i}`))
    await lab.loadMaildir('kept', 'INBOX', mail)
    const id = await addLabPop3Account(h, lab, 'kept', { retention: { kind: 'leave' } })
    const config = (await h.connection.client.call('accounts.list', {})).accounts.find(
      (a: AccountConfig) => a.id === id,
    )
    if (config?.kind !== 'pop3') throw new Error('not a POP3 account')
    const core = h.connection.client
    const first = await fresh()
    expect(await syncPop3Account(first, core, config)).toMatchObject({ downloaded: 8 })
    expect(await first.durable.syncState.get(storeResetKey(config.id))).toBeUndefined()

    const empty = await fresh()
    expect(await syncPop3Account(empty, core, config)).toMatchObject({ downloaded: 8, standing: 'known' })
    const record = (await empty.durable.syncState.get(storeResetKey(config.id)))?.value as StoreResetRecord
    expect(record).toMatchObject({ outcome: 'restored', restored: 0, dropped: 0, dismissedAt: null })
    expect(record.resolvedAt).toEqual(expect.any(Number))
    const stored = await storedMessages(empty, config.id)
    expect([...stored.full.values()].sort()).toEqual(mail.map((m) => sha256(m)).sort())
    expect((await serverMessages(lab, 'kept')).size).toBe(8)
    // The next check finds nothing new to tell: the record stays as it was.
    await syncPop3Account(empty, core, config)
    expect((await empty.durable.syncState.get(storeResetKey(config.id)))?.value).toEqual(record)
  })

  it('when copies were dropped after the grace period, a reset store gets no DELE until the user accepts it', async () => {
    // Grace 0: every confirmed copy is dropped at the next open, so a reset can no longer be fully undone.
    const h = await startSyncHarness(undefined, { pop3SpoolGraceMs: 0 })
    harnesses.push(h)
    const core = h.connection.client
    await lab.loadMaildir('dropped', 'INBOX', [labMessage('old 1'), labMessage('old 2')])
    const config = await account(h, 'dropped')
    const store = await fresh()
    await syncPop3Account(store, core, config)
    await syncPop3Account(store, core, config) // confirms the copies; the open after that drops them
    const newer = [labMessage('newer 1'), labMessage('newer 2'), labMessage('newer 3')]
    await lab.loadMaildir('dropped', 'INBOX', newer)

    const empty = await fresh()
    const error = await syncPop3Account(empty, core, config).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).code).toBe('STORE_RESET')
    expect((error as MailError).message).toMatch(
      /reset or replaced.*2 older messages.*could not be restored/s,
    )
    // New mail was downloaded into the new store but stays on the server.
    const server = await serverMessages(lab, 'dropped')
    expect([...server.values()].sort()).toEqual(newer.map((m) => sha256(m)).sort())
    expect((await storedMessages(empty, config.id)).full.size).toBe(3)
    await expect(syncPop3Account(empty, core, config)).rejects.toMatchObject({ code: 'STORE_RESET' })
    expect((await serverMessages(lab, 'dropped')).size).toBe(3)

    // The reset is recorded in the new store for the user (and the log): when, what could not come back.
    const record = (await empty.durable.syncState.get(storeResetKey(config.id)))?.value
    expect(record).toMatchObject({ accountId: config.id, outcome: 'needs-user', dropped: 2, restored: 0 })
    expect((record as StoreResetRecord).resetAt).toBeGreaterThan(Date.now() - 60_000)

    // The user, told what could not be restored, accepts the new store: deletion resumes.
    await acceptResetStore(empty, core, config.id)
    expect((await empty.durable.syncState.get(storeResetKey(config.id)))?.value).toMatchObject({
      outcome: 'accepted',
      resetAt: (record as StoreResetRecord).resetAt,
    })
    expect(await syncPop3Account(empty, core, config)).toMatchObject({
      deletedFromServer: 3,
      standing: 'known',
    })
    expect((await serverMessages(lab, 'dropped')).size).toBe(0)
  })
})
