import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { shot } from './support/ui'

/**
 * A message read in the reading pane becomes read, here and on the server, as in every mail app; Ctrl+U
 * while it is shown keeps it unread; the View menu can make it wait or leave it to Ctrl+Q.
 */
describe('marking mail read by reading it', () => {
  const env = useLabApp()

  const message = (to: string, subject: string, minutesAgo: number): string =>
    [
      'From: Sender <sender@example.org>',
      `To: ${to}`,
      `Subject: ${subject}`,
      `Date: ${new Date(Date.now() - minutesAgo * 60_000).toUTCString()}`,
      `Message-ID: <${subject.replace(/\W+/g, '-')}@example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of ${subject}.`,
      '',
    ].join('\r\n')

  beforeAll(async () => {
    const to = env.lab.user('alice').address
    for (const [i, subject] of ['First', 'Second', 'Third', 'Fourth'].entries())
      await env.lab.deliver('alice', message(to, subject, 10 * (i + 1)))
  })

  const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ hasText: subject })
  const unread = async (page: Page, subject: string): Promise<string | null> =>
    row(page, subject).getAttribute('data-unread')

  /** The \Seen flag of a message on the server, as another device sees it. */
  async function seenOnServer(subject: string): Promise<boolean> {
    const device = await env.lab.otherDevice('alice')
    try {
      await device.mailboxOpen('INBOX')
      for await (const m of device.fetch('1:*', { envelope: true, flags: true }))
        if (m.envelope?.subject === subject) return m.flags?.has('\\Seen') ?? false
      throw new Error(`${subject} is not on the server`)
    } finally {
      await device.logout()
    }
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
    await shot(page, 'view-menu-mark-read-light')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+q')
    await expect.poll(() => unread(page, 'Fourth')).toBe('0')
    expect(app.errors).toEqual([])
    await app.context.close()
  })
})
