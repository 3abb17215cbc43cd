// The product's real path for benches: the web host (core, as `tsx src/web/cli.ts` runs it) and the built app
// in Debian's Chromium with an on-disk profile (an incognito context would keep IndexedDB in memory), the sync
// worker writing IndexedDB. The bench talks to core over the same WebSocket RPC the page uses, and reads the
// store from the page with the raw IndexedDB API (no app code, no Dexie), sparingly.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { CHROMIUM_FLAGS } from '../../e2e/support/browser'
import { startWebHostProcess, type WebHostProcess } from '../../e2e/support/web-host-process'
import { corpusForLab } from '../../src/lab/corpus'
import type { Lab, LabTools } from '../../src/lab/lab'
import { labImapAccount } from '../../src/lab/lab-accounts'
import type { BodyPolicy } from '../../src/shared/model/account'
import { RpcClient } from '../../src/shared/rpc/client'
import { fromWebSocket } from '../../src/shared/rpc/websocket-transport'
import { MAIL_DB_NAME } from '../../src/renderer/src/store/mail-db'
import { folderId } from '../../src/renderer/src/store/rows'
import { statusKey as statusKeyOf } from '../../src/renderer/src/sync/engine/account-status'
import { RPC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../src/web/auth'
import { launchQuietBrowser, type QuietBrowser } from './quiet-browser'

/**
 * The checkout whose core and built renderer the store benches run: this one, or `BENCH_APP_ROOT` (set by
 * ab-builds to compare two trees, core included).
 */
const appRoot = (): string => process.env['BENCH_APP_ROOT'] ?? resolve(import.meta.dirname, '../..')

/** The e2e flags, plus CDP on a free port (the profile dir is added per launch). */
const CHROMIUM_ARGS = ['--headless=new', ...CHROMIUM_FLAGS, '--remote-debugging-port=0']

export interface StoreBrowser {
  browser: Browser
  /** The browser process (Debian's /usr/bin/chromium execs the real binary, so this is its PID). */
  pid: number
  close(): Promise<void>
}

/** Spawns Chromium with `profileDir` as its user data dir and connects to it over CDP. */
export async function launchStoreBrowser(profileDir: string): Promise<StoreBrowser> {
  const child: ChildProcess = spawn(
    process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    [...CHROMIUM_ARGS, `--user-data-dir=${profileDir}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  )
  const pid = child.pid
  if (pid === undefined) throw new Error('chromium did not start')
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  let output = ''
  const wsUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools URL:\n${output}`)), 30_000)
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(output)
      if (m?.[1]) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chromium exited (${code}):\n${output}`))
    })
  })
  // Keep draining stderr so Chromium never blocks on a full pipe.
  child.stderr?.on('data', () => undefined)
  const browser = await chromium.connectOverCDP(wsUrl)
  return {
    browser,
    pid,
    async close() {
      await browser.close().catch(() => undefined)
      if (child.exitCode === null && child.signalCode === null) {
        // Its own process group (detached): the renderer and utility children go with it.
        process.kill(-pid, 'SIGTERM')
        const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
    },
  }
}

/** A core RPC client over the web host's WebSocket, authenticated as the page is. */
export function coreClient(host: WebHostProcess): { rpc: RpcClient; close(): void } {
  const socket = new WebSocket(
    `ws://${new URL(host.origin).host}/rpc`,
    [RPC_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${host.token}`],
    { headers: { Origin: host.origin } },
  )
  return { rpc: new RpcClient(fromWebSocket(socket)), close: () => socket.close() }
}

export interface WebStore {
  host: WebHostProcess
  chromium: StoreBrowser
  page: Page
  rpc: RpcClient
  close(): Promise<void>
}

/**
 * Starts a web host with its own data dir and Chromium with its own profile (both under `dir`), opens the
 * app and waits until its sync worker is the connected store writer and has created the database.
 */
export async function openWebStore(dir: string): Promise<WebStore> {
  if (!existsSync(join(appRoot(), 'out/renderer/index.html'))) {
    throw new Error('the app is not built (out/renderer is missing): run `npm run build` first')
  }
  const host = await startWebHostProcess({ dataDir: join(dir, 'core'), root: appRoot() })
  let store: StoreBrowser | undefined
  let client: ReturnType<typeof coreClient> | undefined
  try {
    store = await launchStoreBrowser(join(dir, 'profile'))
    const context = store.browser.contexts()[0]
    if (!context) throw new Error('chromium has no default context')
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto(host.url)
    await page
      .locator('[data-testid=app-shell][data-core-state=connected][data-store-role=writer]')
      .waitFor({ timeout: 30_000 })
    await page.waitForFunction(
      `indexedDB.databases().then((dbs) => dbs.some((d) => d.name === ${JSON.stringify(MAIL_DB_NAME)}))`,
      undefined,
      { timeout: 30_000, polling: 50 },
    )
    client = coreClient(host)
    await client.rpc.call('app.hello', { client: 'bench' }, { timeoutMs: 15_000 })
    const opened = { host, chromium: store, page, rpc: client.rpc }
    const closeClient = client.close
    return {
      ...opened,
      async close() {
        closeClient()
        await opened.chromium.close()
        await opened.host.stop()
      },
    }
  } catch (e) {
    client?.close()
    await store?.close()
    await host.stop()
    throw e
  }
}

export interface QuietWebStore {
  host: WebHostProcess
  /** The page, driven over a bare DevTools connection (support/quiet-browser.ts). */
  page: QuietBrowser
  rpc: RpcClient
  close(): Promise<void>
}

/** Polls `expression` in the page until it is true. */
async function waitInPage(page: QuietBrowser, expression: string, what: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!(await page.evaluate<boolean>(expression).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 30 s`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * `openWebStore` for benches whose measured path carries bulk data over the RPC WebSocket: Chromium without
 * Playwright, whose DevTools Network domain would make it copy every WebSocket frame (quiet-browser.ts).
 */
export async function openQuietWebStore(dir: string, hostEnv?: NodeJS.ProcessEnv): Promise<QuietWebStore> {
  if (!existsSync(join(appRoot(), 'out/renderer/index.html'))) {
    throw new Error('the app is not built (out/renderer is missing): run `npm run build` first')
  }
  const host = await startWebHostProcess({
    dataDir: join(dir, 'core'),
    root: appRoot(),
    ...(hostEnv ? { env: hostEnv } : {}),
  })
  let page: QuietBrowser | undefined
  let client: ReturnType<typeof coreClient> | undefined
  try {
    page = await launchQuietBrowser(join(dir, 'profile'))
    await page.navigate(host.url)
    await waitInPage(
      page,
      `!!document.querySelector('[data-testid=app-shell][data-core-state=connected][data-store-role=writer]')`,
      'the app as the connected store writer',
    )
    await waitInPage(
      page,
      `indexedDB.databases().then((dbs) => dbs.some((d) => d.name === ${JSON.stringify(MAIL_DB_NAME)}))`,
      'the store created',
    )
    client = coreClient(host)
    await client.rpc.call('app.hello', { client: 'bench' }, { timeoutMs: 15_000 })
    const opened = { host, page, rpc: client.rpc }
    const closeClient = client.close
    return {
      ...opened,
      async close() {
        closeClient()
        await opened.page.close()
        await opened.host.stop()
      },
    }
  } catch (e) {
    client?.close()
    await page?.close()
    await host.stop()
    throw e
  }
}

/** Adds a lab user's IMAP account (implicit TLS, trusting the lab CA) as the wizard does; returns its id. */
export async function addLabImapAccount(
  rpc: RpcClient,
  lab: LabTools,
  userName: string,
  bodyPolicy: BodyPolicy,
): Promise<string> {
  const { account } = await rpc.call(
    'accounts.add',
    labImapAccount(lab, userName, { account: { bodyPolicy } }),
  )
  return account.id
}

export interface PassTimes {
  /** Date.now() when the folder first held `firstN` rows (null when not asked for). */
  firstAt: number | null
  /** The account's lastSuccessAt: Date.now() in the worker when the pass ended. */
  doneAt: number
}

/**
 * Page-side JavaScript: `folderRowCount(db, req, folderId)`, how many message rows a folder holds, in either
 * layout (bench/ab-builds.ts runs builds from before schema version 10): the folder's directory of chunks,
 * else the old `messages` table's [folderId+uid] index. `rowsOf(tx)` likewise gives every row.
 */
export const FOLDER_ROW_COUNT = `
  const folderRowCount = async (db, req, folderId) => {
    if (db.objectStoreNames.contains('messageFolders')) {
      const dir = await req(db.transaction('messageFolders', 'readonly').objectStore('messageFolders').get(folderId))
      return dir ? dir.chunks.reduce((sum, c) => sum + c.count, 0) : 0
    }
    const index = db.transaction('messages', 'readonly').objectStore('messages').index('[folderId+uid]')
    return req(index.count(IDBKeyRange.bound([folderId], [folderId, []])))
  }
`

/**
 * Runs in the page: waits for the account's sync status to be 'idle' with lastSuccessAt ≥ since (a pass that
 * ended after `since`), and notes when the folder first held `firstN` rows. The status is a single small
 * record in its own object store, read every `pollMs`; the row count only until it reaches `firstN`.
 */
const WATCH_PASS = `async (a) => {
  const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
  ${FOLDER_ROW_COUNT}
  const db = await req(indexedDB.open(a.db))
  let firstAt = null
  const deadline = Date.now() + a.timeoutMs
  try {
    for (;;) {
      if (firstAt === null && a.firstN > 0) {
        const n = await folderRowCount(db, req, a.folderId)
        if (n >= a.firstN) firstAt = Date.now()
      }
      const row = await req(db.transaction('syncState', 'readonly').objectStore('syncState').get(a.statusKey))
      const s = row && row.value
      if (s && s.state === 'error') throw new Error('sync failed: ' + JSON.stringify(s.error))
      if (s && s.state === 'idle' && s.lastSuccessAt >= a.since) return { firstAt, doneAt: s.lastSuccessAt }
      if (Date.now() > deadline) throw new Error('no finished pass in time; status ' + JSON.stringify(s))
      await new Promise((r) => setTimeout(r, firstAt === null && a.firstN > 0 ? a.firstPollMs : a.pollMs))
    }
  } finally { db.close() }
}`

/** What the store readers below need of a page: Playwright's Page or a QuietBrowser. */
export interface EvaluatesInPage {
  evaluate(expression: string): Promise<unknown>
}

export function watchPass(
  page: EvaluatesInPage,
  opts: { accountId: string; since: number; folder?: string; firstN?: number; timeoutMs: number },
): Promise<PassTimes> {
  const args = {
    db: MAIL_DB_NAME,
    statusKey: statusKeyOf(opts.accountId),
    folderId: folderId(opts.accountId, opts.folder ?? 'INBOX'),
    since: opts.since,
    firstN: opts.firstN ?? 0,
    timeoutMs: opts.timeoutMs,
    firstPollMs: 10,
    pollMs: 25,
  }
  return page.evaluate(`(${WATCH_PASS})(${JSON.stringify(args)})`) as Promise<PassTimes>
}

/**
 * Waits until the account has been idle for `quietMs` (the engine queues a follow-up pass when IDLE starts
 * during the first one); returns when the last pass ended.
 */
export async function waitQuiet(
  page: EvaluatesInPage,
  accountId: string,
  quietMs: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last: { state: string; at: number } | undefined
  let stableSince = Date.now()
  for (;;) {
    const s = (await page.evaluate(`(async () => {
      const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
      const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
      try {
        const row = await req(db.transaction('syncState', 'readonly').objectStore('syncState').get(${JSON.stringify(statusKeyOf(accountId))}))
        return row ? { state: row.value.state, at: row.value.lastSuccessAt } : { state: 'none', at: 0 }
      } finally { db.close() }
    })()`)) as { state: string; at: number }
    if (!last || last.state !== s.state || last.at !== s.at) {
      last = s
      stableSince = Date.now()
    } else if (s.state === 'idle' && Date.now() - stableSince >= quietMs) return s.at
    if (Date.now() > deadline) throw new Error(`account never went quiet: ${JSON.stringify(s)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Messages whose raw bytes are stored: rows of the old `bodies` table, plus rows pointing into a body file
 * (store/bodies, schema v9) whose bytes the file holds, so a build of either kind is counted the same way.
 * Reads every message row: not for timed sections.
 */
export function countStoredBodies(page: EvaluatesInPage): Promise<number> {
  return page.evaluate(`(async () => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const name = ${JSON.stringify(MAIL_DB_NAME)}
    const db = await req(indexedDB.open(name))
    try {
      const chunked = db.objectStoreNames.contains('messageChunks')
      const tx = db.transaction([chunked ? 'messageChunks' : 'messages', 'bodies'], 'readonly')
      const legacy = await req(tx.objectStore('bodies').count())
      const rows = chunked
        ? (await req(tx.objectStore('messageChunks').getAll())).flatMap((c) => c.rows)
        : await req(tx.objectStore('messages').getAll())
      const refs = rows.flatMap((m) => (m.body ? [m.body] : []))
      if (refs.length === 0) return legacy
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name + '.bodies')
      const sizes = new Map()
      for (const f of new Set(refs.map((r) => r.file))) sizes.set(f, (await (await dir.getFileHandle(f)).getFile()).size)
      return legacy + refs.filter((r) => r.offset + r.length <= sizes.get(r.file)).length
    } finally { db.close() }
  })()`) as Promise<number>
}

/**
 * A POP3 account whose server does not exist (port 9 refuses): the window shows its folders, and its sync fails
 * quietly without touching them, so a bench can fill them itself.
 */
export async function addUnreachablePop3Account(rpc: RpcClient): Promise<{ id: string }> {
  const { account } = await rpc.call('accounts.add', {
    account: {
      kind: 'pop3',
      name: 'Bench',
      email: 'bench@example.test',
      incoming: { host: '127.0.0.1', port: 9, tls: 'implicit', username: 'bench' },
      smtp: null,
    },
    secrets: { incomingPassword: 'unused' },
  })
  return account
}

/** How many message rows a folder holds (either layout). */
export function countFolderRows(page: EvaluatesInPage, folderId: string): Promise<number> {
  return page.evaluate(`(async () => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    ${FOLDER_ROW_COUNT}
    const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
    try {
      return await folderRowCount(db, req, ${JSON.stringify(folderId)})
    } finally { db.close() }
  })()`) as Promise<number>
}

/** Counts records in the page's store: a whole object store, or one key of an index. Not for timed sections. */
export function countInStore(
  page: EvaluatesInPage,
  store: string,
  /** Rows whose `index` key is `prefix` or (a compound index) starts with it. */
  where?: { index: string; prefix: string },
): Promise<number> {
  return page.evaluate(`(async () => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
    try {
      const os = db.transaction(${JSON.stringify(store)}, 'readonly').objectStore(${JSON.stringify(store)})
      const where = ${JSON.stringify(where ?? null)}
      // [prefix] sorts before every key starting with it, and [prefix, []] after (arrays sort last).
      const range = where && IDBKeyRange.bound([where.prefix], [where.prefix, []])
      return await req(where ? os.index(where.index).count(range) : os.count())
    } finally { db.close() }
  })()`) as Promise<number>
}

/**
 * Loads the profiles' corpus (seed 1, N messages to alice) into the lab's INBOX; `spanDays` spreads their dates
 * over that many days instead of the generator's three years.
 */
export async function loadProfileCorpus(lab: Lab, n: number, spanDays?: number): Promise<void> {
  const user = lab.user('alice')
  await lab.loadMaildir(
    user.name,
    'INBOX',
    corpusForLab({
      count: n,
      seed: 1,
      domain: lab.domain,
      users: [user.address],
      ...(spanDays ? { spanDays } : {}),
    }),
  )
}
