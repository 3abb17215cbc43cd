/**
 * Removing an account removes its raw mail files (the OPFS body files, store/bodies/) in Chromium through the
 * web host: after the user confirms the removal and its rows are gone; and a file of an account the store no
 * longer has (a removal cut short) goes at the writer's next start.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { labPop3Account } from '../src/lab/lab-accounts'
import { bodyFileAccount } from '../src/renderer/src/store/bodies/body-store'
import { COMPACTION_CHECKED_KEY } from '../src/renderer/src/store/bodies/compact-bodies'
import { useLabApp } from './support/lab-app'
import { readStore, readSyncState } from './support/store-in-page'
import { openAccountMenu } from './support/ui'

const USER = 'cleanup'
const COUNT = 5
/** A body file of an account no store row knows: what a removal cut short by a crash leaves. */
const LEFTOVER = 'gone%2Eaccount.0'

function message(i: number): Buffer {
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: cleanup ${i}\r\n` +
      `Message-ID: <cleanup-${i}-${Date.now()}@lab.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\nHello ${i}.\r\n`,
  )
}

/** The names in the store's body-file folder, read by the page (it may read while the worker writes). */
function bodyFiles(page: Page): Promise<string[]> {
  return page.evaluate(`(async () => {
    const root = await navigator.storage.getDirectory()
    const dir = await root.getDirectoryHandle('harbor-mail.bodies', { create: true })
    const names = []
    for await (const name of dir.keys()) names.push(name)
    return names.sort()
  })()`) as Promise<string[]>
}

function bodyFileRecord(page: Page, accountId: string): Promise<unknown> {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const row = await new Promise((ok, fail) => { const r = db.transaction('bodyFiles').objectStore('bodyFiles').get(${JSON.stringify(accountId)}); r.onsuccess = () => ok(r.result ?? null); r.onerror = () => fail(r.error) })
    db.close()
    return row
  })()`)
}

describe('body files of a removed account (Chromium, web host, real Dovecot)', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('removes the account’s files after its rows, and a leftover file at the next start', async () => {
    const { lab } = env
    await lab.loadMaildir(
      USER,
      'INBOX',
      Array.from({ length: COUNT }, (_, i) => message(i)),
    )
    const app = await env.openApp('light')
    const { page } = app
    const { account } = await env.addAccount(
      labPop3Account(lab, USER, { account: { name: 'Cleanup', smtp: null, retention: { kind: 'leave' } } }),
    )
    await expect
      .poll(
        async () => (await readStore(page, [account.id]))[account.id]?.rows.filter((r) => r.inFile).length,
      )
      .toBe(COUNT)
    const own = (await bodyFiles(page)).filter((n) => bodyFileAccount(n) === account.id)
    expect(own).toHaveLength(1)
    expect(await bodyFileRecord(page, account.id)).toMatchObject({ accountId: account.id })

    // The writer's first idle time sweeps leftovers once per start, then looks the body files over for
    // compaction (writing when it did): only after that may the leftover appear, or it would go now.
    await expect
      .poll(async () => typeof (await readSyncState(page, COMPACTION_CHECKED_KEY)), { timeout: 30_000 })
      .toBe('number')
    // A file no account owns, as a removal cut short by a crash would leave (the page can write OPFS too).
    await page.evaluate(`(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('harbor-mail.bodies')
      const w = await (await dir.getFileHandle(${JSON.stringify(LEFTOVER)}, { create: true })).createWritable()
      await w.write('bytes no row points at')
      await w.close()
    })()`)

    // The user removes the account (the worker holds the file open: it must close it to delete it).
    const item = page.getByTestId('account-item').filter({ hasText: 'Cleanup' })
    await openAccountMenu(item)
    await page.getByRole('menuitem', { name: 'Remove account…' }).click()
    await page.getByTestId('remove-account-dialog').getByRole('button', { name: 'Remove account' }).click()
    await page.getByRole('heading', { name: 'Welcome to Harbor Mail' }).waitFor()
    await expect.poll(async () => (await bodyFiles(page)).filter((n) => own.includes(n))).toEqual([])
    expect(await readStore(page, [account.id])).toMatchObject({ [account.id]: { rows: [], ledger: [] } })
    expect(await bodyFileRecord(page, account.id)).toBeNull()
    // Not this account's, so not touched by its removal.
    expect(await bodyFiles(page)).toContain(LEFTOVER)

    // The next start (a new worker) removes the leftover once its first passes are over.
    await page.reload()
    await page.locator('[data-testid=app-shell][data-core-state=connected]').waitFor()
    await expect.poll(() => bodyFiles(page), { timeout: 30_000 }).toEqual([])
    expect(app.errors).toEqual([])
  })
})
