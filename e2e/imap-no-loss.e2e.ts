/**
 * Issue 5's crash rule: the app syncs an IMAP account (headers and, by policy, every body) into Chromium's
 * IndexedDB through the web host while another device keeps changing the mailbox, and the test SIGKILLs
 * the browser (persistent profile) or the core (web host, persistent data dir) at random moments. After the
 * last round the cache must equal the server exactly: every folder's UIDs and flags, one row per message,
 * and every stored body byte-identical to the server's.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImapFlow } from 'imapflow'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverSnapshot } from '../src/integration/sync-harness'
import { corpusForLab } from '../src/lab/corpus'
import { startLab, type Lab } from '../src/lab/lab'
import { labImapAccount } from '../src/lab/lab-accounts'
import { E2E_OUTPUT } from './support/browser'
import {
  freePort,
  launchProfile,
  rpcTo,
  settleTwice,
  startHost,
  type BrowserProcess,
  type HostProcess,
} from './support/kill-harness'
import { BODY_BYTES } from './support/store-in-page'

const ROUNDS = Number(process.env['IMAP_KILL_ROUNDS'] ?? 16)
const USER = 'imapkill'
const FOLDERS = ['INBOX', 'Work']
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

interface CachedFolder {
  uidValidity: number | null
  /** sha: of the stored bytes ('' if none); inFile: they are in a body file (store/bodies), not `bodies`. */
  messages: { uid: number | null; flags: string[]; messageId: string | null; sha: string; inFile: boolean }[]
}

/** The account's folders and messages as they are on disk in the browser profile (plain IndexedDB API). */
async function readCache(page: Page, accountId: string): Promise<Record<string, CachedFolder> | null> {
  const script = `(async (accountId) => {
    const names = (await indexedDB.databases()).map((d) => d.name)
    if (!names.includes('harbor-mail')) return null
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('')
    ${BODY_BYTES}
    const tx = db.transaction(['folders', 'messageChunks', 'bodies'], 'readonly')
    const folders = (await req(tx.objectStore('folders').getAll())).filter((f) => f.accountId === accountId)
    const messages = (await req(tx.objectStore('messageChunks').getAll())).flatMap((c) => c.rows).filter((m) => m.accountId === accountId)
    const bodies = new Map((await req(tx.objectStore('bodies').getAll())).map((b) => [b.messageId, b.raw]))
    const out = {}
    for (const f of folders) out[f.path] = { uidValidity: f.uidValidity, messages: [] }
    for (const m of messages) {
      const folder = folders.find((f) => f.id === m.folderId)
      if (!folder) continue
      const raw = await bodyBytes(m, (id) => bodies.get(id))
      out[folder.path].messages.push({ uid: m.uid, flags: m.flags, messageId: m.messageId, sha: raw ? await hex(raw) : '', inFile: !!m.body })
    }
    db.close()
    return out
  })(${JSON.stringify(accountId)})`
  return (await page.evaluate(script)) as Record<string, CachedFolder> | null
}

async function readStatus(
  page: Page,
  accountId: string,
): Promise<{ state: string; lastSuccessAt: number | null } | null> {
  const script = `(async (key) => {
    const names = (await indexedDB.databases()).map((d) => d.name)
    if (!names.includes('harbor-mail')) return null
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const row = await new Promise((ok, fail) => { const r = db.transaction('syncState').objectStore('syncState').get(key); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    db.close()
    return row ? row.value : null
  })(${JSON.stringify(`account-status:${accountId}`)})`
  return (await page.evaluate(script)) as { state: string; lastSuccessAt: number | null } | null
}

/** Another device at work between rounds: new mail, flag changes and expunges. */
async function changeElsewhere(device: ImapFlow, round: number): Promise<void> {
  for (const folder of FOLDERS) {
    await device.append(
      folder,
      `From: other@lab.test\r\nSubject: round ${round} in ${folder}\r\nMessage-ID: <r${round}.${folder}@kill.test>\r\n\r\nbody ${round}\r\n`,
    )
    const lock = await device.getMailboxLock(folder)
    try {
      const uids = ((await device.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b)
      const pick = (k: number): number[] => uids.filter((_, i) => (i + round * 7) % k === 0).slice(0, 5)
      if (uids.length > 20) {
        await device.messageFlagsAdd(pick(13).join(','), ['\\Flagged'], { uid: true })
        await device.messageFlagsRemove(pick(17).join(','), ['\\Seen'], { uid: true })
        await device.messageDelete(String(uids[(round * 11) % uids.length]), { uid: true })
      }
    } finally {
      lock.release()
    }
  }
}

describe('IMAP sync survives SIGKILL of the browser or the core and converges to the server', () => {
  let lab: Lab
  let dir: string
  let host: HostProcess | undefined
  let browser: BrowserProcess | undefined
  let device: ImapFlow | undefined

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: USER }] })
    dir = await mkdtemp(join(tmpdir(), 'imap-kill-'))
    const start = new Date(Date.now() - 200 * 86_400_000)
    await lab.loadMaildir(
      USER,
      'INBOX',
      corpusForLab({ count: 800, seed: 21, size: 'small', start, spanDays: 200 }),
    )
    await lab.loadMaildir(
      USER,
      'Work',
      corpusForLab({ count: 300, seed: 22, size: 'small', start, spanDays: 200 }),
    )
    device = await lab.otherDevice(USER)
  })
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
    await browser?.kill()
    await host?.kill()
    await lab?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it(`${ROUNDS} rounds of random kills end with a cache equal to the server`, async () => {
    const started = Date.now()
    const dataDir = join(dir, 'core')
    const profile = join(dir, 'profile')
    await mkdir(profile, { recursive: true })
    const port = await freePort()
    host = await startHost(dataDir, port)
    const rpc = await rpcTo(host)
    const { account } = await rpc.client.call(
      'accounts.add',
      labImapAccount(lab, USER, { account: { name: 'kill test', smtp: null, bodyPolicy: { kind: 'all' } } }),
    )
    rpc.close()

    const kills: { round: number; target: 'browser' | 'core'; afterMs: number }[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      if (host && (host.child.exitCode !== null || host.child.signalCode !== null)) {
        throw new Error(`the web host died by itself before round ${round}:\n${host.output()}`)
      }
      await changeElsewhere(device!, round)
      host ??= await startHost(dataDir, port)
      browser ??= await launchProfile(profile)
      const loaded = Date.now()
      await browser.page.goto('about:blank')
      const current = host
      await browser.page.goto(current.url).catch((error: unknown) => {
        throw new Error(
          `round ${round}: ${String(error)}; host exit ${current.child.exitCode}/${current.child.signalCode}:\n${current.output()}`,
        )
      })
      const delay = 200 + Math.floor(Math.random() * 2800)
      await sleep(Math.max(0, loaded + delay - Date.now()))
      const target = round % 3 === 2 ? 'core' : 'browser'
      kills.push({ round, target, afterMs: Date.now() - loaded })
      if (target === 'core') {
        await host.kill()
        host = undefined
      } else {
        await browser.kill()
        browser = undefined
      }
    }

    if (host && (host.child.exitCode !== null || host.child.signalCode !== null)) {
      throw new Error(`the web host died by itself:\n${host.output()}`)
    }
    host ??= await startHost(dataDir, port)
    browser ??= await launchProfile(profile)
    const page = browser.page
    await settleTwice(
      page,
      host.url,
      1,
      async (since) => {
        const s = await readStatus(page, account.id)
        return [s?.state === 'idle' && (s.lastSuccessAt ?? 0) > since ? 'ok' : JSON.stringify(s)]
      },
      120_000,
    )
    // Bodies are fetched after headers within the same pass; the pass above ended, so all are in.
    const cache = (await readCache(page, account.id))!
    const summary: Record<string, unknown> = {}
    for (const folder of FOLDERS) {
      const server = await serverSnapshot(device!, folder)
      const cached = cache[folder]!
      expect({ folder, uidValidity: cached.uidValidity }).toEqual({ folder, uidValidity: server.uidValidity })
      const uids = cached.messages.map((m) => m.uid)
      expect({ folder, duplicates: uids.length - new Set(uids).size }).toEqual({ folder, duplicates: 0 })
      expect([...uids].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        [...server.messages.keys()].sort((a, b) => a - b),
      )
      for (const m of cached.messages) {
        expect({ folder, uid: m.uid, flags: [...m.flags].filter((f) => f !== '\\Recent').sort() }).toEqual({
          folder,
          uid: m.uid,
          flags: server.messages.get(m.uid!),
        })
      }
      // Every body byte-identical to the server's copy.
      const lock = await device!.getMailboxLock(folder, { readOnly: true })
      const shas = new Map<number, string>()
      try {
        for await (const msg of device!.fetch('1:*', { uid: true, source: true }))
          shas.set(msg.uid, sha(msg.source!))
      } finally {
        lock.release()
      }
      const wrong = cached.messages.filter((m) => m.sha !== shas.get(m.uid!))
      expect({ folder, wrongOrMissingBodies: wrong.length }).toEqual({ folder, wrongOrMissingBodies: 0 })
      // Appended to the account's body file (flushed before the commit that points rows at it), and after
      // the kills still there: the rows point at no bytes the file lost.
      const inTable = cached.messages.filter((m) => !m.inFile).length
      expect({ folder, inTable }).toEqual({ folder, inTable: 0 })
      summary[folder] = { messages: cached.messages.length }
    }
    const report = {
      rounds: ROUNDS,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      browserKills: kills.filter((k) => k.target === 'browser').length,
      coreKills: kills.filter((k) => k.target === 'core').length,
      folders: summary,
      kills,
    }
    await mkdir(E2E_OUTPUT, { recursive: true })
    await writeFile(join(E2E_OUTPUT, 'imap-no-loss.json'), JSON.stringify(report, null, 2))
    console.log(JSON.stringify({ ...report, kills: undefined }))
  }, 900_000)
})
