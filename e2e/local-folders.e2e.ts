/**
 * Issue 6's local-folder features in the real UI (Chromium through the web host, real Dovecot): a POP3
 * account's folders created, nested, renamed and deleted (mail to Trash); messages moved by the context
 * menu and by Ctrl+Shift+V; a POP3 message copied to an IMAP folder (bytes on the server = stored bytes);
 * a folder exported as mbox (a browser download) and imported again by the file picker and by a drop,
 * with duplicates and junk counted. Screenshots of every dialog, light and dark.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ImapFlow } from 'imapflow'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMbox } from '../src/shared/mail-formats/mbox'
import { addLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { BODY_BYTES } from './support/store-in-page'
import { shot, shotLightAndDark, waitForToastsGone, type AppPage } from './support/ui'

const SUBJECTS = ['Invoice March', 'Trip photos', 'Club newsletter', 'Old receipt', 'Family plans']
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

function message(subject: string, i: number): Buffer {
  return Buffer.from(
    `From: Sender ${i} <sender${i}@lab.test>\r\nTo: popuser@lab.test\r\nSubject: ${subject}\r\n` +
      `Message-ID: <local-folders-${i}@lab.test>\r\nDate: Thu, 26 Nov 2026 1${i}:00:00 +0000\r\n\r\n` +
      `Hello ${i}.\r\nFrom the lab, with a line that mbox must quote.\r\n`,
  )
}

/** sha256 of the stored bytes of the message with this subject, read from the page's IndexedDB. */
async function storedSha(page: Page, subject: string): Promise<string> {
  const script = `(async (subject) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    ${BODY_BYTES}
    const tx = db.transaction(['messageChunks', 'bodies'], 'readonly')
    const row = (await req(tx.objectStore('messageChunks').getAll())).flatMap((c) => c.rows).find((m) => m.subject === subject && m.uid === null)
    const legacy = row.body ? undefined : (await req(tx.objectStore('bodies').get(row.id))).raw
    const digest = await crypto.subtle.digest('SHA-256', await bodyBytes(row, () => legacy))
    db.close()
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  })(${JSON.stringify(subject)})`
  return (await page.evaluate(script)) as string
}

/** Whether the message with this subject has its bytes in a body file (rather than the old bodies table). */
async function storedInFile(page: Page, subject: string): Promise<boolean> {
  const script = `(async (subject) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const row = (await req(db.transaction('messageChunks').objectStore('messageChunks').getAll())).flatMap((c) => c.rows).find((m) => m.subject === subject && m.uid === null)
    db.close()
    return !!row.body
  })(${JSON.stringify(subject)})`
  return (await page.evaluate(script)) as boolean
}

describe('local folders, copy to IMAP, mbox/.eml export and import (Chromium, web host, real Dovecot)', () => {
  const env = useLabApp({ users: [{ name: 'popuser' }, { name: 'imapuser' }] })
  let device: ImapFlow
  let app: AppPage
  let page: Page

  const pop3 = (): Locator => page.getByTestId('account-item').filter({ hasText: 'POP3' })
  const folder = (name: string): Locator =>
    pop3()
      .getByTestId('folder-item')
      .filter({ has: page.getByText(name, { exact: true }) })
      // The innermost match: a parent's item contains its subfolders' names too.
      .last()
  const folderRow = (name: string): Locator => folder(name).locator('.fui-TreeItemLayout').first()
  const rows = (): Locator => page.getByTestId('message-row')
  const row = (subject: string): Locator => rows().filter({ hasText: subject }).first()

  /** Expands the POP3 account and the folder `name` sits in, when a click has collapsed them. */
  async function expanded(name: string): Promise<void> {
    for (const item of [pop3(), folder('Work'), folder('Projects')]) {
      if ((await item.count()) === 0 || (await folder(name).isVisible())) continue
      if ((await item.getAttribute('aria-expanded')) === 'false') {
        await item.locator('.fui-TreeItemLayout').first().click()
      }
    }
  }
  async function open(name: string): Promise<void> {
    await expanded(name)
    await folderRow(name).click()
  }
  async function folderMenu(name: string, item: string): Promise<void> {
    await expanded(name)
    await folderRow(name).click({ button: 'right' })
    await page.getByRole('menuitem', { name: item }).click()
  }
  async function nameFolder(name: string): Promise<void> {
    const dialog = page.getByTestId('folder-name-dialog')
    await dialog.getByLabel('Folder name').fill(name)
    await dialog.getByRole('button', { name: /Create|Rename/ }).click()
    await dialog.waitFor({ state: 'detached' })
  }
  /** Copy to folder… (this feature's picker). */
  async function pick(target: string, account: string): Promise<void> {
    const dialog = page.getByTestId('folder-picker-dialog')
    await dialog.waitFor()
    const group = dialog.locator('div[role=presentation]').filter({ hasText: account })
    await group.getByRole('radio', { name: target, exact: true }).check()
    await dialog.getByRole('button', { name: 'Copy' }).click()
    await dialog.waitFor({ state: 'detached' })
  }
  /** Move to folder… (the window's move dialog, also Ctrl+Shift+V). */
  async function moveTo(target: string, account: string): Promise<void> {
    const dialog = page.getByTestId('move-dialog')
    await dialog.waitFor()
    await dialog
      .getByRole('group', { name: account })
      .getByRole('option', { name: target, exact: true })
      .click()
    await dialog.getByRole('button', { name: 'Move' }).click()
    await dialog.waitFor({ state: 'detached' })
  }

  beforeAll(async () => {
    const { lab } = env
    await lab.loadMaildir('popuser', 'INBOX', SUBJECTS.map(message))
    device = await lab.otherDevice('imapuser')
    app = await env.openApp('light')
    page = app.page
    await page.getByRole('heading', { name: 'Welcome to Harbor Mail' }).waitFor()
    await addLabAccount(page, lab, 'popuser', 'pop3')
    await addLabAccount(page, lab, 'imapuser', 'imap')
    await open('Inbox')
    await row(SUBJECTS[4]!).waitFor({ timeout: 60_000 })
  }, 180_000)
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
  })

  it('creates, nests and renames local folders from the context menus', async () => {
    await pop3().locator('.fui-TreeItemLayout').first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'New folder…' }).click()
    await page.getByTestId('folder-name-dialog').waitFor()
    await shot(page, 'local-folder-new-light')
    await nameFolder('Projects')
    await expanded('Projects')
    await folder('Projects').waitFor()
    await folderMenu('Projects', 'New subfolder…')
    await nameFolder('Archive 2025')
    await expanded('Archive 2025')
    await folder('Archive 2025').waitFor()
    expect(await folder('Projects').locator('[data-testid=folder-item]').count()).toBe(1) // nested inside
    await folderMenu('Projects', 'Rename or move…')
    await shot(page, 'local-folder-rename-light')
    await nameFolder('Work')
    await folder('Work').waitFor()
    expect(await folder('Projects').count()).toBe(0)
    // Moved to the top level, then back into Work: the place list names folders, not their stored paths.
    const nameDialog = page.getByTestId('folder-name-dialog')
    await folderMenu('Archive 2025', 'Rename or move…')
    await nameDialog.getByRole('combobox').selectOption({ label: '(top level)' })
    await nameDialog.getByRole('button', { name: 'Move', exact: true }).click()
    await nameDialog.waitFor({ state: 'detached' })
    await expect.poll(() => folder('Work').locator('[data-testid=folder-item]').count()).toBe(0)
    await folder('Archive 2025').waitFor()
    await folderMenu('Archive 2025', 'Rename or move…')
    const places = await nameDialog.getByRole('combobox').locator('option').allTextContents()
    expect(places).toContain('Work')
    expect(places).not.toContain('Projects')
    expect(places).not.toContain('Archive 2025') // not into itself
    await nameDialog.getByRole('combobox').selectOption({ label: 'Work' })
    await shot(page, 'local-folder-move-light')
    await nameDialog.getByRole('button', { name: 'Move', exact: true }).click()
    await nameDialog.waitFor({ state: 'detached' })
    await page.getByText('“Archive 2025” moved into “Work”.').first().waitFor()
    await expanded('Archive 2025')
    await expect.poll(() => folder('Work').locator('[data-testid=folder-item]').count()).toBe(1)
    // A name a sibling has is refused, and the dialog stays open with the reason.
    await folderMenu('Work', 'Rename or move…')
    await page.getByTestId('folder-name-dialog').getByLabel('Folder name').fill('inbox')
    await page.getByTestId('folder-name-dialog').getByRole('button', { name: 'Rename' }).click()
    await page.getByText(/already exists/).waitFor()
    await page.getByTestId('folder-name-dialog').getByRole('button', { name: 'Cancel' }).click()
    // Standard folders offer neither rename nor delete.
    await folderRow('Inbox').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Export as mbox' }).waitFor()
    expect(await page.getByRole('menuitem', { name: 'Rename or move…' }).count()).toBe(0)
    await page.keyboard.press('Escape')
  })

  it('moves messages by the context menu and by Ctrl+Shift+V', async () => {
    const { lab } = env
    await open('Inbox')
    await row(SUBJECTS[0]!).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Move to folder…' }).click()
    await shot(page, 'move-to-folder-light')
    await moveTo('Work', lab.user('popuser').address)
    await expect.poll(() => row(SUBJECTS[0]!).count()).toBe(0)

    await row(SUBJECTS[1]!).click()
    await page.keyboard.press('Control+Shift+V')
    await moveTo('Archive 2025', lab.user('popuser').address)
    await expect.poll(() => row(SUBJECTS[1]!).count()).toBe(0)
    // The subfolder first: a click on a folder with subfolders also folds it (Fluent's tree).
    await open('Archive 2025')
    await row(SUBJECTS[1]!).waitFor()
    await open('Work')
    await row(SUBJECTS[0]!).waitFor()
  })

  it('copies a POP3 message to an IMAP folder: the server gets the stored bytes unchanged', async () => {
    const { lab } = env
    await open('Inbox')
    const subject = SUBJECTS[2]!
    await row(subject).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Copy to folder…' }).click()
    await pick('Inbox', lab.user('imapuser').address)
    const stored = await storedSha(page, subject)
    let onServer: string[] = []
    await expect
      .poll(
        async () => {
          const lock = await device.getMailboxLock('INBOX')
          try {
            await device.noop()
            const uids = (await device.search({ subject }, { uid: true })) || []
            onServer = []
            for (const uid of uids) {
              const m = await device.fetchOne(String(uid), { source: true }, { uid: true })
              if (m !== false && m.source) onServer.push(sha256(m.source))
            }
            return onServer.length
          } finally {
            lock.release()
          }
        },
        { timeout: 30_000 },
      )
      .toBe(1)
    expect(onServer).toEqual([stored])
    await row(subject).waitFor() // a copy: still here
  })

  it('deletes a folder after saying how many messages it holds; they go to Trash', async () => {
    await folderMenu('Work', 'Delete folder…')
    const dialog = page.getByTestId('delete-folder-dialog')
    await expect
      .poll(() => dialog.getByTestId('delete-folder-summary').textContent())
      .toBe(
        '“Work”, its 1 subfolder and the 2 messages they hold: the folders are removed and the messages moved to Trash.',
      )
    await shot(page, 'delete-folder-light')
    await dialog.getByRole('button', { name: 'Delete folder' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => folder('Work').count()).toBe(0)
    await open('Trash')
    await row(SUBJECTS[0]!).waitFor()
    await row(SUBJECTS[1]!).waitFor()
  })

  it('exports Trash as mbox (a download) and imports it back by picker and by drop; duplicates and junk counted', async () => {
    await waitForToastsGone(page)
    const download = page.waitForEvent('download')
    await folderMenu('Trash', 'Export as mbox')
    const file = await download
    expect(file.suggestedFilename()).toBe('Trash.mbox')
    const path = await file.path()
    const mbox = new Uint8Array(await readFile(path))
    const exported = readMbox(mbox)
    expect(exported).toHaveLength(2)
    const inTrash = [await storedSha(page, SUBJECTS[0]!), await storedSha(page, SUBJECTS[1]!)].sort()
    expect(exported.map(sha256).sort()).toEqual(inTrash)

    await pop3().locator('.fui-TreeItemLayout').first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'New folder…' }).click()
    await nameFolder('Restored')
    await folderMenu('Restored', 'Import mbox or .eml…')
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByTestId('import-drop-zone').waitFor()
    await shot(page, 'import-dialog-light')
    await dialog.getByTestId('import-file-input').setInputFiles([
      { name: 'Trash.mbox', mimeType: 'application/mbox', buffer: Buffer.from(mbox) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not mail\n') },
    ])
    await expect
      .poll(() => dialog.getByTestId('import-summary').textContent(), { timeout: 30_000 })
      .toMatch(/^2 imported · 1 not mail \(skipped\)/)
    await dialog
      .getByTestId('import-problems')
      .getByText(/notes\.txt is not an mbox file/)
      .waitFor()
    await shot(page, 'import-result-light')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await open('Restored')
    await row(SUBJECTS[0]!).waitFor()

    // The same archive dropped on the folder: nothing new, both counted as already there.
    const transfer = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([new Uint8Array(${JSON.stringify([...mbox])})], 'Trash.mbox')); return dt })()`,
    )
    await folderRow('Restored').dispatchEvent('drop', { dataTransfer: transfer })
    await expect
      .poll(() => dialog.getByTestId('import-summary').textContent(), { timeout: 30_000 })
      .toMatch(/^0 imported · 2 already there \(skipped\)/)
    await dialog.getByRole('button', { name: 'Done' }).click()
    expect(await rows().count()).toBe(2)
  })

  it('stops a long import when asked, saying that what was imported stays', async () => {
    const count = 20_000
    const mbox = Buffer.from(
      Array.from(
        { length: count },
        (_, i) =>
          `From bulk@lab.test Thu Nov 26 10:00:00 2026\r\nFrom: Bulk <bulk@lab.test>\r\nSubject: Bulk ${i}\r\n` +
          `Message-ID: <bulk-${i}@lab.test>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nNumber ${i}.\r\n\r\n`,
      ).join(''),
    )
    await pop3().locator('.fui-TreeItemLayout').first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'New folder…' }).click()
    await nameFolder('Bulk')
    await folderMenu('Bulk', 'Import mbox or .eml…')
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByTestId('import-file-input').setInputFiles({
      name: 'bulk.mbox',
      mimeType: 'application/mbox',
      buffer: mbox,
    })
    const summary = dialog.getByTestId('import-summary')
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^[1-9][\d,]* imported/)
    await dialog.getByRole('button', { name: 'Stop import' }).click()
    const stopped = dialog.getByTestId('import-stopped')
    await stopped.waitFor({ timeout: 30_000 })
    const imported = Number(
      /^([\d,]+) imported/.exec((await summary.textContent()) ?? '')![1]!.replace(/,/g, ''),
    )
    expect(imported).toBeGreaterThan(0)
    expect(imported).toBeLessThan(count)
    expect(await stopped.textContent()).toContain(`The ${imported.toLocaleString('en-US')} messages imported`)
    await shotLightAndDark(page, 'import-stopped')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
  })

  it('saves a message as .eml with its stored bytes', async () => {
    await open('Inbox')
    await row(SUBJECTS[3]!).click({ button: 'right' })
    const download = page.waitForEvent('download')
    await page.getByRole('menuitem', { name: 'Save as .eml' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^2026-11-26 Old receipt \(\d+\)\.eml$/)
    expect(sha256(new Uint8Array(await readFile(await file.path())))).toBe(
      await storedSha(page, SUBJECTS[3]!),
    )
    // Opened, the text comes from the body file the sync worker appended it to (read by the page itself).
    await row(SUBJECTS[3]!).click()
    await expect
      .poll(
        async () =>
          (await page
            .getByTestId('message-text')
            .textContent()
            .catch(() => '')) ?? '',
      )
      .toContain('Hello 3.')
    expect(await storedInFile(page, SUBJECTS[3]!)).toBe(true)
    expect(app.errors).toEqual([])
  })

  it('shows the dialogs in dark mode too', async () => {
    // The same page (a new browser context would be a new, empty store), switched to the dark scheme.
    await page.emulateMedia({ colorScheme: 'dark' })
    await waitForToastsGone(page)
    await folderMenu('Restored', 'Delete folder…')
    await page
      .getByTestId('delete-folder-summary')
      .getByText(/and the 2 messages it holds/)
      .waitFor()
    await shot(page, 'delete-folder-dark')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await folderMenu('Restored', 'Import mbox or .eml…')
    await page.getByTestId('import-drop-zone').waitFor()
    await shot(page, 'import-dialog-dark')
    await page.getByRole('button', { name: 'Close' }).click()
    await open('Restored')
    await rows().first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Copy to folder…' }).click()
    await page.getByTestId('folder-picker-dialog').waitFor()
    await shot(page, 'move-to-folder-dark')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await folderMenu('Restored', 'Rename or move…')
    await shot(page, 'local-folder-rename-dark')
    await page.getByRole('button', { name: 'Cancel' }).click()
    expect(app.errors).toEqual([])
  })
})
