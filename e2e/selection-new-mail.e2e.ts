import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { plainMessage } from './support/sample-mail'
import { countRowsByFolder } from './support/store-in-page'
import { shot } from './support/ui'

/**
 * The selection belongs to messages, not to places in the list: mail arriving above the selected messages
 * (IDLE, another device) must leave the reading pane on the message the user is reading, and a Delete must
 * take exactly the messages the user selected, not the ones that moved into their places.
 */
describe('the selection stays on its messages while new mail arrives', () => {
  const env = useLabApp()
  const DAY = 86_400_000
  const start = Date.now() - 40 * DAY

  beforeAll(async () => {
    const { lab } = env
    const to = lab.user('alice').address
    // Old mail, one a day: "Old 01" the oldest, "Old 30" the newest (the top of the list).
    for (let i = 1; i <= 30; i++) {
      const n = String(i).padStart(2, '0')
      await lab.deliver('alice', plainMessage(to, `Old ${n}`, new Date(start + i * DAY)))
    }
  })

  const rows = (page: Page) => page.getByTestId('message-row')
  const row = (page: Page, subject: string) => rows(page).filter({ hasText: subject })
  const selectedSubjects = async (page: Page): Promise<string[]> => {
    const texts = await page.locator('[data-testid=message-row][aria-selected=true]').allTextContents()
    return texts.map((t) => /(Re: )?(Old|New) \d\d/.exec(t)?.[0] ?? t).sort()
  }

  async function arrive(page: Page, names: string[]): Promise<void> {
    const to = env.lab.user('alice').address
    for (const name of names) await env.lab.deliver('alice', plainMessage(to, name, new Date()))
    // Pushed by IDLE: no Send/Receive.
    for (const name of names) await row(page, name).waitFor({ timeout: 60_000 })
  }

  it('keeps the reading pane and a multiple selection on their messages; Delete takes those', async () => {
    // Tall enough for all 35 rows at once: the list draws only the rows in view.
    const app = await env.openApp('light', { width: 1280, height: 3000 })
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'Old 01').waitFor({ timeout: 90_000 })

    // One message read: new mail above it must not change what the pane shows.
    await row(page, 'Old 25').click()
    const subject = page.getByTestId('reading-pane').getByTestId('message-subject')
    await expect.poll(() => subject.textContent()).toBe('Old 25')
    await arrive(page, ['New 01', 'New 02'])
    expect(await subject.textContent()).toBe('Old 25')
    expect(await selectedSubjects(page)).toEqual(['Old 25'])

    // Several selected (click, Shift+click): more new mail, then Delete.
    await row(page, 'Old 20').click()
    await row(page, 'Old 18').click({ modifiers: ['Shift'] })
    expect(await selectedSubjects(page)).toEqual(['Old 18', 'Old 19', 'Old 20'])
    await arrive(page, ['New 03', 'New 04', 'New 05'])
    expect(await selectedSubjects(page)).toEqual(['Old 18', 'Old 19', 'Old 20'])
    await shot(page, 'selection-after-new-mail-light')
    await page.keyboard.press('Delete')
    for (const gone of ['Old 18', 'Old 19', 'Old 20'])
      await row(page, gone).waitFor({ state: 'detached', timeout: 30_000 })
    // Nothing else left the Inbox: 30 old + 5 new − 3 deleted.
    await expect.poll(() => rows(page).count()).toBe(32)
    for (const kept of ['Old 17', 'Old 21', 'New 05', 'New 01']) expect(await row(page, kept).count()).toBe(1)
    // The next message moves into the first deleted one's place, alone (Outlook).
    expect(await selectedSubjects(page)).toEqual(['Old 17'])
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  it('keeps a conversation selected when a reply moves it to the top of the conversation view', async () => {
    const app = await env.openApp('light', { width: 1280, height: 3000 })
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'New 05').waitFor({ timeout: 90_000 })
    await page.getByRole('button', { name: 'View' }).click()
    await page.getByRole('menuitemcheckbox', { name: 'Group by conversation' }).click()
    await page.keyboard.press('Escape')
    await row(page, 'Old 10').click()
    const subject = page.getByTestId('reading-pane').getByTestId('message-subject')
    await expect.poll(() => subject.textContent()).toBe('Old 10')

    // Another device's reply to it: the conversation now shows the reply and is the newest.
    const to = env.lab.user('alice').address
    const reply = plainMessage(to, 'Re: Old 10', new Date(), {
      'In-Reply-To': '<Old-10@example.org>',
      References: '<Old-10@example.org>',
    })
    await env.lab.deliver('alice', reply)
    await row(page, 'Re: Old 10').waitFor({ timeout: 60_000 })
    await expect.poll(() => selectedSubjects(page)).toEqual(['Re: Old 10'])
    expect(await row(page, 'Re: Old 10').getAttribute('data-row')).toBe('0')
    await expect.poll(() => subject.textContent()).toBe('Re: Old 10')
    await shot(page, 'selection-conversation-replied-light')
    await page.getByRole('button', { name: 'View' }).click()
    await page.getByRole('menuitemcheckbox', { name: 'Group by conversation' }).click()
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  it('finds the read message again after more mail arrives above it at once than the list has loaded', async () => {
    const { lab } = env
    const to = lab.user('alice').address
    // 200 messages of today wait in another folder; another device then moves them all into the Inbox in
    // one command, so they land above the selection in one or two steps, far past the ~100 rows read.
    for (let i = 1; i <= 200; i++)
      await lab.deliver('alice', plainMessage(to, `Batch ${String(i).padStart(3, '0')}`, new Date()), {
        folder: 'Later',
      })
    // A short window: the list reads only the rows around the few in view.
    const app = await env.openApp('light', { width: 1280, height: 700 })
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'New 05').waitFor({ timeout: 90_000 })
    await row(page, 'Old 30').click()
    const subject = page.getByTestId('reading-pane').getByTestId('message-subject')
    await expect.poll(() => subject.textContent()).toBe('Old 30')

    const device = await lab.otherDevice('alice')
    try {
      await device.mailboxOpen('Later')
      await device.messageMove('1:*', 'INBOX')
    } finally {
      await device.logout()
    }
    // The Inbox holds 233 messages once the move is synced (with the reply): the 200 above everything else.
    await expect.poll(async () => (await countRowsByFolder(page)).INBOX, { timeout: 60_000 }).toBe(233)
    await row(page, 'Batch').first().waitFor()
    // Found in the store (it is far past the rows the list has read): until then its old row's new message
    // may show for a moment.
    await expect.poll(() => subject.textContent()).toBe('Old 30')
    await shot(page, 'selection-after-mail-moved-in-light')
    // The selection moved with it, out of view: the next message down is the one below Old 30.
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => subject.textContent()).toBe('Old 29')
    expect(await selectedSubjects(page)).toEqual(['Old 29'])
    expect(app.errors).toEqual([])
    await app.context.close()
  })
})
