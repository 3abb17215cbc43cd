import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { plainMessage } from './support/sample-mail'
import { subjectsOnServer } from './support/server-view'
import { shotLightAndDark } from './support/ui'

/**
 * Delete, Archive and Move can be undone (the toast's Undo, or Ctrl+Z), here and on the server; a delete
 * for good from Trash cannot, and offers no Undo.
 */
describe('undoing Delete, Archive and Move', () => {
  const env = useLabApp()
  const SUBJECTS = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']

  beforeAll(async () => {
    const to = env.lab.user('alice').address
    for (const [i, subject] of SUBJECTS.entries())
      await env.lab.deliver('alice', plainMessage(to, subject, new Date(Date.now() - (i + 1) * 600_000)))
  })

  const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ hasText: subject })
  const folder = (page: Page, path: string) =>
    page.locator(`[data-testid=folder-item][data-folder-path="${path}"]`)

  const onServer = (path: string): Promise<string[]> => subjectsOnServer(env.lab, 'alice', path)

  it('brings deleted and archived mail back, here and on the server; deleting from Trash offers no Undo', async () => {
    const app = await env.openApp('light')
    const { page } = app
    await ensureLabAccount(page, env.lab, 'alice')
    await row(page, 'Echo').waitFor({ timeout: 90_000 })

    // Delete two: the toast says where they went and offers Undo.
    await row(page, 'Bravo').click()
    await row(page, 'Charlie').click({ modifiers: ['Shift'] })
    await page.keyboard.press('Delete')
    const toast = page.getByTestId('toast-undo').last()
    await toast.waitFor()
    expect(await toast.textContent()).toContain('2 messages moved to Trash.')
    await row(page, 'Bravo').waitFor({ state: 'detached' })
    await shotLightAndDark(page, 'undo-toast')
    // Undone at once, most likely before the delete reached the server: both moves are replayed in order.
    await toast.getByRole('button', { name: 'Undo' }).click()
    await row(page, 'Bravo').waitFor()
    await row(page, 'Charlie').waitFor()
    await expect.poll(() => onServer('INBOX'), { timeout: 30_000 }).toEqual([...SUBJECTS].sort())
    expect(await onServer('Trash')).toEqual([])

    // Archive one, wait until the server has it in Archive, then Ctrl+Z.
    await row(page, 'Delta').click()
    await page.getByRole('button', { name: 'Archive' }).first().click()
    await row(page, 'Delta').waitFor({ state: 'detached' })
    await page.getByTestId('toast-undo').filter({ hasText: '1 message moved to Archive.' }).waitFor()
    await expect.poll(() => onServer('Archive'), { timeout: 30_000 }).toEqual(['Delta'])
    await page.keyboard.press('Control+z')
    await row(page, 'Delta').waitFor()
    await expect.poll(() => onServer('INBOX'), { timeout: 30_000 }).toEqual([...SUBJECTS].sort())
    expect(await onServer('Archive')).toEqual([])

    // Deleted from Trash is deleted for good: no Undo, and Ctrl+Z has nothing to undo.
    await row(page, 'Alpha').click()
    await page.keyboard.press('Delete')
    await row(page, 'Alpha').waitFor({ state: 'detached' })
    await folder(page, 'Trash').locator('.fui-TreeItemLayout').first().click()
    await row(page, 'Alpha').click()
    const undoToasts = await page.getByTestId('toast-undo').count()
    await page.keyboard.press('Delete')
    await row(page, 'Alpha').waitFor({ state: 'detached' })
    await expect.poll(() => onServer('Trash'), { timeout: 30_000 }).toEqual([])
    expect(await page.getByTestId('toast-undo').count()).toBeLessThanOrEqual(undoToasts)
    await page.keyboard.press('Control+z')
    await page.getByTestId('toast-info').filter({ hasText: 'Nothing to undo.' }).waitFor()
    expect(await onServer('INBOX')).toEqual(['Bravo', 'Charlie', 'Delta', 'Echo'])
    expect(app.errors).toEqual([])
    await app.context.close()
  })
})
