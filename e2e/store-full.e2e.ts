/**
 * A full disk while POP3 mail downloads (the handbook: "bad input gets a clear error and loses nothing").
 * Chromium is told, through DevTools, that the app's origin may store only a little more than it holds
 * (Storage.overrideQuotaForOrigin): the body files (OPFS) and IndexedDB then refuse writes as on a full disk.
 * The account removes mail from the server once downloaded, so a wrong step would lose mail (it did: Chromium
 * reports a body-file write that crosses the quota as done; see store/bodies/body-files.ts).
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CDPSession } from 'playwright-core'
import { labServerUidls } from '../src/lab/lab-pop3-session'
import { labPop3Account } from '../src/lab/lab-accounts'
import { useLabApp } from './support/lab-app'
import { readStore } from './support/store-in-page'
import { shotLightAndDark } from './support/ui'

const USER = 'fulldisk'
const COUNT = 120

/** ~40 KB of base64 noise each: compresses no better than real attachments. */
function message(i: number): Buffer {
  const body = randomBytes(30_000).toString('base64').replace(/.{76}/g, '$&\r\n')
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: big ${i}\r\n` +
      `Message-ID: <full-${i}-${Date.now()}@lab.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`,
  )
}

describe('a full disk during a POP3 download', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('says there is no room, deletes nothing unsaved from the server, and finishes once there is room', async () => {
    const { lab, host } = env
    await lab.loadMaildir(
      USER,
      'INBOX',
      Array.from({ length: COUNT }, (_, i) => message(i)),
    )
    const all = await labServerUidls(lab, USER)
    expect(all).toHaveLength(COUNT)

    // Room for a fraction of the ~5 MB the download needs. Chromium applies a quota override only to
    // storage opened after it, so it is set before the app's first load.
    let cdp: CDPSession | undefined
    const app = await env.openApp('light', undefined, async (page, context) => {
      cdp = await context.newCDPSession(page)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: `${host.origin}/`, quotaSize: 1_500_000 })
    })
    const { page } = app

    const { account } = await env.addAccount(
      labPop3Account(lab, USER, {
        account: { name: 'Full disk', smtp: null, retention: { kind: 'delete-after-days', days: 0 } },
      }),
    )

    const notice = page.getByTestId('store-full-notice')
    await notice.waitFor({ timeout: 60_000 })
    const text = (await notice.textContent()) ?? ''
    expect(text).toContain('No room to save mail')
    expect(text).toContain('Nothing was lost')
    expect(text).toContain('Free some disk space')
    await expect
      .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
      .toBe('Full disk: Stopped: no room to save mail')
    await shotLightAndDark(page, 'store-full')

    // Every message is still somewhere: stored here, or on the server (deleted there only once stored).
    const stored = (await readStore(page, [account.id]))[account.id]!.rows.map((r) => r.uidl)
    expect(stored.length).toBeLessThan(COUNT)
    expect(new Set(stored).size).toBe(stored.length)
    const onServer = new Set(await labServerUidls(lab, USER))
    expect(all.filter((u) => !onServer.has(u) && !stored.includes(u))).toEqual([])

    // Room again (the override lifted): Try again downloads the rest, once each, and the bar goes.
    await cdp!.send('Storage.overrideQuotaForOrigin', { origin: `${host.origin}/` })
    await notice.getByRole('button', { name: 'Try again' }).click()
    await notice.waitFor({ state: 'detached', timeout: 60_000 })
    await expect
      .poll(
        async () => {
          const rows = (await readStore(page, [account.id]))[account.id]!.rows
          return {
            rows: rows.length,
            unique: new Set(rows.map((r) => r.uidl)).size,
            full: rows.every((r) => r.sha),
          }
        },
        { timeout: 60_000 },
      )
      .toEqual({ rows: COUNT, unique: COUNT, full: true })
    const finalRows = (await readStore(page, [account.id]))[account.id]!.rows
    expect(finalRows.map((r) => r.uidl).sort()).toEqual([...all].sort())
    // The policy applies again: what is stored leaves the server.
    await expect.poll(async () => (await labServerUidls(lab, USER)).length, { timeout: 60_000 }).toBe(0)
    await expect
      .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
      .toMatch(/^Full disk: (Up to date|Synced)/)
    expect(app.errors).toEqual([])
    await cdp!.detach()
  })

  it('keeps a composer that cannot save its draft open, and saves it once there is room', async () => {
    const { host } = env
    let cdp: CDPSession | undefined
    // A fresh profile (new storage) whose quota leaves no room for a 3 MB attachment.
    const full = await env.openApp('light', undefined, async (page, context) => {
      cdp = await context.newCDPSession(page)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: `${host.origin}/`, quotaSize: 1_500_000 })
    })
    try {
      const { page } = full
      await page.getByRole('button', { name: /^New mail/ }).click()
      const composer = page.getByTestId('composer')
      await composer.getByLabel('Subject').fill('Bericht mit Anhang')
      await composer.getByTestId('compose-body').click()
      await page.keyboard.type('Der Anhang ist groß.')
      await composer.getByTestId('compose-file-input').setInputFiles({
        name: 'Bericht.pdf',
        mimeType: 'application/pdf',
        buffer: randomBytes(3_000_000),
      })
      await composer.getByText('Not saved: the disk is full').waitFor({ timeout: 20_000 })
      await composer.getByRole('button', { name: 'Close' }).click()
      await composer
        .getByTestId('draft-not-saved')
        .getByText(/no room left on this computer to save this draft, so its window stays open/)
        .waitFor()
      expect(await composer.isVisible()).toBe(true)
      await shotLightAndDark(page, 'store-full-composer')

      await cdp!.send('Storage.overrideQuotaForOrigin', { origin: `${host.origin}/` })
      await composer.getByRole('button', { name: 'Close' }).click()
      await composer.waitFor({ state: 'detached' })
      const drafts = (await page.evaluate(`(async () => {
        const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
        const rows = await new Promise((ok, fail) => { const r = db.transaction('drafts').objectStore('drafts').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
        db.close()
        return rows.map((d) => ({ subject: d.subject, files: d.attachments.map((a) => a.size) }))
      })()`)) as { subject: string; files: number[] }[]
      expect(drafts).toEqual([{ subject: 'Bericht mit Anhang', files: [3_000_000] }])
      expect(full.errors).toEqual([])
    } finally {
      await cdp?.detach().catch(() => undefined)
      await full.context.close()
    }
  })
})
