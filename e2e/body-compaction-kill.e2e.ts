/**
 * Compaction of the body files (store/bodies/compact-bodies.ts) under real crashes: a POP3 account's mail is
 * downloaded into Chromium (persistent profile) through the web host; each round the user deletes some of it
 * for good, the app is loaded anew (its first idle time compacts: the policy in syncState makes any dead byte
 * enough) and the browser is SIGKILLed at a random moment, or just after a new body file appears (compaction
 * has begun). After the last round the app runs undisturbed: every message not deleted is stored with its
 * exact bytes, none twice, the files hold no dead bytes, and no file is left that no row points into.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../src/lab/lab'
import { labPop3Account } from '../src/lab/lab-accounts'
import { bodyFileAccount } from '../src/renderer/src/store/bodies/body-store'
import { COMPACTION_POLICY_KEY } from '../src/renderer/src/store/bodies/compact-bodies'
import { E2E_OUTPUT } from './support/browser'
import {
  freePort,
  launchProfile,
  rpcTo,
  startHost,
  type BrowserProcess,
  type HostProcess,
} from './support/kill-harness'
import {
  deleteForGoodInPage,
  liveBodyBytes,
  putSyncState,
  readBodyFiles,
  readStore,
  readStoreIdentity,
  type PageBodyFiles,
} from './support/store-in-page'

const ROUNDS = Number(process.env['COMPACTION_KILL_ROUNDS'] ?? (process.env['CI'] === 'true' ? 12 : 24))
const USER = 'compact'
const INITIAL = 240
const DELETED_PER_ROUND = 12
const MAX_KILL_DELAY_MS = 2500
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function message(i: number): Buffer {
  const id = `m${i}.${Math.random().toString(36).slice(2)}@compact.test`
  // ~80 KB each (19 MB in all): copying the live mail takes several 4 MiB steps, each its own transaction, so
  // kills land between them.
  return Buffer.from(
    `From: Sender ${i} <s${i}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: compaction ${i}\r\n` +
      `Message-ID: <${id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n` +
      `Line of ${id} that makes the message long enough to matter.\r\n`.repeat(1000),
  )
}

describe('compaction of the body files when the browser is SIGKILLed', () => {
  let lab: Lab
  let dir: string
  let host: HostProcess | undefined
  let browser: BrowserProcess | undefined
  let keepDir = true

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: USER }] })
    dir = await mkdtemp(join(tmpdir(), 'compaction-kill-'))
  })
  afterAll(async () => {
    await browser?.kill()
    await host?.kill()
    await lab?.stop()
    if (dir && !keepDir) await rm(dir, { recursive: true, force: true })
    else if (dir) process.stderr.write(`[compaction-kill] kept ${dir}\n`)
  })

  it(`${ROUNDS} rounds of kills during compaction lose nothing and leave no dead bytes`, async () => {
    const started = Date.now()
    const delivered = Array.from({ length: INITIAL }, (_, i) => message(i))
    await lab.loadMaildir(USER, 'INBOX', delivered, { index: false })
    const all = new Set(delivered.map(sha))
    const deleted = new Set<string>()

    const dataDir = join(dir, 'core')
    const profile = join(dir, 'profile')
    await mkdir(profile, { recursive: true })
    const port = await freePort()
    host = await startHost(dataDir, port)
    const rpc = await rpcTo(host)
    const { account } = await rpc.client.call(
      'accounts.add',
      labPop3Account(lab, USER, {
        account: { name: 'Compaction', smtp: null, retention: { kind: 'leave' } },
      }),
    )
    rpc.close()
    browser = await launchProfile(profile)
    await browser.page.goto(host.url)
    await expect
      .poll(async () => (await readStore(browser!.page, [account.id]))[account.id]?.rows.length, {
        timeout: 60_000,
      })
      .toBe(INITIAL)
    await putSyncState(browser.page, COMPACTION_POLICY_KEY, { minDeadBytes: 1, minDeadShare: 0, everyMs: 0 })

    const identities = new Set<string>()
    const kills: {
      round: number
      aim: string
      afterMs: number
      files: Record<string, number>
      rowFiles: string[]
    }[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      browser ??= await launchProfile(profile)
      const page = browser.page
      await page.goto('about:blank')
      await page.goto(host.url)
      // The worker may be compacting meanwhile: a pick whose file it just deleted fails before anything is
      // deleted (the helper reads the bytes first), and is picked again.
      for (let attempt = 0; ; attempt++) {
        try {
          for (const s of await deleteForGoodInPage(page, account.id, DELETED_PER_ROUND)) deleted.add(s)
          break
        } catch (error) {
          if (attempt >= 3) throw error
        }
      }
      const before = Object.keys((await readBodyFiles(page)).files)
      // A new worker: its first pass, then its idle time, which compacts what this round deleted.
      await page.goto('about:blank')
      const loaded = Date.now()
      await page.goto(host.url)
      const aim = round % 2 === 0 ? 'new file' : 'time'
      if (aim === 'time') {
        await sleep(Math.floor(Math.random() * MAX_KILL_DELAY_MS))
      } else {
        while (Date.now() - loaded < 20_000) {
          const names = Object.keys((await readBodyFiles(page).catch(() => ({ files: {} }))).files)
          if (names.some((n) => !before.includes(n))) break
          await sleep(20)
        }
        await sleep(Math.floor(Math.random() * 200))
      }
      const seen = await readBodyFiles(page).catch(() => ({ files: {}, refs: [] }) as PageBodyFiles)
      const identity = await readStoreIdentity(page).catch(() => null)
      if (identity) identities.add(identity)
      const rowFiles = [...new Set(seen.refs.map((r) => r?.file ?? 'none'))].sort()
      kills.push({ round, aim, afterMs: Date.now() - loaded, files: seen.files, rowFiles })
      process.stderr.write(
        `[compaction-kill] round ${round} ${aim} +${Date.now() - loaded} ms files ${JSON.stringify(seen.files)} rows in ${rowFiles.join(',')}\n`,
      )
      await browser.kill()
      browser = undefined
    }

    // Undisturbed: the app loads, syncs and compacts; then the store must be whole and the files tight.
    browser = await launchProfile(profile)
    const page = browser.page
    await page.goto(host.url)
    let final: PageBodyFiles = { files: {}, refs: [] }
    await expect
      .poll(
        async () => {
          final = await readBodyFiles(page)
          const total = Object.values(final.files).reduce((n, s) => n + s, 0)
          return { dead: total - liveBodyBytes(final.refs), rows: final.refs.length }
        },
        { timeout: 60_000, interval: 250 },
      )
      .toEqual({ dead: 0, rows: expect.any(Number) as number })
    const identity = await readStoreIdentity(page)
    if (identity) identities.add(identity)
    const store = (await readStore(page, [account.id]))[account.id]!
    const stored = store.rows.map((r) => r.sha)
    expect(stored.filter((s) => s === '')).toEqual([])
    expect(stored.length - new Set(stored).size).toBe(0)
    expect(store.rows.every((r) => r.inFile)).toBe(true)
    // A store that came back empty after a kill downloads again what the server still has (deleted ones too).
    const resets = identities.size - 1
    const expected = [...all].filter((s) => resets > 0 || !deleted.has(s)).sort()
    expect([...stored].sort()).toEqual(expected)
    // Every file is one a row points into, or its account's (empty) segment being appended to.
    const pointed = new Set(final.refs.map((r) => r?.file))
    const unused = Object.entries(final.files).filter(([name, size]) => !pointed.has(name) && size > 0)
    expect(unused).toEqual([])
    expect(Object.keys(final.files).every((n) => bodyFileAccount(n) === account.id)).toBe(true)

    const report = {
      rounds: ROUNDS,
      resets,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      delivered: all.size,
      deleted: deleted.size,
      stored: stored.length,
      finalFiles: final.files,
      // How many kills found rows in two files at once (a compaction between its first repoint and the delete).
      killsMidCompaction: kills.filter((k) => k.rowFiles.length > 1).length,
      kills,
    }
    await mkdir(E2E_OUTPUT, { recursive: true })
    await writeFile(join(E2E_OUTPUT, 'body-compaction-kill.json'), JSON.stringify(report, null, 2))
    console.log(JSON.stringify({ ...report, kills: undefined }))
    keepDir = resets > 0 || process.env['COMPACTION_KILL_KEEP'] === '1'
  }, 600_000)
})
