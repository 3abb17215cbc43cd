/**
 * The account's Storage dialog in Chromium through the web host: what the account's mail takes on this
 * computer, the room deleted mail still holds, and "Compact now", which gives it back at once (the body files
 * shrink to the bytes the rows point at; every message kept stays readable).
 */
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { labPop3Account } from '../src/lab/lab-accounts'
import { useLabApp } from './support/lab-app'
import { liveBodyBytes, readBodyFiles, readStore } from './support/store-in-page'
import { openAccountMenu, shotLightAndDark } from './support/ui'

const USER = 'storage'
const COUNT = 30
const DELETED = 12

function message(i: number): Buffer {
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: storage ${i}\r\n` +
      `Message-ID: <storage-${i}-${Date.now()}@lab.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n` +
      `Line ${i} of a message long enough to take some room.\r\n`.repeat(400),
  )
}

/** Total size of the store's body files, and the bytes the rows point at. */
async function fileBytes(page: Page): Promise<{ total: number; live: number }> {
  const { files, refs } = await readBodyFiles(page)
  return { total: Object.values(files).reduce((n, size) => n + size, 0), live: liveBodyBytes(refs) }
}

const folder = (page: Page, path: string): Locator =>
  page.locator(`[data-testid=folder-item][data-folder-path="${path}"]`)
const label = (item: Locator): Locator => item.locator('.fui-TreeItemLayout').first()

describe('account storage (Chromium, web host, real Dovecot POP3)', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('shows what the mail takes and gives the room of deleted mail back with Compact now', async () => {
    const { lab } = env
    const raws = Array.from({ length: COUNT }, (_, i) => message(i))
    await lab.loadMaildir(USER, 'INBOX', raws)
    const app = await env.openApp('light')
    const { page } = app
    const { account } = await env.addAccount(
      labPop3Account(lab, USER, {
        account: { name: 'Storage test', smtp: null, retention: { kind: 'leave' } },
      }),
    )
    await expect
      .poll(async () => (await readStore(page, [account.id]))[account.id]?.rows.filter((r) => r.sha).length)
      .toBe(COUNT)
    // As a user does: select a run of messages in the Inbox, delete them (to the local Trash), empty the Trash.
    await label(folder(page, 'INBOX')).click()
    const rows = page.getByTestId('message-row')
    await expect.poll(() => rows.count()).toBeGreaterThan(DELETED)
    await rows.nth(0).click()
    await rows.nth(DELETED - 1).click({ modifiers: ['Shift'] })
    await page.keyboard.press('Delete')
    // The next message is selected, alone: not 12 others at the positions the deleted ones held.
    await expect.poll(() => page.locator('[data-testid=message-row][aria-selected=true]').count()).toBe(1)
    await expect.poll(() => page.getByText('12 messages selected').count()).toBe(0)
    await label(folder(page, 'Trash')).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Empty Trash…' }).click()
    const empty = page.getByTestId('empty-folder-dialog')
    await expect
      .poll(() => empty.getByTestId('empty-folder-summary').textContent())
      .toMatch(new RegExp(`The ${DELETED} messages in Trash`))
    await empty.getByRole('button', { name: 'Empty Trash' }).click()
    await empty.waitFor({ state: 'detached' })
    await expect
      .poll(async () => (await readStore(page, [account.id]))[account.id]?.rows.length)
      .toBe(COUNT - DELETED)
    const before = await fileBytes(page)
    expect(before.total - before.live).toBeGreaterThan(DELETED * 20_000)

    const item = page.getByTestId('account-item').filter({ hasText: 'Storage test' })
    await openAccountMenu(item)
    await page.getByRole('menuitem', { name: 'Storage…' }).waitFor()
    await shotLightAndDark(page, 'account-menu')
    await page.getByRole('menuitem', { name: 'Storage…' }).click()
    const dialog = page.getByTestId('account-storage-dialog')
    await expect
      .poll(() => dialog.getByTestId('storage-messages').textContent())
      .toMatch(
        new RegExp(
          `^${COUNT - DELETED} messages are stored on this computer; all of them with their full text`,
        ),
      )
    // The same rounding as formatBytes: "NNN KB".
    const reclaimable = Math.round((before.total - before.live) / 1024)
    expect(await dialog.getByTestId('storage-reclaimable').textContent()).toContain(
      `Deleted mail still takes ${reclaimable} KB.`,
    )
    expect(await dialog.getByTestId('storage-quota').textContent()).toMatch(
      /^All accounts together: .+ of the .+/,
    )
    await shotLightAndDark(page, 'account-storage')

    await dialog.getByRole('button', { name: 'Compact now' }).click()
    await dialog.getByTestId('storage-freed').waitFor()
    expect(await dialog.getByTestId('storage-freed').textContent()).toBe(`${reclaimable} KB given back.`)
    await expect
      .poll(() => dialog.getByTestId('storage-reclaimable').textContent())
      .toBe('Deleted mail takes no room.')
    expect(await dialog.getByRole('button', { name: 'Compact now' }).isDisabled()).toBe(true)
    await shotLightAndDark(page, 'account-storage-compacted')

    const after = await fileBytes(page)
    expect(after).toEqual({ total: before.live, live: before.live })
    const store = (await readStore(page, [account.id]))[account.id]!
    expect(store.rows).toHaveLength(COUNT - DELETED)
    expect(store.rows.every((r) => r.sha !== '' && r.inFile)).toBe(true)
    await dialog.getByRole('button', { name: 'Close' }).click()
    expect(app.errors).toEqual([])
  })
})
