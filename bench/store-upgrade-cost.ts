// npx tsx bench/store-upgrade-cost.ts [--n 100000] [--repeat 3]
//
// What the schema version 10 upgrade (message rows moved into chunks, store/messages/migrate-to-chunks.ts)
// costs a user with a big mailbox: the built app in Debian's Chromium through the web host, its store written
// as version 9 left it (raw IndexedDB: N lab-corpus rows in one folder, one `messages` record each, with the
// per-day counts and thread rows version 9 kept), then the app opened on it. Timed from navigation until the
// folder's first rows are on screen (the upgrade runs in between). Reference (ref "open-v10"): the same cold
// open of the same store once upgraded, in the same run. A diagnostic, not part of `npm run bench`.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from 'playwright-core'
import { generateCorpus } from '../src/lab/corpus'
import { bucketDeltas } from '../src/renderer/src/store/list-buckets'
import { MAIL_DB_NAME } from '../src/renderer/src/store/mail-db'
import { folderId, newFolderRow, type MessageRow } from '../src/renderer/src/store/rows'
import { threadBucketsOf, threadsOf } from '../src/renderer/src/store/threads'
import { rawStores, rawVersion } from '../e2e/support/raw-schema'
import { corpusMessageRow } from './lib/corpus-rows'
import { benchLine, emit, log, median } from './lib/result'
import { addUnreachablePop3Account, openWebStore, type WebStore } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '3' },
    // A file (NAME.png): screenshots of the window 3 s into the first upgrade, light (NAME.png) and dark
    // (NAME-dark.png): what the user sees meanwhile.
    screenshot: { type: 'string' },
  },
})
const N = Number(values.n)
const REPEAT = Number(values.repeat)
const BLANK = '/__bench-blank'

function rows(accountId: string, folder: string): MessageRow[] {
  const metas = [...generateCorpus({ count: N, seed: 1, size: 'small' })].map((m) => m.meta)
  const newest = Math.max(...metas.map((m) => m.date.getTime()))
  const shift = Date.now() - 60_000 - newest
  return metas.map((m, i) => ({
    ...corpusMessageRow(m, { accountId, folderId: folder, uid: i + 1, dateShift: shift }),
    id: i + 1,
  }))
}

const OPEN = `const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })`

/** Keeps the app's own tables (account, settings), then makes the store version 9 with `extra` records added. */
async function writeVersion9(page: Page, origin: string, extra: Record<string, unknown[]>): Promise<void> {
  await page.goto(origin + BLANK)
  await page.evaluate(`(async (stores) => {
    ${OPEN}
    const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
    const keep = {}
    const names = [...db.objectStoreNames].filter((n) => stores.some((s) => s.name === n))
    const tx = db.transaction(names, 'readonly')
    for (const n of names) keep[n] = await req(tx.objectStore(n).getAll())
    db.close()
    await req(indexedDB.deleteDatabase(${JSON.stringify(MAIL_DB_NAME)}))
    const open = indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}, ${rawVersion(9)})
    open.onupgradeneeded = () => {
      for (const s of stores) {
        const os = open.result.createObjectStore(s.name, s.keyPath === null ? { autoIncrement: s.autoIncrement } : { keyPath: s.keyPath, autoIncrement: s.autoIncrement })
        for (const i of s.indexes) os.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry })
      }
    }
    const v9 = await req(open)
    const w = v9.transaction(names, 'readwrite')
    for (const n of names) for (const r of keep[n]) w.objectStore(n).put(r)
    await new Promise((ok, fail) => { w.oncomplete = ok; w.onerror = () => fail(w.error) })
    v9.close()
  })(${JSON.stringify(rawStores(9))})`)
  for (const [table, records] of Object.entries(extra)) {
    for (let i = 0; i < records.length; i += 5000) {
      await page.evaluate(`(async ([table, records]) => {
        ${OPEN}
        const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
        const w = db.transaction(table, 'readwrite')
        for (const r of records) w.objectStore(table).put(r)
        await new Promise((ok, fail) => { w.oncomplete = ok; w.onerror = () => fail(w.error) })
        db.close()
      })(${JSON.stringify([table, records.slice(i, i + 5000)])})`)
    }
  }
}

/** Navigates to the app and times until the folder's first row is drawn (ms after navigation start). */
async function openFolder(page: Page, url: string, subject: string, shot?: string): Promise<number> {
  await page.goto(url)
  if (shot) {
    await page.waitForTimeout(3000)
    await page.screenshot({ path: shot })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: shot.replace(/\.png$/, '') + '-dark.png' })
    await page.emulateMedia({ colorScheme: null })
  }
  await page.locator('[data-testid=message-row]', { hasText: subject }).first().waitFor({ timeout: 600_000 })
  return (await page.evaluate('performance.now()')) as number
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-upgrade-'))
  let store: WebStore | undefined
  try {
    store = await openWebStore(dir)
    const { page, rpc } = store
    const url = page.url()
    const origin = new URL(url).origin
    await page.route(origin + BLANK, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html>' }))
    const account = await addUnreachablePop3Account(rpc)
    const folder = folderId(account.id, 'Large')
    const folderRow = newFolderRow({
      accountId: account.id,
      path: 'Large',
      name: 'Large',
      delimiter: '/',
      parentPath: null,
      specialUse: null,
      local: true,
    })
    log(`generating ${N} rows`)
    const messages = rows(account.id, folder)
    const newest = messages.reduce((a, b) => (b.date > a.date ? b : a))
    const threads = threadsOf(messages.map((m) => ({ ...m, id: m.id! })))
    // The app opens the remembered folder: make it this one.
    await page.evaluate(
      `localStorage.setItem('harbor-mail:open-folder', ${JSON.stringify(JSON.stringify({ kind: 'folder', folderId: folder }))})`,
    )
    const upgrades: number[] = []
    const opens: number[] = []
    for (let round = 0; round < REPEAT; round++) {
      const t0 = Date.now()
      await writeVersion9(page, origin, {
        folders: [folderRow],
        messages,
        listBuckets: bucketDeltas([], messages),
        threads,
        threadBuckets: threadBucketsOf(threads),
      })
      log(`round ${round + 1}: version 9 store of ${N} written in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      upgrades.push(await openFolder(page, url, newest.subject, round === 0 ? values.screenshot : undefined))
      opens.push(await openFolder(page, url, newest.subject))
      log(
        `  upgrade + first rows ${upgrades.at(-1)!.toFixed(0)} ms; cold open after it ${opens.at(-1)!.toFixed(0)} ms`,
      )
    }
    emit(benchLine('store-upgrade-v10', N, 'open-v10', median(opens) / 1000, median(upgrades) / 1000))
  } finally {
    await store?.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
