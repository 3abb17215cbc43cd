import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../lab/lab'
import { labPop3Account } from '../lab/lab-accounts'
import { startPop3WithoutUidl, type Pop3WithoutUidl } from '../lab/faults/pop3-without-uidl'
import type { AccountConfig, Pop3Retention } from '../shared/model/account'
import { syncPop3Account, type Pop3Account } from '../renderer/src/sync/pop3/sync-pop3-account'
import { labMessage, serverMessages, sha256, storedMessages } from './pop3-lab-support'
import { startSyncHarness, type SyncHarness } from './sync-harness'

/** sha256 of each message, sorted: a multiset, since twins have equal bytes. */
const hashes = (m: Map<string, string>) => [...m.values()].sort()

/**
 * A server without UIDL: the lab's real Dovecot behind a proxy that hides UIDL (src/lab/faults). The client
 * must fall back to header hashes (src/core/pop3/header-identity.ts) and still download every message
 * exactly once, twins included, and delete from the server only what it stored.
 */
describe('POP3 without UIDL (real Dovecot behind a UIDL-hiding proxy, real core, Dexie on fake-indexeddb)', () => {
  let lab: Lab
  let h: SyncHarness
  const proxies: Pop3WithoutUidl[] = []

  async function account(user: string, retention: Pop3Retention): Promise<Pop3Account> {
    const proxy = await startPop3WithoutUidl({ targetPort: lab.ports.pop3s, ca: lab.caPem })
    proxies.push(proxy)
    const params = labPop3Account(lab, user, { account: { smtp: null, retention } })
    params.account.incoming = {
      host: lab.host,
      port: proxy.port,
      tls: 'none',
      allowPlaintext: true,
      username: lab.user(user).address,
    }
    const { account: added } = await h.connection.client.call('accounts.add', params)
    const { accounts } = await h.connection.client.call('accounts.list', {})
    const config = accounts.find((a: AccountConfig) => a.id === added.id)
    if (config?.kind !== 'pop3') throw new Error('not a POP3 account')
    await h.engine.syncAll().catch(() => undefined) // mirrors the account row and runs the first check
    return config
  }
  const check = (config: Pop3Account) => syncPop3Account(h.store, h.connection.client, config)

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: 'keep' }, { name: 'purge' }] })
    h = await startSyncHarness()
  })
  afterAll(async () => {
    await h?.dispose()
    for (const p of proxies) await p.close()
    await lab?.stop()
  })

  it('downloads every message once by header hash, twins included, and finds nothing new the second time', async () => {
    const twin = labMessage('twin')
    const mail = [labMessage('one'), twin, labMessage('two'), twin, labMessage('three')]
    await lab.loadMaildir('keep', 'INBOX', mail)
    const config = await account('keep', { kind: 'leave' })
    expect(proxies.at(-1)!.uidlAttempts).toBe(0)

    const stored = await storedMessages(h.store, config.id)
    expect(stored.rows).toBe(5)
    for (const id of stored.full.keys()) expect(id).toMatch(/^#hdr:[0-9a-f]{64}:\d+(#\d+)?$/)
    expect(hashes(stored.full)).toEqual(hashes(await serverMessages(lab, 'keep')))

    expect(await check(config)).toEqual({
      listed: 5,
      downloaded: 0,
      headersOnly: 0,
      deletedFromServer: 0,
      restored: 0,
      standing: 'known',
    })
    await lab.deliver('keep', labMessage('four'))
    expect(await check(config)).toMatchObject({ listed: 6, downloaded: 1, deletedFromServer: 0 })
    expect(hashes((await storedMessages(h.store, config.id)).full)).toEqual(
      hashes(await serverMessages(lab, 'keep')),
    )
  })

  it('delete-after-days 0: removes only stored messages, and a later message with the same headers is new mail', async () => {
    const first = labMessage('same headers', 'First body.\r\n')
    const other = labMessage('other')
    await lab.loadMaildir('purge', 'INBOX', [first, other])
    const config = await account('purge', { kind: 'delete-after-days', days: 0 })
    // The first check stored both; the next one may delete them (stored ≥ 0 days ago).
    await check(config)
    const before = await storedMessages(h.store, config.id)
    expect(hashes(before.full)).toEqual([sha256(first), sha256(other)].sort())
    expect((await serverMessages(lab, 'purge')).size).toBe(0)

    // Same header block and size, different body: an old server without UIDL cannot tell it apart from
    // the first by its id, but the first was deleted from the server, so this one must be new mail.
    const second = Buffer.from(first.toString('latin1').replace('First body.', 'Other body.'), 'latin1')
    expect(second.length).toBe(first.length)
    await lab.loadMaildir('purge', 'INBOX', [second])
    await check(config)
    await check(config)
    const after = await storedMessages(h.store, config.id)
    expect(after.rows).toBe(3)
    expect([...after.full.values()]).toContain(sha256(second))
    expect([...after.full.values()]).toContain(sha256(first))
    expect((await serverMessages(lab, 'purge')).size).toBe(0)
  })
})
