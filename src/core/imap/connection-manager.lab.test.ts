import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTcpProxy, type LabTools } from '../../lab/lab'
import { corpusForLab } from '../../lab/corpus'
import { MailError } from '../../shared/errors'
import { ImapConnectionManager, type WatchState } from './connection-manager'
import { fetchHeaders } from './fetch-headers'
import type { FolderChange } from './idle'
import { labAccount, useLab, type LabHandle } from './lab-fixture'
import { listFolders } from './list-folders'

let handle: LabHandle
let lab: LabTools

beforeAll(async () => {
  handle = await useLab()
  lab = handle.lab
  await lab.loadMaildir('alice', 'CutTest', corpusForLab({ count: 400, seed: 11, domain: lab.domain }))
})
afterAll(() => handle?.release())

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const raw = (subject: string): string =>
  `From: x@lab.test\r\nTo: alice@lab.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@lab.test>\r\n\r\nhi\r\n`

describe('ImapConnectionManager', () => {
  it('IDLE on INBOX sees a new delivery within seconds, and an expunge and a flag change', async () => {
    const manager = new ImapConnectionManager({ accountId: 'alice', config: labAccount(lab, 'alice') })
    const changes: FolderChange[] = []
    const states: WatchState[] = []
    const watcher = manager.watch(
      'INBOX',
      (c) => changes.push(c),
      (s) => states.push(s),
    )
    try {
      await watcher.ready
      const t = Date.now()
      await lab.deliver('alice', raw('idle-1'))
      await waitFor(() => changes.some((c) => c.kind === 'exists'), 5_000)
      console.info(`IDLE saw the delivery after ${Date.now() - t} ms`)
      const other = await lab.otherDevice('alice')
      try {
        await other.mailboxOpen('INBOX')
        await other.messageFlagsAdd('*', ['\\Flagged'])
        await waitFor(() => changes.some((c) => c.kind === 'flags' && c.flags.includes('\\Flagged')), 5_000)
        await other.messageDelete('*')
        await waitFor(() => changes.some((c) => c.kind === 'expunge'), 5_000)
      } finally {
        await other.logout()
      }
      expect(states[0]).toEqual({ state: 'watching' })
    } finally {
      await watcher.stop()
      await manager.close()
    }
  })

  it('a cut mid-fetch gives a clean NETWORK error; the next call reconnects; the watcher comes back', async () => {
    const proxy = await createTcpProxy({ targetPort: lab.ports.imaps })
    const manager = new ImapConnectionManager({
      accountId: 'alice',
      config: labAccount(lab, 'alice', { port: proxy.port }),
      backoff: { initialMs: 100, maxMs: 1_000 },
    })
    const states: WatchState[] = []
    const watcher = manager.watch(
      'INBOX',
      () => undefined,
      (s) => states.push(s),
    )
    try {
      await watcher.ready
      let batches = 0
      const err = await (async () => {
        for await (const _ of manager.stream((c) =>
          fetchHeaders(c, 'CutTest', { firstBatchSize: 20, batchSize: 20 }),
        )) {
          if (++batches === 2) proxy.cutAll()
        }
      })().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MailError)
      expect((err as MailError).code).toBe('NETWORK')
      expect(batches).toBeLessThan(20)

      // Same manager, same call: a fresh connection.
      const folders = await manager.run((c) => listFolders(c))
      expect(folders.map((f) => f.path)).toContain('CutTest')
      expect(manager.openConnections).toBe(1)
      // The IDLE connection was cut too: it reconnects with backoff and reports it.
      await waitFor(() => states.filter((s) => s.state === 'watching').length >= 2, 5_000)
      expect(
        states.some((s) => s.state === 'reconnecting' && s.error.code === 'NETWORK'),
        JSON.stringify(states),
      ).toBe(true)
    } finally {
      await manager.close()
      await proxy.close()
    }
  })

  it("one account's dead server does not hold up another account", async () => {
    const stalled = await createTcpProxy({ targetPort: lab.ports.imaps })
    stalled.stall()
    const timeouts = { connect: 3_000, greeting: 3_000, socket: 3_000 }
    const dead = new ImapConnectionManager({
      accountId: 'dead',
      config: labAccount(lab, 'bob', { port: stalled.port }, timeouts),
      connectAttempts: 1,
    })
    const alive = new ImapConnectionManager({ accountId: 'alive', config: labAccount(lab, 'alice') })
    try {
      const hanging = dead.run((c) => listFolders(c)).catch((e: unknown) => e)
      const t = Date.now()
      expect((await alive.run((c) => listFolders(c))).length).toBeGreaterThan(0)
      expect(Date.now() - t).toBeLessThan(1_500)
      expect(((await hanging) as MailError).code).toBe('TIMEOUT')
    } finally {
      await Promise.all([dead.close(), alive.close()])
      await stalled.close()
    }
  })

  it('close() ends every connection and refuses later calls', async () => {
    const manager = new ImapConnectionManager({
      accountId: 'alice',
      config: labAccount(lab, 'alice'),
      maxConnections: 2,
    })
    await Promise.all([manager.run((c) => listFolders(c)), manager.run((c) => listFolders(c))])
    expect(manager.openConnections).toBe(2)
    await manager.close()
    expect(manager.openConnections).toBe(0)
    const err = await manager.run((c) => listFolders(c)).catch((e: unknown) => e)
    expect((err as MailError).code).toBe('CANCELLED')
  })
})
