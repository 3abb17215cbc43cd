import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium, screenshot } from './support/browser'
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process'

/** What `npm start` gives a newcomer with no account: the demo mailboxes, synced and readable. */
describe('demo mode (the README start command with no account configured)', () => {
  let host: WebHostProcess
  let browser: Browser

  beforeAll(async () => {
    host = await startWebHostProcess({ args: ['--demo-if-empty'] })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('starts with an IMAP and a POP3 demo account whose mail shows up without any set-up', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
    await page.goto(host.url)
    await page.getByText('Demo IMAP', { exact: true }).first().waitFor({ timeout: 30_000 })
    await page.getByText('Demo POP3', { exact: true }).first().waitFor()
    // Both welcome messages arrive through the real sync paths (IMAP headers, POP3 download).
    await page.getByText('Welcome to the Harbor Mail demo (IMAP)').first().waitFor({ timeout: 60_000 })
    await page.getByText('Welcome to the Harbor Mail demo (POP3)').first().waitFor({ timeout: 60_000 })
    // Snippets under the subjects: an IMAP row's arrives after the header pass (store table `snippets`), a
    // POP3 row's with the row.
    for (const kind of ['IMAP', 'POP3']) {
      await page
        .locator('[data-testid=message-row]', {
          hasText: `This ${kind} account lives on a private mail server`,
        })
        .first()
        .waitFor({ timeout: 60_000 })
    }
    await screenshot(page, 'demo-all-inboxes')
    await page.close()
  })

  it('keeps the demo out of the user data directory', async () => {
    const { readdir } = await import('node:fs/promises')
    // The data dir passed to the host holds no accounts: the demo ran in a temporary one.
    expect((await readdir(host.dataDir)).includes('accounts.json')).toBe(false)
  })
})
