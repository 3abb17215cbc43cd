/**
 * A full disk while an IMAP account downloads every body for offline use (bodyPolicy all), as
 * e2e/store-full.e2e.ts does for POP3. Chromium is told through DevTools that the app's origin may store only
 * a little (Storage.overrideQuotaForOrigin): the body files (OPFS) and IndexedDB then refuse writes as on a
 * full disk, and a body-file write that crosses the quota is reported as done (store/bodies/body-files.ts).
 * The server keeps the mail whatever happens here; what must hold is that the window says so clearly, that no
 * row claims a body it does not have, and that everything comes once there is room.
 */
import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { labImapAccount } from '../src/lab/lab-accounts'
import { bigMessage, expectStoreFullNotice, openAppWithQuota } from './support/full-disk'
import { useLabApp } from './support/lab-app'
import { BODY_BYTES } from './support/store-in-page'
import { shotLightAndDark } from './support/ui'

const USER = 'imapfull'
const COUNT = 120
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

interface CachedRow {
  /** Without its angle brackets. */
  messageId: string | null
  bodyState: string
  /** sha256 of the stored bytes; '' when none are readable. */
  sha: string
}

/** The account's rows as the page's IndexedDB and body files hold them (plain APIs, no app code). */
async function cachedRows(page: Page, accountId: string): Promise<CachedRow[]> {
  const script = `(async (accountId) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('')
    ${BODY_BYTES}
    const tx = db.transaction(['messageChunks', 'bodies'], 'readonly')
    const messages = (await req(tx.objectStore('messageChunks').getAll())).flatMap((c) => c.rows).filter((m) => m.accountId === accountId)
    const bodies = new Map((await req(tx.objectStore('bodies').getAll())).map((b) => [b.messageId, b.raw]))
    db.close()
    const out = []
    for (const m of messages) {
      const raw = await bodyBytes(m, (id) => bodies.get(id))
      out.push({ messageId: m.messageId && m.messageId.replace(/^<|>$/g, ''), bodyState: m.bodyState, sha: raw ? await hex(raw) : '' })
    }
    return out
  })(${JSON.stringify(accountId)})`
  return (await page.evaluate(script)) as CachedRow[]
}

describe('a full disk while IMAP bodies download', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('says there is no room, no row claims a body it lacks, the server keeps all; everything comes once there is room', async () => {
    const { lab } = env
    const mail = Array.from({ length: COUNT }, (_, i) => bigMessage(i, USER, 'imap-full'))
    await lab.loadMaildir(USER, 'INBOX', mail)
    // Message-ID (without its brackets) → sha256 of the bytes the server has.
    const expected = new Map(
      mail.map((m) => [/Message-ID: <([^>]+)>/.exec(m.toString('latin1'))![1]!, sha(m)] as const),
    )

    // Room for a fraction of the ~5 MB of bodies.
    const app = await openAppWithQuota(env, 1_500_000)
    const { page } = app
    const { account } = await env.addAccount(
      labImapAccount(lab, USER, { account: { name: 'Full IMAP', smtp: null, bodyPolicy: { kind: 'all' } } }),
    )

    const notice = await expectStoreFullNotice(page, 'Full IMAP')
    await shotLightAndDark(page, 'imap-store-full')

    // Some bodies were stored, not all; every row marked 'full' has exactly the server's bytes.
    const during = await cachedRows(page, account.id)
    const full = during.filter((r) => r.bodyState === 'full')
    expect(full.length).toBeLessThan(COUNT)
    console.info(`stopped with ${full.length} of ${COUNT} bodies stored, ${during.length} rows`)
    for (const r of full) expect(r.sha).toBe(expected.get(r.messageId!))
    expect(new Set(during.map((r) => r.messageId)).size).toBe(during.length)
    // The server still has every message.
    const device = await lab.otherDevice(USER)
    try {
      const status = await device.status('INBOX', { messages: true })
      expect(status && status.messages).toBe(COUNT)
    } finally {
      await device.logout()
    }

    // Room again (the override lifted): Try again fetches the rest, once each, and the bar goes.
    await app.liftQuota()
    await notice.getByRole('button', { name: 'Try again' }).click()
    await notice.waitFor({ state: 'detached', timeout: 60_000 })
    await expect
      .poll(
        async () => {
          const rows = await cachedRows(page, account.id)
          return {
            rows: rows.length,
            unique: new Set(rows.map((r) => r.messageId)).size,
            exact: rows.filter((r) => r.bodyState === 'full' && r.sha === expected.get(r.messageId!)).length,
          }
        },
        { timeout: 90_000 },
      )
      .toEqual({ rows: COUNT, unique: COUNT, exact: COUNT })
    await expect
      .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
      .toMatch(/^Full IMAP: (Up to date|Synced)/)
    expect(app.errors).toEqual([])
    await app.detach()
  })
})
