/**
 * A full disk while POP3 mail downloads (the handbook: "bad input gets a clear error and loses nothing").
 * Chromium is told, through DevTools, that the app's origin may store only a little more than it holds
 * (Storage.overrideQuotaForOrigin): the body files (OPFS) and IndexedDB then refuse writes as on a full disk.
 * The account removes mail from the server once downloaded, so a wrong step would lose mail (it did: Chromium
 * reports a body-file write that crosses the quota as done; see store/bodies/body-files.ts).
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { labServerUidls } from '../src/lab/lab-pop3-session'
import { labPop3Account } from '../src/lab/lab-accounts'
import { bigMessage, expectStoreFullNotice, openAppWithQuota } from './support/full-disk'
import { useLabApp } from './support/lab-app'
import { readStore } from './support/store-in-page'
import { shotLightAndDark } from './support/ui'

const USER = 'fulldisk'
const COUNT = 120

describe('a full disk during a POP3 download', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('says there is no room, deletes nothing unsaved from the server, and finishes once there is room', async () => {
    const { lab } = env
    await lab.loadMaildir(
      USER,
      'INBOX',
      Array.from({ length: COUNT }, (_, i) => bigMessage(i, USER, 'full')),
    )
    const all = await labServerUidls(lab, USER)
    expect(all).toHaveLength(COUNT)

    // Room for a fraction of the ~5 MB the download needs.
    const app = await openAppWithQuota(env, 1_500_000)
    const { page } = app

    const { account } = await env.addAccount(
      labPop3Account(lab, USER, {
        account: { name: 'Full disk', smtp: null, retention: { kind: 'delete-after-days', days: 0 } },
      }),
    )

    const notice = await expectStoreFullNotice(page, 'Full disk')
    await shotLightAndDark(page, 'store-full')

    // Every message is still somewhere: stored here, or on the server (deleted there only once stored).
    const stored = (await readStore(page, [account.id]))[account.id]!.rows.map((r) => r.uidl)
    expect(stored.length).toBeLessThan(COUNT)
    expect(new Set(stored).size).toBe(stored.length)
    const onServer = new Set(await labServerUidls(lab, USER))
    expect(all.filter((u) => !onServer.has(u) && !stored.includes(u))).toEqual([])

    // Room again (the override lifted): Try again downloads the rest, once each, and the bar goes.
    await app.liftQuota()
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
    await app.detach()
  })

  it('keeps a composer that cannot save its draft open, and saves it once there is room', async () => {
    // A fresh profile (new storage) whose quota leaves no room for a 3 MB attachment.
    const full = await openAppWithQuota(env, 1_500_000)
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

      await full.liftQuota()
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
      await full.detach().catch(() => undefined)
      await full.context.close()
    }
  })
})
