/**
 * Issue 6's no-loss rule under real crashes: the app's sync worker downloads from a lab Dovecot POP3 into
 * Chromium's IndexedDB (persistent profile) through the web host, and the test SIGKILLs the browser or the
 * core (web host) at random moments, restarts it and lets it continue. Three accounts, one per retention
 * policy, sync in parallel in every round, so each kill hits all three policies. New mail arrives before
 * every round and the 'delete when deleted locally' account loses a few messages from its Trash, so there
 * is always something to download and to DELE. After the last round: the store equals what the server
 * had (no duplicate, none missing), and every message gone from the server is in the store.
 *
 * Chromium's IndexedDB has come back EMPTY after a browser SIGKILL (2 of ~8 runs before core's safety copy
 * existed; 850–900 messages already removed under 'delete after N days' were lost). Core now keeps a copy
 * of every message before DELE and trusts one store identity per account (src/core/pop3/NO-LOSS.md), so
 * such a reset must cost nothing: the test counts resets (a new store identity between rounds), requires
 * that core noticed each (resets > 0 in its spool state) and that the store still ends complete.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLabPop3Session } from '../src/lab/lab-pop3-session'
import { corpusForLab } from '../src/lab/corpus'
import { startLab, type Lab } from '../src/lab/lab'
import { labPop3Account } from '../src/lab/lab-accounts'
import type { Pop3Retention } from '../src/shared/model/account'
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
import { spoolState } from './support/spool-state'
import {
  deleteForGoodInPage,
  readPhases,
  readProgress,
  readStore,
  readStoreIdentity,
} from './support/store-in-page'

/** 50 rounds as issue 6 asks; CI runs 30 to keep its time reasonable (POP3_KILL_ROUNDS overrides both). */
const ROUNDS = Number(process.env['POP3_KILL_ROUNDS'] ?? (process.env['CI'] === 'true' ? 30 : 50))
const INITIAL = 300
const PER_ROUND = 25
const MIN_KILL_DELAY_MS = 200
const MAX_KILL_DELAY_MS = 3000
/**
 * What each round waits for before the kill, in turn: a random delay, or until some account's check has
 * reached that phase (then 0–400 ms more). On a loaded machine random delays alone rarely get past
 * 'listing', so a third of the rounds aim at the commits, the DELEs and the moment after QUIT.
 */
const AIMS = ['time', 'downloading', 'time', 'deleting', 'time', 'done'] as const
const PHASES = ['connecting', 'listing', 'downloading', 'deleting', 'done']
const AIM_TIMEOUT_MS = 20_000

const POLICIES: Record<string, Pop3Retention> = {
  leave: { kind: 'leave' },
  days: { kind: 'delete-after-days', days: 0 },
  local: { kind: 'delete-when-deleted-locally' },
}
type PolicyName = keyof typeof POLICIES
const USERS = Object.keys(POLICIES) as PolicyName[]

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function roundMessage(user: string, round: number, i: number): Buffer {
  const id = `r${round}.${i}.${user}.${Math.random().toString(36).slice(2)}@kill.test`
  return Buffer.from(
    `From: Sender ${i} <s${i}@lab.test>\r\nTo: ${user}@lab.test\r\nSubject: round ${round} message ${i}\r\n` +
      `Message-ID: <${id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n` +
      `Body of ${id}\r\nFrom here on a line that mbox would quote.\r\n.leading dot\r\n`.repeat(20),
  )
}

/** sha256 of every message a fresh POP3 session sees (ends without QUIT). */
async function serverShas(lab: Lab, user: string): Promise<Set<string>> {
  const s = await openLabPop3Session(lab, user)
  try {
    const out = new Set<string>()
    for (const { n } of await s.list()) out.add(sha(await s.retr(n)))
    return out
  } finally {
    s.close()
  }
}

describe('POP3 never loses or duplicates mail when the browser or the core is SIGKILLed', () => {
  let lab: Lab
  let dir: string
  let host: HostProcess | undefined
  let browser: BrowserProcess | undefined
  const delivered = new Map<PolicyName, Set<string>>(USERS.map((u) => [u, new Set()]))
  const deletedLocally = new Set<string>()
  const ids = new Map<PolicyName, string>()
  let keepDir = true

  async function deliver(user: PolicyName, raws: Iterable<Buffer>): Promise<void> {
    const list = [...raws]
    for (const raw of list) delivered.get(user)!.add(sha(raw))
    await lab.loadMaildir(user, 'INBOX', list, { index: false })
  }

  beforeAll(async () => {
    lab = await startLab({ users: USERS.map((name) => ({ name })) })
    dir = await mkdtemp(join(tmpdir(), 'pop3-kill-'))
    await Promise.all(
      USERS.map((u, k) =>
        deliver(
          u,
          [...corpusForLab({ count: INITIAL, seed: 100 + k, size: 'small' })].map((m) => m.raw),
        ),
      ),
    )
  })
  afterAll(async () => {
    await browser?.kill()
    await host?.kill()
    await lab?.stop()
    // Kept for forensics when the store was reset or the test failed: the profile and core's spool.
    if (dir && !keepDir) await rm(dir, { recursive: true, force: true })
    else if (dir) process.stderr.write(`[pop3-kill] kept ${dir}\n`)
  })

  it(`${ROUNDS} rounds of random kills across three policies end with store = server`, async () => {
    const started = Date.now()
    const dataDir = join(dir, 'core')
    const profile = join(dir, 'profile')
    await mkdir(profile, { recursive: true })
    const port = await freePort()
    host = await startHost(dataDir, port)
    const rpc = await rpcTo(host)
    for (const u of USERS) {
      const { account } = await rpc.client.call(
        'accounts.add',
        labPop3Account(lab, u, { account: { name: `${u} (kill test)`, smtp: null, retention: POLICIES[u] } }),
      )
      ids.set(u, account.id)
    }
    rpc.close()
    const accountIds = USERS.map((u) => ids.get(u)!)

    const kills: {
      round: number
      target: 'browser' | 'core'
      aim: (typeof AIMS)[number]
      afterMs: number
      phases: Record<string, string>
      store: string | null
    }[] = []
    // Store identities seen, in order: a new one after the first means the browser's database was reset.
    const identities: string[] = []
    const noteIdentity = (id: string | null): void => {
      if (id !== null && identities.at(-1) !== id) identities.push(id)
    }
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(
        USERS.map((u) =>
          deliver(
            u,
            Array.from({ length: PER_ROUND }, (_, i) => roundMessage(u, round, i)),
          ),
        ),
      )
      host ??= await startHost(dataDir, port)
      browser ??= await launchProfile(profile)
      const loaded = Date.now()
      // From about:blank: a URL that differs only in its #token would be a same-document navigation.
      await browser.page.goto('about:blank')
      await browser.page.goto(host.url)
      if (round % 3 === 1) {
        for (const s of await deleteForGoodInPage(browser.page, ids.get('local')!, 3)) deletedLocally.add(s)
      }
      const aim = AIMS[round % AIMS.length]!
      if (aim === 'time') {
        const delay = MIN_KILL_DELAY_MS + Math.floor(Math.random() * (MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS))
        await sleep(Math.max(0, loaded + delay - Date.now()))
      } else {
        const wanted = PHASES.indexOf(aim)
        while (Date.now() - loaded < AIM_TIMEOUT_MS) {
          const now = await readPhases(browser.page, accountIds, loaded).catch(() => [])
          if (now.some((p) => PHASES.indexOf(p) >= wanted)) break
          await sleep(100)
        }
        await sleep(Math.floor(Math.random() * 400))
      }
      const phases = await readProgress(browser.page, accountIds).catch(() => ({}))
      const store = await readStoreIdentity(browser.page).catch(() => null)
      noteIdentity(store)
      const target = round % 3 === 2 ? 'core' : 'browser'
      kills.push({ round, target, aim, afterMs: Date.now() - loaded, phases, store })
      process.stderr.write(
        `[pop3-kill] round ${round} ${target} ${aim} +${Date.now() - loaded} ms store ${store?.slice(0, 8)} ` +
          `${JSON.stringify(phases)}\n`,
      )
      if (target === 'core') {
        await host.kill()
        host = undefined
      } else {
        await browser.kill()
        browser = undefined
      }
    }

    // Let it finish undisturbed: one full pass, then a second that must find nothing new.
    host ??= await startHost(dataDir, port)
    browser ??= await launchProfile(profile)
    const page = browser.page
    await settleTwice(
      page,
      host.url,
      accountIds.length,
      async (since) => {
        const store = await readStore(page, accountIds)
        return accountIds.map((id) => {
          const s = store[id]?.status
          return s?.state === 'idle' && (s.lastSuccessAt ?? 0) > since ? 'ok' : JSON.stringify(s)
        })
      },
      // Under a reset every account restores and re-downloads everything (~1,500 messages each).
      180_000,
    )
    const store = await readStore(page, accountIds)
    const finalStore = await readStoreIdentity(page)
    noteIdentity(finalStore)
    // Resets the test saw (the browser's database came back with a new identity) vs what core noticed.
    const storeResets = identities.length - 1
    const spool = Object.fromEntries(
      await Promise.all(USERS.map(async (u) => [u, await spoolState(dataDir, ids.get(u)!)] as const)),
    )
    for (const u of USERS) {
      // Core trusts exactly the store the user now has, and noticed a reset whenever there was one.
      expect({ u, trusted: spool[u]!.storeId }).toEqual({ u, trusted: finalStore })
      if (storeResets > 0) expect(spool[u]!.resets).toBeGreaterThan(0)
      expect(spool[u]!.dropped).toBe(0)
    }

    const summary: Record<string, unknown> = {}
    for (const u of USERS) {
      const account = store[ids.get(u)!]!
      const server = await serverShas(lab, u)
      const all = delivered.get(u)!
      const stored = account.rows.map((r) => r.sha)
      const storedSet = new Set(stored)
      const uidls = account.rows.map((r) => r.uidl)
      // No duplicate (by bytes or by UIDL), every stored row complete.
      expect({ u, duplicates: stored.length - storedSet.size }).toEqual({ u, duplicates: 0 })
      expect({ u, duplicateUidls: uidls.length - new Set(uidls).size }).toEqual({ u, duplicateUidls: 0 })
      expect(account.rows.every((r) => r.bodyState === 'full' && r.sha !== '')).toBe(true)
      // Downloads append to the account's body file (flushed before the commit that points rows at it).
      expect({ u, inTable: account.rows.filter((r) => !r.inFile).length }).toEqual({ u, inTable: 0 })
      // Deleted from the server only what is stored (or was stored and deleted for good by the user).
      const goneFromServer = [...all].filter((s) => !server.has(s))
      expect(goneFromServer.filter((s) => !storedSet.has(s) && !deletedLocally.has(s))).toEqual([])
      const locallyDeleted = [...all].filter((s) => deletedLocally.has(s))
      const expectedStore = [...all].filter((s) => !deletedLocally.has(s)).sort()
      // A reset store downloads again what the user had deleted locally but the server still had: back, not lost.
      const resurrected = [...storedSet].filter((s) => deletedLocally.has(s) && storeResets > 0)
      const kept = [...storedSet].filter((s) => !resurrected.includes(s)).sort()
      expect({ u, store: kept.length }).toEqual({ u, store: expectedStore.length })
      expect(kept).toEqual(expectedStore)
      if (u === 'leave') expect([...server].sort()).toEqual([...all].sort())
      if (u === 'days') expect(server.size).toBe(0)
      if (u === 'local') {
        expect(locallyDeleted.length).toBeGreaterThan(0)
        if (storeResets === 0) {
          expect([...server].sort()).toEqual(expectedStore)
          const marked = account.ledger.filter((l) => l.deletedLocallyAt !== null)
          expect(marked.length).toBe(locallyDeleted.length)
          expect(marked.every((l) => l.deletedFromServerAt !== null)).toBe(true)
        }
      }
      summary[u] = {
        delivered: all.size,
        stored: storedSet.size,
        onServer: server.size,
        deletedFromServer: goneFromServer.length,
        deletedLocally: locallyDeleted.length,
        resurrected: resurrected.length,
        core: spool[u],
      }
    }
    const report = {
      rounds: ROUNDS,
      storeResets,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      browserKills: kills.filter((k) => k.target === 'browser').length,
      coreKills: kills.filter((k) => k.target === 'core').length,
      phasesAtKill: kills.reduce<Record<string, number>>((acc, k) => {
        for (const p of Object.values(k.phases)) {
          const phase = p.split(' ')[0] ?? 'none'
          acc[phase] = (acc[phase] ?? 0) + 1
        }
        return acc
      }, {}),
      accounts: summary,
      kills,
    }
    await mkdir(E2E_OUTPUT, { recursive: true })
    await writeFile(join(E2E_OUTPUT, 'pop3-no-loss.json'), JSON.stringify(report, null, 2))
    keepDir = storeResets > 0 || process.env['POP3_KILL_KEEP'] === '1'
    console.log(JSON.stringify({ ...report, kills: undefined }))
  }, 900_000)
})
