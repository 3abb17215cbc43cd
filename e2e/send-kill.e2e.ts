/**
 * Issue 7's crash rule for sending, with a real SIGKILL: the app sends through the web host to the lab's
 * Postfix via a TCP proxy, and the test kills the core (the web host's whole process group) at three points
 * of one send, each reached deterministically by stalling the proxy:
 *
 * - before DATA: the connection is open but the link is stalled, nothing was exchanged;
 * - during DATA: the link stops after 200 kB of the upload, long before the final dot;
 * - after the final dot, before the outbox recorded the result: the server's replies are held back until
 *   the recipient has the message, so the 250 never reaches the core.
 *
 * The first two must be delivered exactly once after the core comes back (the server discarded the
 * unfinished transaction); the third must be delivered once and NOT again, and the outbox must say that
 * the outcome is unknown and let the user decide.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImapFlow } from 'imapflow'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copiesOf } from '../src/integration/compose-kit'
import { createTcpProxy, startLab, type Lab, type TcpProxy } from '../src/lab/lab'
import { screenshot } from './support/browser'
import {
  freePort,
  launchProfile,
  rpcTo,
  startHost,
  type BrowserProcess,
  type HostProcess,
} from './support/kill-harness'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface OutboxView {
  subject: string
  state: string
  phase: string | null
  messageId: string
}

/** The outbox rows as they are in the browser profile's IndexedDB (plain API, no app code). */
async function readOutbox(page: Page): Promise<OutboxView[]> {
  const script = `(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name)
    if (!names.includes('harbor-mail')) return []
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const rows = await new Promise((ok, fail) => { const r = db.transaction('outbox').objectStore('outbox').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    db.close()
    return rows.map((r) => ({ subject: r.subject, state: r.state, phase: r.phase, messageId: r.messageId }))
  })()`
  return (await page.evaluate(script)) as OutboxView[]
}

async function rowOf(page: Page, subject: string): Promise<OutboxView | undefined> {
  return (await readOutbox(page).catch(() => [])).find((r) => r.subject === subject)
}

describe('sending survives SIGKILL of the core: delivered at most once, never lost untold', () => {
  let lab: Lab
  let proxy: TcpProxy
  let dir: string
  let port: number
  let host: HostProcess | undefined
  let browser: BrowserProcess | undefined
  let bob: ImapFlow
  let alice: ImapFlow

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: 'alice' }, { name: 'bob' }] })
    proxy = await createTcpProxy({ targetPort: lab.ports.submissions })
    dir = await mkdtemp(join(tmpdir(), 'send-kill-'))
    port = await freePort()
    host = await startHost(join(dir, 'core'), port)
    const rpc = await rpcTo(host)
    const user = lab.user('alice')
    await rpc.client.call('accounts.add', {
      account: {
        kind: 'imap',
        name: 'send kill',
        email: user.address,
        displayName: 'Alice',
        incoming: { host: lab.host, port: lab.ports.imaps, tls: 'implicit', username: user.address },
        // Through the proxy, so the test decides when bytes move.
        smtp: { host: lab.host, port: proxy.port, tls: 'implicit', username: user.address },
        trustedCaPem: lab.caPem,
        bodyPolicy: { kind: 'on-open' },
      },
      secrets: { incomingPassword: user.password },
    })
    rpc.close()
    await mkdir(join(dir, 'profile'), { recursive: true })
    browser = await launchProfile(join(dir, 'profile'))
    await load()
    bob = await lab.otherDevice('bob')
    alice = await lab.otherDevice('alice')
  })
  afterAll(async () => {
    await bob?.logout().catch(() => undefined)
    await alice?.logout().catch(() => undefined)
    await browser?.kill()
    await host?.kill()
    await proxy?.close()
    await lab?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const page = (): Page => browser!.page

  async function load(): Promise<void> {
    await page().goto('about:blank')
    await page().goto(host!.url)
    await page().locator('[data-testid=app-shell][data-core-state=connected]').waitFor({ timeout: 60_000 })
    await page().getByTestId('account-item').first().waitFor({ timeout: 60_000 })
  }

  /** Writes and sends a message in the real composer; `attachKb` makes the upload long enough to stall in. */
  async function compose(subject: string, attachKb: number, beforeSend: () => void): Promise<void> {
    await page()
      .getByRole('button', { name: /^New mail/ })
      .click()
    const composer = page().getByTestId('composer')
    await composer.waitFor()
    await composer.getByRole('textbox', { name: 'To' }).fill(lab.user('bob').address)
    await composer.getByLabel('Subject').fill(subject)
    await composer.getByTestId('compose-body').click()
    await page().keyboard.type(`Body of ${subject}.`)
    if (attachKb > 0) {
      const bytes = Buffer.alloc(attachKb * 1024, 0x41)
      await composer.getByTestId('compose-file-input').setInputFiles({
        name: 'payload.bin',
        mimeType: 'application/octet-stream',
        buffer: bytes,
      })
      await composer.getByText('payload.bin').waitFor()
    }
    beforeSend()
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })
  }

  async function killAndRestart(): Promise<void> {
    await host!.kill()
    host = undefined
    proxy.resume()
    host = await startHost(join(dir, 'core'), port)
    await load()
  }

  /** Waits for the first copy, then long enough for a retry's duplicate to show up too. */
  async function copiesAtBob(messageId: string, settleMs: number): Promise<number> {
    await expect
      .poll(async () => (await copiesOf(bob, messageId)).length, { timeout: 45_000 })
      .toBeGreaterThan(0)
    await sleep(settleMs)
    return (await copiesOf(bob, messageId)).length
  }

  it('killed before DATA (link stalled after connect): sent again after restart, delivered once', async () => {
    const subject = 'kill before DATA'
    let base = 0
    await compose(subject, 0, () => {
      base = proxy.forwarded.up
      proxy.stall()
    })
    await expect.poll(async () => (await rowOf(page(), subject))?.state).toBe('sending')
    await expect.poll(() => proxy.connections).toBeGreaterThan(0)
    // Not one byte of this send reached the server.
    expect(proxy.forwarded.up).toBe(base)
    const { messageId } = (await rowOf(page(), subject))!
    await killAndRestart()
    expect(await copiesAtBob(messageId, 4_000)).toBe(1)
    await expect
      .poll(async () => (await rowOf(page(), subject))?.state ?? 'settled', { timeout: 30_000 })
      .toBe('settled')
  })

  it('killed during DATA (200 kB into the upload): the server dropped it, sent again, delivered once', async () => {
    const subject = 'kill during DATA'
    let base = 0
    // Bigger than every buffer between the core and the server (about 6 MB of socket buffers and proxy
    // queue on loopback), so the core is still writing the message when the link stops: no dot yet.
    await compose(subject, 6 * 1024, () => {
      base = proxy.forwarded.up
      proxy.stallUpAfter(200_000)
    })
    await expect.poll(() => proxy.forwarded.up - base, { timeout: 30_000 }).toBe(200_000)
    const row = (await rowOf(page(), subject))!
    // Still before the commit: the final dot cannot have been written (if this fails, the buffers on this
    // machine swallowed the whole message and the attachment must grow).
    expect([row.state, row.phase]).toEqual(['sending', 'connecting'])
    await sleep(300)
    expect(await copiesOf(bob, row.messageId)).toHaveLength(0)
    await killAndRestart()
    expect(await copiesAtBob(row.messageId, 4_000)).toBe(1)
    await expect
      .poll(async () => (await rowOf(page(), subject))?.state ?? 'settled', { timeout: 30_000 })
      .toBe('settled')
  })

  it('killed after the final dot, before the outbox recorded the result: delivered once, the user decides', async () => {
    const subject = 'kill after the dot'
    let base = 0
    await compose(subject, 600, () => {
      base = proxy.forwarded.up
      proxy.stallUpAfter(200_000)
    })
    // 200 kB into DATA the server's 354 has long arrived; from here on nothing it says reaches the core.
    await expect.poll(() => proxy.forwarded.up - base, { timeout: 30_000 }).toBe(200_000)
    proxy.stall('down')
    proxy.resume('up')
    const { messageId } = (await rowOf(page(), subject))!
    // The recipient has it, so the dot went out; the 250 is held in the proxy, so nobody recorded it.
    expect(await copiesAtBob(messageId, 0)).toBe(1)
    const row = (await rowOf(page(), subject))!
    expect([row.state, row.phase]).toEqual(['sending', 'committing'])
    await killAndRestart()

    await expect.poll(async () => (await rowOf(page(), subject))?.state).toBe('unknown')
    await page()
      .getByRole('button', { name: /^Outbox/ })
      .click()
    const item = page().getByTestId('outbox-row').filter({ hasText: subject })
    await item.getByText('Outcome unknown — decide').waitFor()
    await item.getByText(/may or may not have been sent/).waitFor()
    await page().waitForTimeout(500)
    await screenshot(page(), 'outbox-unknown-light')
    await page().emulateMedia({ colorScheme: 'dark' })
    await page().waitForTimeout(300)
    await screenshot(page(), 'outbox-unknown-dark')
    await page().emulateMedia({ colorScheme: 'light' })
    // Nothing resends it by itself.
    await sleep(4_000)
    expect(await copiesOf(bob, messageId)).toHaveLength(1)
    expect((await rowOf(page(), subject))?.state).toBe('unknown')

    await item.getByRole('button', { name: 'It was sent' }).click()
    await expect
      .poll(async () => (await rowOf(page(), subject))?.state ?? 'settled', { timeout: 30_000 })
      .toBe('settled')
    // Marked as sent, it gets its Sent copy like any other sent message.
    expect(await copiesOf(alice, messageId, 'Sent')).toHaveLength(1)
    expect(await copiesOf(bob, messageId)).toHaveLength(1)
  })
})
