// pop3-store: the product's POP3 download through the real path — core (web host) → sync worker →
// IndexedDB in Debian's Chromium — timed by the worker's own progress record (connect to the last durable
// commit and QUIT). Reference: the bare pipelined RETR loop of pop3-download, in the same run.
// pop3-store-recheck: a second check with nothing new, vs a bare login + UIDL + QUIT.

import { freePort, rpcTo, startHost, type HostProcess } from '../e2e/support/kill-harness'
import { assertCount, type Bench, type BenchContext } from './lib/context'
import { RawPop3 } from './lib/pop3-client'
import { log, timed } from './lib/result'
import { pop3Download } from './pop3-raw'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchQuietBrowser, type QuietBrowser } from './support/quiet-browser'

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

interface StoreRun {
  first: number
  second: number
  /** CPU seconds of the first check (page load to done) by process kind: where the time goes. */
  cpu: Record<string, number>
}

let run: Promise<StoreRun> | undefined

async function downloadIntoStore(ctx: BenchContext, signal: AbortSignal): Promise<StoreRun> {
  let host: HostProcess | undefined
  let browser: QuietBrowser | undefined
  try {
    host = await startHost(await ctx.scratch('pop3-store-core'), await freePort())
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
    const second = await passSeconds(browser, account.id, t1, signal)
    assertCount('pop3-store-recheck (new)', second.total, 0)
    return {
      first: (first.updatedAt - first.startedAt) / 1000,
      second: (second.updatedAt - second.startedAt) / 1000,
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

export const pop3Store: Bench = {
  name: 'pop3-store',
  ref: 'pop3-raw',
  reference: pop3Download.reference,
  ours: async (ctx, signal) => {
    const { first, cpu } = await (run ??= downloadIntoStore(ctx, signal))
    return {
      seconds: first,
      extra: {
        core_cpu_s: cpu['core'] ?? 0,
        browser_cpu_s: cpu['chromium'] ?? 0,
        renderer_cpu_s: cpu['chromium:renderer'] ?? 0,
      },
    }
  },
}

export const pop3StoreRecheck: Bench = {
  name: 'pop3-store-recheck',
  ref: 'pop3-raw',
  reference: (ctx, signal) => timed(() => uidlOnly(ctx, signal)),
  ours: async (ctx, signal) => (await (run ??= downloadIntoStore(ctx, signal))).second,
}
