import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { ImapFlow } from 'imapflow'
import { corpusForLab } from '../src/lab/corpus'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { shot, waitForToastsGone, type ColorScheme } from './support/ui'

const USER = 'alice'

/**
 * Managing IMAP folders from the folder pane in Chromium through the web host: the context menu, the name
 * dialog, the delete and empty confirmations with their counts, and another device seeing the result on
 * the real server.
 */
describe('IMAP folders from the folder pane', () => {
  let device: ImapFlow

  const env = useLabApp()

  beforeAll(async () => {
    const { lab } = env
    await lab.loadMaildir(USER, 'Projects', corpusForLab({ count: 5, seed: 21, size: 'small' }))
    await lab.loadMaildir(USER, 'Projects/Old', corpusForLab({ count: 2, seed: 22, size: 'small' }))
    await lab.loadMaildir(USER, 'Trash', corpusForLab({ count: 3, seed: 23, size: 'small' }))
    device = await lab.otherDevice(USER)
  })
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
  })

  const folder = (page: Page, path: string): Locator =>
    page.locator(`[data-testid=folder-item][data-folder-path="${path}"]`)
  const label = (item: Locator): Locator => item.locator('.fui-TreeItemLayout').first()
  const serverPaths = async (): Promise<string[]> => (await device.list()).map((m) => m.path)

  /** Opens the app and waits until the folder at `waitFor` is listed (the account synced). */
  async function open(
    scheme: ColorScheme,
    waitFor: string,
  ): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
    const app = await env.openApp(scheme)
    await ensureLabAccount(app.page, env.lab, USER)
    await folder(app.page, waitFor).waitFor({ timeout: 90_000 })
    return { page: app.page, errors: app.errors, close: () => app.context.close() }
  }

  it('creates, renames, moves and deletes folders, and empties Trash; the server agrees (light)', async () => {
    const { page, errors, close } = await open('light', 'Projects/Old')

    // New top-level folder from the account's menu.
    await label(page.getByTestId('account-item').first()).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'New folder…' }).click()
    const nameDialog = page.getByTestId('folder-name-dialog')
    await nameDialog.getByLabel('Folder name').fill('Receipts/2026')
    // The delimiter is refused while typing, before anything is sent.
    await nameDialog.getByText(/cannot contain “\/”/).waitFor()
    expect(await nameDialog.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true)
    await nameDialog.getByLabel('Folder name').fill('Receipts')
    await shot(page, 'folder-new-light')
    await nameDialog.getByRole('button', { name: 'Create' }).click()
    await nameDialog.waitFor({ state: 'detached' })
    await folder(page, 'Receipts').waitFor()
    await expect.poll(serverPaths).toContain('Receipts')

    // Rename and move under Projects from the folder's context menu.
    await label(folder(page, 'Receipts')).click({ button: 'right' })
    await shot(page, 'folder-menu-light')
    await page.getByRole('menuitem', { name: 'Rename or move…' }).click()
    await nameDialog.getByLabel('Folder name').fill('Invoices')
    await nameDialog.getByRole('combobox').selectOption('Projects')
    await shot(page, 'folder-rename-light')
    await nameDialog.getByRole('button', { name: 'Rename' }).click()
    await folder(page, 'Projects/Invoices').waitFor()
    await expect.poll(serverPaths).toContain('Projects/Invoices')
    expect(await serverPaths()).not.toContain('Receipts')

    // Special folders offer no rename or delete.
    await label(folder(page, 'Trash')).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Empty Trash…' }).waitFor()
    expect(await page.getByRole('menuitem', { name: 'Rename or move…' }).count()).toBe(0)
    expect(await page.getByRole('menuitem', { name: 'Delete folder…' }).count()).toBe(0)

    // Empty Trash says how many messages go, then they go here and on the server.
    await page.getByRole('menuitem', { name: 'Empty Trash…' }).click()
    const empty = page.getByTestId('empty-folder-dialog')
    await expect
      .poll(() => empty.getByTestId('empty-folder-summary').textContent())
      .toMatch(/The 3 messages in Trash/)
    await shot(page, 'folder-empty-trash-light')
    await empty.getByRole('button', { name: 'Empty Trash' }).click()
    await empty.waitFor({ state: 'detached' })
    await expect
      .poll(async () => ((await device.status('Trash', { messages: true })) || { messages: -1 }).messages)
      .toBe(0)

    // Archive from the toolbar: the message leaves Projects for Archive, on the server too.
    await label(folder(page, 'Projects')).click()
    await page.getByTestId('message-row').first().click()
    await page.getByRole('toolbar').getByRole('button', { name: 'Archive' }).click()
    await expect.poll(() => page.getByTestId('message-row').count()).toBe(4)
    await expect
      .poll(async () => ((await device.status('Archive', { messages: true })) || { messages: -1 }).messages)
      .toBe(1)

    // Delete Projects: the dialog counts its subfolders and their messages.
    await waitForToastsGone(page)
    await label(folder(page, 'Projects')).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Delete folder…' }).click()
    const del = page.getByTestId('delete-folder-dialog')
    await expect
      .poll(() => del.getByTestId('delete-folder-summary').textContent())
      .toMatch(/“Projects”, its 2 subfolders and the 6 messages they hold are deleted for good/)
    await shot(page, 'folder-delete-light')
    await del.getByRole('button', { name: 'Delete folder' }).click()
    await del.waitFor({ state: 'detached' })
    await folder(page, 'Projects').waitFor({ state: 'detached' })
    await expect.poll(serverPaths).not.toContain('Projects')
    expect((await serverPaths()).some((p) => p.startsWith('Projects/'))).toBe(false)

    expect(errors).toEqual([])
    await close()
  })

  it('shows the folder menu and dialogs in the dark theme, and an error the server would refuse', async () => {
    await device.mailboxCreate('Dark')
    const { page, errors, close } = await open('dark', 'Dark')
    await label(folder(page, 'Dark')).click({ button: 'right' })
    await shot(page, 'folder-menu-dark')
    await page.getByRole('menuitem', { name: 'Rename or move…' }).click()
    const nameDialog = page.getByTestId('folder-name-dialog')
    // A name that is taken: the worker refuses it and the dialog says so, staying open.
    await nameDialog.getByLabel('Folder name').fill('Sent')
    await nameDialog.getByRole('button', { name: 'Rename' }).click()
    await nameDialog
      .getByTestId('folder-dialog-error')
      .getByText(/already exists/)
      .waitFor()
    await shot(page, 'folder-rename-dark')
    await nameDialog.getByRole('button', { name: 'Cancel' }).click()
    await label(folder(page, 'Dark')).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Delete folder…' }).click()
    const del = page.getByTestId('delete-folder-dialog')
    await expect
      .poll(() => del.getByTestId('delete-folder-summary').textContent())
      .toMatch(/“Dark” and the 0 messages it holds/)
    await shot(page, 'folder-delete-dark')
    await del.getByRole('button', { name: 'Cancel' }).click()
    expect(await serverPaths()).toContain('Dark')
    expect(errors).toEqual([])
    await close()
  })
})
