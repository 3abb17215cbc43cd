import { describe, expect, it } from 'vitest'
import { screenshot } from './support/browser'
import { useWebApp } from './support/lab-app'

/** What `npm start` gives a newcomer with no account: the demo mailboxes, synced and readable. */
describe('demo mode (the README start command with no account configured)', () => {
  const env = useWebApp({ hostArgs: ['--demo-if-empty'] })

  it('starts with an IMAP and a POP3 demo account whose mail shows up without any set-up', async () => {
    const { host, browser } = env
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

    // Fewer rows fit (a smaller window) while scrolled into the list: each row still on screen keeps its
    // element (rows are keyed by slot; a slot count that followed the number drawn re-rendered every row).
    const list = page.getByTestId('message-list')
    const LIST = `document.querySelector('[data-testid=message-list]')`
    await page.evaluate(`${LIST}.scrollTop = 1500`)
    await expect.poll(() => list.locator('[data-testid=message-row][data-row="25"]').count()).toBe(1)
    const tagged = (await page.evaluate(`(() => {
      const rows = [...${LIST}.querySelectorAll('[data-testid=message-row]')]
      for (const r of rows) r.dataset.e2eShowed = r.dataset.messageId
      return rows.length
    })()`)) as number
    await page.setViewportSize({ width: 1400, height: 600 })
    await expect.poll(() => list.locator('[data-testid=message-row]').count()).toBeLessThan(tagged)
    const kept = (await page.evaluate(
      `[...${LIST}.querySelectorAll('[data-testid=message-row][data-e2e-showed]')]
        .map((r) => [r.dataset.e2eShowed, r.dataset.messageId])`,
    )) as [string, string][]
    expect(kept.length).toBeGreaterThan(3)
    expect(kept.filter(([before, now]) => before !== now)).toEqual([])
    await page.close()
  })

  it('draws the cached accounts and mail at once when core is not reachable, not the welcome page', async () => {
    const { host, browser } = env
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } })
    const online = await context.newPage()
    await online.goto(host.url)
    await online
      .locator('[data-testid=message-row]', { hasText: 'Welcome to the Harbor Mail demo (IMAP)' })
      .first()
      .waitFor({ timeout: 60_000 })
    // A second tab of the same profile without the token: same store, but core refuses it, so the account
    // list can only come from the store's copy.
    const offline = await context.newPage()
    await offline.goto(host.origin + '/')
    await expect
      .poll(() => offline.getByTestId('app-shell').getAttribute('data-core-state'))
      .toBe('disconnected')
    await offline
      .locator('[data-testid=message-row]', { hasText: 'Welcome to the Harbor Mail demo (IMAP)' })
      .first()
      .waitFor({ timeout: 10_000 })
    await offline.getByText('Demo POP3', { exact: true }).first().waitFor()
    expect(await offline.getByTestId('offline-indicator').isVisible()).toBe(true)
    expect(await offline.getByText('Welcome to Harbor Mail').count()).toBe(0)
    // Why core is not reachable stays one hover away.
    await offline.getByTestId('offline-indicator').hover()
    await offline.getByRole('tooltip').getByText('#token=', { exact: false }).waitFor()
    await screenshot(offline, 'demo-offline-from-cache')
    await context.close()
  })

  it('keeps the demo out of the user data directory', async () => {
    const { host } = env
    const { readdir } = await import('node:fs/promises')
    // The data dir passed to the host holds no accounts: the demo ran in a temporary one.
    expect((await readdir(host.dataDir)).includes('accounts.json')).toBe(false)
  })
})
