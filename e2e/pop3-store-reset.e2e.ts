/**
 * The user's side of a store reset (src/core/pop3/NO-LOSS.md, "Resolving a reset"): the browser's IndexedDB
 * for the app is wiped (what Chromium does when it finds its LevelDB corrupt) after core had already dropped
 * its safety copies of mail removed from the server (a web host with `--pop3-safety-days 0`). Core then
 * refuses to delete anything from the server for the new store; the app must say what happened, what came
 * back and what could not, and let the user accept the store, after which deleting resumes.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { labServerUidls } from '../src/lab/lab-pop3-session'
import type { Lab } from '../src/lab/lab'
import { labPop3Account } from '../src/lab/lab-accounts'
import { useLabApp } from './support/lab-app'
import { spoolState } from './support/spool-state'
import { readPhases } from './support/store-in-page'
import { shotLightAndDark } from './support/ui'

const USER = 'wiped'

function message(i: number): Buffer {
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: before the reset ${i}\r\n` +
      `Message-ID: <reset-${i}-${Date.now()}@lab.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n` +
      `Body ${i}\r\n`,
  )
}

/** Messages on the server now. */
const onServer = async (lab: Lab): Promise<number> => (await labServerUidls(lab, USER)).length

describe('POP3 store reset: told what happened, and able to accept the new store', () => {
  const env = useLabApp({ users: [{ name: USER }], hostArgs: ['--pop3-safety-days', '0'] })

  /** Runs one check of the account from its menu (Send/Receive) and waits until it has finished. */
  async function checkNow(page: Page, accountId: string, name: string): Promise<void> {
    const since = Date.now()
    const item = page.getByTestId('account-item').filter({ hasText: name })
    await item.locator('.fui-TreeItemLayout').first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Send/Receive' }).click()
    await expect.poll(() => readPhases(page, [accountId], since), { timeout: 30_000 }).toEqual(['done'])
  }

  it('shows the reset with what could not be restored, and resumes deleting once accepted', async () => {
    const { lab, host } = env
    await lab.loadMaildir(USER, 'INBOX', [message(1), message(2)])
    const name = 'Wiped POP3'
    const { account } = await env.addAccount(
      labPop3Account(lab, USER, {
        account: { name, smtp: null, retention: { kind: 'delete-after-days', days: 0 } },
      }),
    )

    const loaded = Date.now()
    const app = await env.openApp('light')
    const { page } = app
    // First check: both downloaded and removed from the server (core keeps a copy of each first).
    await expect.poll(() => readPhases(page, [account.id], loaded), { timeout: 30_000 }).toEqual(['done'])
    await expect.poll(() => onServer(lab), { timeout: 10_000 }).toBe(0)
    // The next check confirms the copies; the one after drops them (0 safety days): only the store has them.
    await checkNow(page, account.id, name)
    await checkNow(page, account.id, name)
    expect(await spoolState(host.dataDir, account.id)).toMatchObject({ copies: 0, dropped: 2 })
    expect(await page.getByTestId('store-reset-notice').count()).toBe(0)

    // New mail arrives; then the browser wipes the app's IndexedDB (the app is closed while it does).
    await lab.loadMaildir(USER, 'INBOX', [message(3)])
    await page.goto('about:blank')
    const cdp = await app.context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: host.origin, storageTypes: 'indexeddb' })
    await cdp.detach()
    await page.goto(host.url)

    const notice = page.getByTestId('store-reset-notice')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.getAttribute('data-outcome')).toBe('needs-user')
    const text = (await notice.textContent()) ?? ''
    expect(text).toContain(`${name}: the local mail store was reset`)
    expect(text).toMatch(
      /Up to 2 older messages whose safety copy had already expired.*could not be restored/,
    )
    expect(text).toContain('nothing is deleted from the server')
    await expect
      .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
      .toContain('Local mail store was reset')
    // The new message was downloaded into the new store, and stays on the server: no DELE for this store.
    await page
      .getByTestId('folder-item')
      .filter({ has: page.getByText('Inbox', { exact: true }) })
      .locator('.fui-TreeItemLayout')
      .first()
      .click()
    await page.getByTestId('message-row').filter({ hasText: 'before the reset 3' }).first().waitFor()
    expect(await onServer(lab)).toBe(1)

    await shotLightAndDark(page, 'pop3-store-reset')

    await notice.getByRole('button', { name: 'Accept this store' }).click()
    await expect.poll(() => notice.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('accepted')
    // The check that follows the acceptance applies the policy again: the new message leaves the server.
    await expect.poll(() => onServer(lab), { timeout: 30_000 }).toBe(0)
    // Core copied it before its DELE (a later check may already have let the copy expire: 0 safety days).
    const spool = await spoolState(host.dataDir, account.id)
    expect(spool.resets).toBe(1)
    expect(spool.copies + spool.dropped).toBe(3)
    await expect
      .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
      .not.toContain('reset')
    expect(await notice.textContent()).toContain('You accepted this store')
    await shotLightAndDark(page, 'pop3-store-reset-accepted')

    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => page.getByTestId('store-reset-notice').count()).toBe(0)
    expect(app.errors).toEqual([])
  })
})
