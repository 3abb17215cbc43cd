/**
 * A full disk in Chromium, for the store-full suites: DevTools tells Chromium that the app's origin may store
 * only a little (Storage.overrideQuotaForOrigin), and the body files (OPFS) and IndexedDB then refuse writes
 * as on a full disk.
 */
import { randomBytes } from 'node:crypto'
import type { CDPSession, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { WebApp } from './lab-app'
import type { AppPage } from './ui'

/** ~40 KB of base64 noise: compresses no better than a real attachment. */
export function bigMessage(i: number, user: string, idPrefix: string): Buffer {
  const body = randomBytes(30_000).toString('base64').replace(/.{76}/g, '$&\r\n')
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${user}@lab.test\r\nSubject: big ${i}\r\n` +
      `Message-ID: <${idPrefix}-${i}-${Date.now()}@lab.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`,
  )
}

export interface QuotaApp extends AppPage {
  /** Gives the origin its usual quota again (room on the disk). */
  liftQuota(): Promise<void>
  /** Ends the DevTools session (the override it set stays until lifted). */
  detach(): Promise<void>
}

/**
 * Opens the app (light) on a fresh profile whose origin may store `quotaSize` bytes. Chromium applies a quota
 * override only to storage opened after it, so it is set before the app's first load.
 */
export async function openAppWithQuota(env: WebApp, quotaSize: number): Promise<QuotaApp> {
  const origin = `${env.host.origin}/`
  let cdp: CDPSession | undefined
  const app = await env.openApp('light', undefined, async (page, context) => {
    cdp = await context.newCDPSession(page)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize })
  })
  // Set by beforeLoad, which openApp runs before it resolves.
  const session = cdp!
  return {
    ...app,
    liftQuota: async () => {
      await session.send('Storage.overrideQuotaForOrigin', { origin })
    },
    detach: () => session.detach(),
  }
}

/**
 * The store-full bar as the user sees it: no room, nothing lost, what to do; the account's status says its
 * sync stopped. Returns the bar (its Try again button brings the sync back).
 */
export async function expectStoreFullNotice(page: Page, accountName: string): Promise<Locator> {
  const notice = page.getByTestId('store-full-notice')
  await notice.waitFor({ timeout: 60_000 })
  const text = (await notice.textContent()) ?? ''
  expect(text).toContain('No room to save mail')
  expect(text).toContain('Nothing was lost')
  expect(text).toContain('Free some disk space')
  await expect
    .poll(async () => (await page.getByTestId('account-sync-status').textContent()) ?? '')
    .toBe(`${accountName}: Stopped: no room to save mail`)
  return notice
}
