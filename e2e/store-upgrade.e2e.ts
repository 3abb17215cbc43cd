/**
 * The schema version 10 upgrade (message rows moved into chunks, store/messages/migrate-to-chunks.ts), and
 * version 11's after it (the POP3 ledger into a record per batch, store/pop3-ledger.ts), 12's (thread rows
 * into day records, store/thread-days.ts) and 13's (per-day counts into spans, store/day-count-spans.ts),
 * in Chromium through the web host, on a store the app itself wrote: a POP3 account downloads its mail, the
 * page then rewrites that store as version 9 kept it (every table, the rows back in one `messages` record
 * each, same ids), and the app opens it again. A POP3 store is the user's only copy of the mail: every row
 * must come back with its ids, bytes and ledger, and later downloads must neither duplicate nor reuse ids.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { labPop3Account } from '../src/lab/lab-accounts'
import { SCHEMA_VERSIONS } from '../src/renderer/src/store/mail-db'
import { rawStores, rawVersion } from './support/raw-schema'
import { useLabApp } from './support/lab-app'
import { readStore, type PageStoreAccount } from './support/store-in-page'
import { shotLightAndDark } from './support/ui'

const USER = 'upgrade'
const NAME = 'Before the update'

function message(i: number): Buffer {
  return Buffer.from(
    `From: Sender <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: kept across the update ${i}\r\n` +
      `Message-ID: <upgrade-${i}@lab.test>\r\nDate: Fri, 27 Nov 2026 1${i % 10}:00:00 +0000\r\n\r\nBody ${i}.\r\n`,
  )
}

/** Message ids in the store (chunk layout), with each row's subject. */
function storedIds(page: Page): Promise<[number, string][]> {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const chunks = await new Promise((ok, fail) => { const r = db.transaction('messageChunks').objectStore('messageChunks').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    db.close()
    return chunks.flatMap((c) => c.rows.map((m) => [m.id, m.subject])).sort((a, b) => a[0] - b[0])
  })()`) as Promise<[number, string][]>
}

/**
 * The conversation view's thread rows (day records since version 12), in key order, and the per-day counts
 * of messages and threads (span records since version 13).
 */
function storedThreadsAndCounts(page: Page): Promise<unknown[]> {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const all = (name) => new Promise((ok, fail) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const days = await all('threadDays')
    const threads = days.flatMap((d) => d.threads).sort((a, b) => (a.folderId + a.threadId < b.folderId + b.threadId ? -1 : 1))
    const counts = [await all('listDayCounts'), await all('threadDayCounts')]
    db.close()
    return [threads, ...counts]
  })()`)
}

/**
 * In a page of the app's origin that does not run the app: reads every table, deletes the database and
 * creates it again as version 9 (IndexedDB version 90, as Dexie numbers it) with the same records, the
 * message rows back in `messages` under their ids, the ledger in `pop3Ledger`, the threads in `threads`,
 * the per-day counts in `listBuckets` and `threadBuckets`.
 */
async function rewriteAsVersion9(page: Page, origin: string): Promise<number> {
  const blank = `${origin}/__store-upgrade-blank`
  await page.route(blank, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  )
  await page.goto(blank)
  return (await page.evaluate(`(async (stores) => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const db = await req(indexedDB.open('harbor-mail'))
    const names = [...db.objectStoreNames]
    const tx = db.transaction(names, 'readonly')
    const data = {}
    for (const n of names) data[n] = await req(tx.objectStore(n).getAll())
    db.close()
    data.messages = data.messageChunks.flatMap((c) => c.rows)
    data.threads = data.threadDays.flatMap((d) => d.threads)
    const dayRows = (spans) => spans.flatMap((s) => s.days.map(([day, all, unread, flagged]) => ({ folderId: s.folderId, day, all, unread, flagged })))
    data.listBuckets = dayRows(data.listDayCounts)
    data.threadBuckets = dayRows(data.threadDayCounts)
    data.pop3Ledger = data.pop3LedgerBatches.flatMap((b) => b.entries.map((e) => ({ accountId: b.accountId, ...e })))
    await req(indexedDB.deleteDatabase('harbor-mail'))
    const open = indexedDB.open('harbor-mail', ${rawVersion(9)})
    open.onupgradeneeded = () => {
      for (const s of stores) {
        const os = open.result.createObjectStore(s.name, s.keyPath === null ? { autoIncrement: s.autoIncrement } : { keyPath: s.keyPath, autoIncrement: s.autoIncrement })
        for (const i of s.indexes) os.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry })
      }
    }
    const v9 = await req(open)
    const write = v9.transaction(stores.map((s) => s.name), 'readwrite')
    for (const s of stores) for (const row of data[s.name] ?? []) write.objectStore(s.name).put(row)
    await new Promise((ok, fail) => { write.oncomplete = ok; write.onerror = () => fail(write.error); write.onabort = () => fail(write.error) })
    v9.close()
    return data.messages.length
  })(${JSON.stringify(rawStores(9))})`)) as number
}

const byUidl = (a: PageStoreAccount): PageStoreAccount => ({
  ...a,
  rows: [...a.rows].sort((x, y) => (x.uidl ?? '').localeCompare(y.uidl ?? '')),
  ledger: [...a.ledger].sort((x, y) => x.uidl.localeCompare(y.uidl)),
})

describe('the store upgrade to versions 10 to 14 (Chromium, web host, real Dovecot POP3)', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('keeps every message, id, byte and ledger row of a version-9 store, and gives later mail new ids', async () => {
    const { lab, host } = env
    await lab.loadMaildir(
      USER,
      'INBOX',
      Array.from({ length: 6 }, (_, i) => message(i)),
    )
    const app = await env.openApp('light')
    const { page } = app
    const { account } = await env.addAccount(
      labPop3Account(lab, USER, { account: { name: NAME, smtp: null, retention: { kind: 'leave' } } }),
    )
    await expect
      .poll(async () => (await readStore(page, [account.id]))[account.id]?.rows.length, { timeout: 30_000 })
      .toBe(6)
    const before = byUidl((await readStore(page, [account.id]))[account.id]!)
    expect(before.rows.every((r) => r.sha !== '' && r.inFile)).toBe(true)
    const ids = await storedIds(page)
    const kept = await storedThreadsAndCounts(page)
    expect(kept[0]).toHaveLength(6)

    expect(await rewriteAsVersion9(page, new URL(host.url).origin)).toBe(6)
    // Dexie numbers IndexedDB versions ten to one of its own: the app finds version 9 and upgrades it.
    const version = (): Promise<unknown> =>
      page.evaluate(`indexedDB.databases().then((d) => d.find((x) => x.name === 'harbor-mail')?.version)`)
    expect(await version()).toBe(rawVersion(9))
    await page.unrouteAll()
    await page.goto(host.url)
    await page.locator('[data-testid=app-shell][data-core-state=connected]').waitFor()
    await page.getByTestId('account-item').filter({ hasText: NAME }).waitFor()
    expect(await version()).toBe(rawVersion(SCHEMA_VERSIONS.at(-1)!.version))

    // Every row back, under its id, with the same bytes and ledger rows: nothing downloaded twice.
    await expect.poll(async () => storedIds(page)).toEqual(ids)
    // The conversation view's thread rows and the list's per-day counts: through version 9's tables of a
    // record each and back.
    expect(await storedThreadsAndCounts(page)).toEqual(kept)
    expect(byUidl((await readStore(page, [account.id]))[account.id]!)).toMatchObject({
      rows: before.rows,
      ledger: before.ledger,
    })
    await page.getByTestId('unified-inbox').click()
    const row = page.locator('[data-testid=message-row]', { hasText: 'kept across the update 3' }).first()
    await row.click()
    // The body read back from the body file its upgraded row points at (shown as text or in the frame).
    const pane = page.getByTestId('reading-pane')
    const frame = pane.getByTestId('message-frame')
    const shown = async (): Promise<string> =>
      `${await pane.textContent()} ${(await frame.count()) > 0 ? await frame.getAttribute('srcdoc') : ''}`
    await expect.poll(shown, { timeout: 15_000 }).toContain('Body 3.')
    await shotLightAndDark(page, 'store-upgrade-v14')

    // New mail after the upgrade: stored once, with ids above every id the store had given.
    await lab.loadMaildir(USER, 'INBOX', [message(7), message(8)])
    const item = page.getByTestId('account-item').filter({ hasText: NAME })
    await item.locator('.fui-TreeItemLayout').first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Send/Receive' }).click()
    await expect.poll(async () => (await storedIds(page)).length, { timeout: 30_000 }).toBe(8)
    const after = await storedIds(page)
    const oldMax = Math.max(...ids.map(([id]) => id))
    expect(after.slice(0, 6)).toEqual(ids)
    expect(after.slice(6).every(([id]) => id > oldMax)).toBe(true)
    const store = (await readStore(page, [account.id]))[account.id]!
    expect(new Set(store.rows.map((r) => r.uidl)).size).toBe(8)
    expect(app.errors).toEqual([])
  })
})
