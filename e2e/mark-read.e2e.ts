import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { plainMessage } from './support/sample-mail'
import { onServer } from './support/server-view'
import { shot, shotLightAndDark } from './support/ui'

/**
 * A message read in the reading pane becomes read, here and on the server, as in every mail app; Ctrl+U
 * while it is shown keeps it unread; the View menu can make it wait or leave it to Ctrl+Q.
 */
describe('marking mail read by reading it', () => {
  const env = useLabApp()

  beforeAll(async () => {
    const to = env.lab.user('alice').address
    for (const [i, subject] of ['First', 'Second', 'Third', 'Fourth'].entries())
      await env.lab.deliver('alice', plainMessage(to, subject, new Date(Date.now() - (i + 1) * 600_000)))
  })

  const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ hasText: subject })
  const unread = async (page: Page, subject: string): Promise<string | null> =>
    row(page, subject).getAttribute('data-unread')

  /** The \Seen flag of a message on the server, as another device sees it. */
  async function seenOnServer(subject: string): Promise<boolean> {
    const seen = await onServer(env.lab, 'alice', 'INBOX', (m) =>
      m.envelope?.subject === subject ? (m.flags?.has('\\Seen') ?? false) : undefined,
    )
    const found = seen.find((x) => x !== undefined)
    if (found === undefined) throw new Error(`${subject} is not on the server`)
    return found
  }

  it('marks the message shown read, keeps one marked unread while shown unread, and obeys the View menu', async () => {
    const app = await env.openApp('light')
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'Fourth').waitFor({ timeout: 90_000 })
    for (const s of ['First', 'Second', 'Third', 'Fourth']) expect(await unread(page, s)).toBe('1')

    // Shown: read in the list at once, and on the server once the queued change is sent.
    await row(page, 'First').click()
    await expect.poll(() => unread(page, 'First')).toBe('0')
    await expect.poll(() => seenOnServer('First'), { timeout: 30_000 }).toBe(true)

    // Ctrl+U while it is shown: unread it stays.
    await page.keyboard.press('Control+u')
    await expect.poll(() => unread(page, 'First')).toBe('1')
    await page.waitForTimeout(1500)
    expect(await unread(page, 'First')).toBe('1')

    // Passed over with the arrow keys faster than the pane's moment: Second stays unread, Third is read.
    await row(page, 'First').click()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => unread(page, 'Third')).toBe('0')
    expect(await unread(page, 'Second')).toBe('1')

    // Only with Ctrl+Q: Fourth stays unread while shown, until Ctrl+Q.
    await page.getByRole('button', { name: 'View' }).click()
    await page.getByRole('menuitemradio', { name: 'Mark as read only with Ctrl+Q' }).click()
    await row(page, 'Fourth').click()
    await page.getByTestId('reading-pane').getByText('Body of Fourth.').waitFor()
    await page.waitForTimeout(1500)
    expect(await unread(page, 'Fourth')).toBe('1')
    await page.getByRole('button', { name: 'View' }).click()
    await shotLightAndDark(page, 'view-menu-mark-read')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+q')
    await expect.poll(() => unread(page, 'Fourth')).toBe('0')
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  it('under the Unread filter marks a message read when the user moves on, not while it is shown', async () => {
    // The first test left First and Second unread (on the server too), Third and Fourth read.
    const app = await env.openApp('light')
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'Fourth').waitFor({ timeout: 90_000 })
    await page.getByRole('tab', { name: 'Unread' }).click()
    await expect.poll(() => page.getByTestId('message-row').count()).toBe(2)

    // Shown for a while: still listed (marked read, it would leave the list and the next would be shown).
    await row(page, 'First').click()
    await page.getByTestId('reading-pane').getByText('Body of First.').waitFor()
    await page.waitForTimeout(1500)
    expect(await page.getByTestId('message-row').count()).toBe(2)

    // On to Second: First is marked read and leaves the list; Second stays selected, shown and unread.
    await page.keyboard.press('ArrowDown')
    await row(page, 'First').waitFor({ state: 'detached' })
    await page.getByTestId('reading-pane').getByText('Body of Second.').waitFor()
    await page.waitForTimeout(1500)
    expect(await row(page, 'Second').getAttribute('aria-selected')).toBe('true')
    expect(await row(page, 'Second').getAttribute('data-unread')).toBe('1')
    await shot(page, 'unread-filter-reading-light')

    // Leaving the Unread list marks the one shown.
    await page.getByRole('tab', { name: 'All' }).click()
    await expect.poll(() => unread(page, 'Second')).toBe('0')
    expect(await unread(page, 'First')).toBe('0')
    await expect.poll(() => seenOnServer('Second'), { timeout: 30_000 }).toBe(true)
    expect(app.errors).toEqual([])
    await app.context.close()
  })
})
