// pop3-store: the product's POP3 download through the real path — core (web host) → sync worker →
// IndexedDB in Debian's Chromium — timed by the worker's own progress record (connect to the last durable
// commit and QUIT). Reference: the bare pipelined RETR loop of pop3-download, in the same run.
// pop3-store-recheck: a check with nothing new, vs a bare login + UIDL + QUIT: Send/Receive (F9) in the running
// app, from the key press to the end of the pass (the account's lastSuccessAt), median of a few; also the
// check the app runs by itself when it starts (page reload), from its own start to its last progress record.

import { freePort, rpcTo, startHost, type HostProcess } from '../e2e/support/kill-harness'
import { assertCount, type Bench, type BenchContext } from './lib/context'
import { RawPop3 } from './lib/pop3-client'
import { log, timed } from './lib/result'
import { pop3Download } from './pop3-raw'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchQuietBrowser, type QuietBrowser } from './support/quiet-browser'
import { statusKey } from '../src/renderer/src/sync/engine/account-status'

interface Progress {
  phase: string
  done: number
  total: number
  startedAt: number
  updatedAt: number
}

/** The worker's progress record for the account, read from IndexedDB in the page. */
async function progressOf(page: QuietBrowser, accountId: string): Promise<Progress | null> {
  const script = `(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'harbor-mail')) return null
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const row = await new Promise((ok, fail) => {
      const r = db.transaction('syncState').objectStore('syncState').get(${JSON.stringify(`pop3-progress:${accountId}`)})
      r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error)
    })
    db.close()
    return row ? row.value : null
  })()`
  return page.evaluate<Progress | null>(script)
}

/** Waits for a pass that started after `after` to reach 'done'; returns its seconds (worker clock). */
async function passSeconds(
  page: QuietBrowser,
  accountId: string,
  after: number,
  signal: AbortSignal,
): Promise<Progress> {
  for (;;) {
    signal.throwIfAborted()
    const p = await progressOf(page, accountId).catch(() => null)
    if (p && p.phase === 'done' && p.startedAt >= after) return p
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * Presses F9 (Send/Receive, as a user asks for it) and waits in the page for the pass it starts to end;
 * returns seconds from the key press to the account's lastSuccessAt (both Date.now() on this machine).
 */
async function sendReceive(page: QuietBrowser, accountId: string, signal: AbortSignal): Promise<number> {
  const script = (since: number): string => `(async () => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const db = await req(indexedDB.open('harbor-mail'))
    try {
      for (let i = 0; i < 2400; i++) {
        const row = await req(db.transaction('syncState').objectStore('syncState').get(${JSON.stringify(statusKey(accountId))}))
        const s = row && row.value
        if (s && s.state === 'error') throw new Error('check failed: ' + JSON.stringify(s.error))
        if (s && s.state === 'idle' && s.lastSuccessAt >= ${since}) return s.lastSuccessAt
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('no pass ended within 60 s of F9')
    } finally { db.close() }
  })()`
  signal.throwIfAborted()
  const t0 = Date.now()
  await page.press('F9', 120)
  return ((await page.evaluate<number>(script(t0))) - t0) / 1000
}

/** Waits until the account's status has not changed for `quietMs` (no pass running or queued). */
async function waitQuiet(page: QuietBrowser, accountId: string, quietMs: number): Promise<void> {
  const read = `(async () => {
    const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const db = await req(indexedDB.open('harbor-mail'))
    try {
      const row = await req(db.transaction('syncState').objectStore('syncState').get(${JSON.stringify(statusKey(accountId))}))
      return row ? JSON.stringify(row.value) : 'none'
    } finally { db.close() }
  })()`
  let last = ''
  let since = Date.now()
  for (let i = 0; i < 600; i++) {
    const now = await page.evaluate<string>(read)
    if (now !== last) [last, since] = [now, Date.now()]
    else if (now.includes('"state":"idle"') && Date.now() - since >= quietMs) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the account never went quiet: ${last}`)
}

/** Send/Receive presses per run; the median is the bench's figure. */
const SEND_RECEIVE_ROUNDS = 5

interface StoreRun {
  first: number
  /** The check the app runs when it starts (page reload), its own start to its last progress record. */
  startup: number
  /** Send/Receive in the running app, key press to the end of the pass, one per round. */
  sendReceive: number[]
  /** CPU seconds of the first check (page load to done) by process kind: where the time goes. */
  cpu: Record<string, number>
}

let run: Promise<StoreRun> | undefined

async function downloadIntoStore(ctx: BenchContext, signal: AbortSignal): Promise<StoreRun> {
  let host: HostProcess | undefined
  let browser: QuietBrowser | undefined
  try {
    // BENCH_APP_ROOT: another checkout's core and renderer (ab-builds comparing two trees).
    host = await startHost(
      await ctx.scratch('pop3-store-core'),
      await freePort(),
      process.env['BENCH_APP_ROOT'] ?? undefined,
    )
    const rpc = await rpcTo(host)
    const { account } = await rpc.client.call('accounts.add', {
      account: {
        kind: 'pop3',
        name: 'bench',
        email: ctx.user.address,
        incoming: { host: ctx.lab.host, port: ctx.lab.ports.pop3s, tls: 'implicit', username: ctx.user.name },
        smtp: null,
        trustedCaPem: ctx.lab.caPem,
      },
      secrets: { incomingPassword: ctx.user.password },
    })
    rpc.close()
    // Not Playwright: its DevTools Network events would copy every WebSocket frame (support/quiet-browser.ts).
    browser = await launchQuietBrowser(await ctx.scratch('pop3-store-profile'))
    const roots = { core: host.child.pid!, chromium: browser.pid }
    const cpu0 = await cpuByKind(roots)
    const t0 = Date.now()
    await browser.navigate(host.url)
    const first = await passSeconds(browser, account.id, t0 - 1000, signal)
    const cpu = cpuSpent(cpu0, await cpuByKind(roots))
    assertCount('pop3-store', first.done, ctx.n)
    log(`pop3-store: page load to done ${((Date.now() - t0) / 1000).toFixed(2)} s wall`)
    const t1 = Date.now()
    await browser.navigate('about:blank')
    await browser.navigate(host.url)
    const startup = await passSeconds(browser, account.id, t1, signal)
    assertCount('pop3-store-recheck (new)', startup.total, 0)
    await waitQuiet(browser, account.id, 1500)
    const rounds: number[] = []
    for (let i = 0; i < SEND_RECEIVE_ROUNDS; i++) {
      await new Promise((r) => setTimeout(r, 500))
      rounds.push(await sendReceive(browser, account.id, signal))
    }
    const last = await progressOf(browser, account.id)
    assertCount('pop3-store-recheck (new, Send/Receive)', last?.total ?? -1, 0)
    log(`pop3-store-recheck: Send/Receive ${rounds.map((r) => r.toFixed(3)).join(' ')} s`)
    return {
      first: (first.updatedAt - first.startedAt) / 1000,
      startup: (startup.updatedAt - startup.startedAt) / 1000,
      sendReceive: rounds,
      cpu,
    }
  } finally {
    await browser?.close()
    await host?.kill()
  }
}

async function uidlOnly(ctx: BenchContext, signal: AbortSignal): Promise<void> {
  const pop = await RawPop3.open(ctx.lab.ports.pop3s, ctx.lab.caPem, signal)
  try {
    await pop.command(`USER ${ctx.user.name}`)
    await pop.command(`PASS ${ctx.user.password}`)
    await pop.command('UIDL', true)
    await pop.command('QUIT')
  } finally {
    pop.close()
  }
}

function downloadResult({ first, cpu }: StoreRun): { seconds: number; extra: Record<string, number> } {
  return {
    seconds: first,
    extra: {
      core_cpu_s: cpu['core'] ?? 0,
      browser_cpu_s: cpu['chromium'] ?? 0,
      renderer_cpu_s: cpu['chromium:renderer'] ?? 0,
      // The renderer's CPU by thread: the sync worker (its Web Worker threads) and the page's main thread.
      worker_cpu_s: cpu['chromium:renderer#DedicatedWorker'] ?? 0,
      page_cpu_s: cpu['chromium:renderer#chromium'] ?? 0,
    },
  }
}

export const pop3Store: Bench = {
  name: 'pop3-store',
  ref: 'pop3-raw',
  reference: pop3Download.reference,
  ours: async (ctx, signal) => downloadResult(await (run ??= downloadIntoStore(ctx, signal))),
}

/** pop3-store with a fresh run each call (pop3Store shares one run with pop3-store-recheck): for ab-builds. */
export const pop3StoreEachRun: Bench = {
  ...pop3Store,
  ours: async (ctx, signal) => downloadResult(await downloadIntoStore(ctx, signal)),
}

export const pop3StoreRecheck: Bench = {
  name: 'pop3-store-recheck',
  ref: 'pop3-raw',
  reference: (ctx, signal) => timed(() => uidlOnly(ctx, signal)),
  ours: async (ctx, signal) => {
    const r = await (run ??= downloadIntoStore(ctx, signal))
    const sorted = [...r.sendReceive].sort((a, b) => a - b)
    return {
      seconds: sorted[Math.floor(sorted.length / 2)]!,
      extra: {
        send_receive_s: r.sendReceive.map((s) => s.toFixed(3)).join(' '),
        startup_check_s: Math.round(r.startup * 1000) / 1000,
      },
    }
  },
}
