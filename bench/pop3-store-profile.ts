// Where the time of a POP3 download goes: not part of `npm run bench`, a diagnostic for bench/pop3-store.ts.
//   npx tsx bench/pop3-store-profile.ts --n 1000 [--skip-rpc] [--no-profile] [--profile-page] [--page-prof FILE]
//   [--worker-prof FILE]   (--core-prof DIR: the core + RPC step's profile in DIR, the real path's in DIR/real)
//   [--span-days D]   (the mail's dates over D days, default 3 years)
// Starts its own lab with N messages and times the same work layer by layer (Chromium driven without
// Playwright, whose Network domain would copy every RPC frame: support/quiet-browser.ts):
//   1. core + RPC: the web host process, called over the WebSocket RPC from Node (no store): pop3.open,
//      pop3.list, then pop3.retr in the worker's batch sizes, one call after the other;
//   2. the real path (core → sync worker → IndexedDB), with a CPU profile of the sync worker (and with
//      --profile-page one of the page's main thread, which reacts to what the worker writes; --page-prof FILE
//      also writes that profile whole, for DevTools or a script; --worker-prof FILE the worker's) and a
//      timeline of rows landing in the store; CPU seconds per process and per renderer thread, and what
//      Chromium's browser process wrote.
// Prints a summary to stderr and one JSON object to stdout.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openPop3Session } from '../src/core/pop3'
import { labPop3Account } from '../src/lab/lab-accounts'
import { startLab, type Lab } from '../src/lab/lab'
import { MAIL_DB_NAME } from '../src/renderer/src/store/mail-db'
import { log } from './lib/result'
import { bytesWritten, cpuByKind, cpuSpent } from './support/cpu'
import { summarize, type Profile } from './support/cpu-profile'
import { workerSessions } from './support/quiet-browser'
import { coreClient, loadProfileCorpus, openQuietWebStore } from './support/web-store'
import { startWebHostProcess } from '../e2e/support/web-host-process'
import { coreProfileEnv } from './support/core-profile'

const secs = (ms: number): number => Math.round(ms) / 1000

/** The product's POP3 client in this process: login, LIST, then retrMany in the worker's batch sizes. */
async function coreOnly(lab: Lab, n: number, retr: boolean): Promise<Record<string, number>> {
  const user = lab.user('alice')
  const out: Record<string, number> = {}
  let t = performance.now()
  const s = await openPop3Session({
    host: lab.host,
    port: lab.ports.pop3s,
    tls: 'implicit',
    username: user.address,
    password: user.password,
    ca: [lab.caPem],
  })
  try {
    out.open_s = secs(performance.now() - t)
    t = performance.now()
    const ns = (await s.list()).map((e) => e.n).reverse()
    out.list_s = secs(performance.now() - t)
    t = performance.now()
    await s.uidl()
    out.uidl_s = secs(performance.now() - t)
    if (ns.length !== n) throw new Error(`LIST: ${ns.length} of ${n}`)
    if (!retr) return out
    t = performance.now()
    const cpu0 = process.cpuUsage()
    let got = 0
    for (let i = 0; i < ns.length; i += 250) {
      for await (const { body } of s.retrMany(ns.slice(i, i + 250))) {
        for await (const piece of body) void piece
        got++
      }
    }
    out.retr_batches_of_250_s = secs(performance.now() - t)
    const cpu = process.cpuUsage(cpu0)
    out.retr_cpu_s = secs((cpu.user + cpu.system) / 1000)
    if (got !== n) throw new Error(`retrMany: ${got} of ${n}`)
  } finally {
    s.close()
  }
  return out
}

async function coreRpc(
  lab: Lab,
  dir: string,
  n: number,
  retr: boolean,
  coreProfileDir: string | undefined,
): Promise<Record<string, number>> {
  const host = await startWebHostProcess({
    dataDir: join(dir, 'rpc-core'),
    env: coreProfileEnv(coreProfileDir),
  })
  const client = coreClient(host)
  const out: Record<string, number> = {}
  try {
    const { account } = await client.rpc.call('accounts.add', labPop3Account(lab, 'alice'))
    let t = performance.now()
    const { sessionId } = await client.rpc.call('pop3.open', { accountId: account.id })
    out.open_s = secs(performance.now() - t)
    t = performance.now()
    const listing = await client.rpc.call('pop3.list', { sessionId })
    out.list_s = secs(performance.now() - t)
    t = performance.now()
    await client.rpc.call('pop3.list', { sessionId })
    out.list_again_s = secs(performance.now() - t)
    if (listing.messages.length !== n) throw new Error(`pop3.list: ${listing.messages.length} of ${n}`)
    const ns = listing.messages.map((m) => m.n).reverse()
    if (!retr) return out
    t = performance.now()
    const roots = { core: host.child.pid! }
    const cpu0 = await cpuByKind(roots)
    const own0 = process.cpuUsage()
    let got = 0
    let bytes = 0
    for (let i = 0; i < ns.length; i += 250) {
      await client.rpc.call(
        'pop3.retr',
        { sessionId, ns: ns.slice(i, i + 250) },
        {
          onChunk: (c) => {
            bytes += c.bytes.byteLength
            if (c.end) got++
          },
        },
      )
    }
    out.retr_batches_of_250_s = secs(performance.now() - t)
    // CPU of core (RETR, sha256, the WebSocket) and of this process (the RPC client in the worker's place).
    out.retr_cpu_core_s = cpuSpent(cpu0, await cpuByKind(roots)).core ?? 0
    const own = process.cpuUsage(own0)
    out.retr_cpu_client_s = secs((own.user + own.system) / 1000)
    out.retr_mib = Math.round(bytes / 1024 / 102.4) / 10
    if (got !== n) throw new Error(`pop3.retr: ${got} of ${n}`)
    await client.rpc.call('pop3.close', { sessionId })
  } finally {
    client.close()
    await host.stop()
  }
  return out
}

interface Progress {
  phase: string
  done: number
  total: number
  startedAt: number
  updatedAt: number
}

const PROGRESS = `async (a) => {
  const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
  const db = await req(indexedDB.open(a.db))
  const out = []
  try {
    for (;;) {
      // The progress record only: counting the messages store would itself cost the browser process.
      const row = await req(db.transaction('syncState', 'readonly').objectStore('syncState').get(a.key))
      const p = row ? row.value : null
      out.push([Date.now() - a.t0, p && p.phase !== 'listing' ? p.done : 0, p ? p.phase : null])
      if (p && p.phase === 'done' && p.startedAt >= a.t0 - 1000) return { points: out, progress: p }
      if (Date.now() - a.t0 > a.timeoutMs) throw new Error('no finished check in time: ' + JSON.stringify(p))
      await new Promise((r) => setTimeout(r, 200))
    }
  } finally { db.close() }
}`

async function realPath(
  lab: Lab,
  dir: string,
  n: number,
  profile: boolean,
  rechecksWanted: number,
  profilePage: boolean,
  pageProfFile?: string,
  workerProfFile?: string,
  coreProfileDir?: string,
): Promise<object> {
  // Not Playwright: its Network domain would copy every RPC frame (support/quiet-browser.ts).
  const store = await openQuietWebStore(
    join(dir, 'real'),
    coreProfileEnv(coreProfileDir && join(coreProfileDir, 'real')),
  )
  try {
    // Later workers (the page is reloaded for the rechecks) are added to `workers` as they start.
    const workers = await workerSessions(store.page)
    const inWorker =
      (worker: string | undefined) =>
      (method: string, params: object = {}): Promise<unknown> => {
        if (worker === undefined) throw new Error('no worker target')
        return store.page.send(method, params, worker)
      }
    const send = inWorker(workers[0])
    const inPage = (method: string, params: object = {}): Promise<unknown> =>
      store.page.send(method, params, store.page.pageSession)
    if (profile) {
      await send('Profiler.enable')
      await send('Profiler.setSamplingInterval', { interval: 500 })
      await send('Profiler.start')
    }
    if (profilePage) {
      await inPage('Profiler.enable')
      await inPage('Profiler.setSamplingInterval', { interval: 500 })
      await inPage('Profiler.start')
    }
    const roots = { core: store.host.child.pid!, chromium: store.page.pid }
    const cpu0 = await cpuByKind(roots)
    const written0 = await bytesWritten(store.page.pid)
    const t0 = Date.now()
    const { account } = await store.rpc.call('accounts.add', labPop3Account(lab, 'alice'))
    const args = { db: MAIL_DB_NAME, key: `pop3-progress:${account.id}`, t0, timeoutMs: 60_000 + n * 60 }
    const { points, progress } = (await store.page.evaluate(`(${PROGRESS})(${JSON.stringify(args)})`)) as {
      points: [number, number, string | null][]
      progress: Progress
    }
    const cpu = profile ? ((await send('Profiler.stop')) as { profile: Profile }).profile : undefined
    const pageCpu = profilePage
      ? ((await inPage('Profiler.stop')) as { profile: Profile }).profile
      : undefined
    const cpuSeconds = cpuSpent(cpu0, await cpuByKind(roots))
    const written = (await bytesWritten(store.page.pid)) - written0
    if (pageCpu && pageProfFile) await writeFile(pageProfFile, JSON.stringify(pageCpu))
    if (cpu && workerProfFile) await writeFile(workerProfFile, JSON.stringify(cpu))
    log(`cpu seconds: ${JSON.stringify(cpuSeconds)}`)
    await dumpTimings(send)
    // Checks with nothing new, each after a page reload (the app checks at start), a few seconds apart.
    const rechecks: number[] = []
    for (let i = 0; i < rechecksWanted; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 3000))
      const t1 = Date.now()
      await store.page.navigate('about:blank')
      await store.page.navigate(store.host.url)
      const again = (await store.page.evaluate(
        `(${PROGRESS})(${JSON.stringify({ ...args, t0: t1 + 1000 })})`,
      )) as { progress: Progress }
      rechecks.push(secs(again.progress.updatedAt - again.progress.startedAt))
      log(`check with nothing new ${i + 1}: ${rechecks.at(-1)} s`)
      await dumpTimings(inWorker(workers.at(-1)))
    }
    if (progress.done !== n) throw new Error(`stored ${progress.done} of ${n}`)
    const phaseAt = (phase: string): number | null => points.find((p) => p[2] === phase)?.[0] ?? null
    return {
      check_s: secs(progress.updatedAt - progress.startedAt),
      cpu_s: cpuSeconds,
      // Bytes Chromium's browser process (IndexedDB's LevelDB) wrote during the download, in MB.
      browser_wrote_mb: Math.round(written / 1e5) / 10,
      downloading_at_s: secs(phaseAt('downloading') ?? NaN),
      first_row_s: secs(points.find((p) => p[1] > 0)?.[0] ?? NaN),
      all_rows_s: secs(points.find((p) => p[1] >= n)?.[0] ?? NaN),
      recheck_s: rechecks,
      timeline: points.filter((_, i) => i % 10 === 0).map((p) => [p[0], p[1]]),
      ...(cpu ? { worker_profile: summarize(cpu) } : {}),
      ...(pageCpu ? { page_profile: summarize(pageCpu) } : {}),
    }
  } finally {
    await store.close()
  }
}

async function dumpTimings(send: (method: string, params?: object) => Promise<unknown>): Promise<void> {
  const r = (await send('Runtime.evaluate', {
    expression: 'JSON.stringify(globalThis.__pop3Timings ?? null)',
    returnByValue: true,
  })) as { result: { value: string } }
  const ts = JSON.parse(r.result.value) as [string, number, number, number][] | null
  if (!ts || ts.length === 0) return
  const base = ts[0]![1]
  for (const [what, a, b, k] of ts) {
    log(
      `${what} ${k}: ${((a - base) / 1000).toFixed(3)} → ${((b - base) / 1000).toFixed(3)} (${((b - a) / 1000).toFixed(3)} s)`,
    )
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000' },
      'skip-rpc': { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      'profile-page': { type: 'boolean', default: false },
      'skip-real': { type: 'boolean', default: false },
      'skip-retr': { type: 'boolean', default: false },
      rechecks: { type: 'string', default: '1' },
      'span-days': { type: 'string' },
      'core-prof': { type: 'string' },
      'page-prof': { type: 'string' },
      'worker-prof': { type: 'string' },
    },
  })
  const n = Number(values.n)
  const dir = await mkdtemp(join(tmpdir(), 'pop3-store-profile-'))
  const lab = await startLab()
  try {
    await loadProfileCorpus(lab, n, values['span-days'] ? Number(values['span-days']) : undefined)
    let rpc = {}
    if (!values['skip-rpc']) {
      log('core only ...')
      log(JSON.stringify(await coreOnly(lab, n, !values['skip-retr'])))
      log('core + RPC ...')
      rpc = await coreRpc(lab, dir, n, !values['skip-retr'], values['core-prof'])
      log(JSON.stringify(rpc))
    }
    if (values['skip-real']) return
    log('real path ...')
    const real = await realPath(
      lab,
      dir,
      n,
      !values['no-profile'],
      Number(values.rechecks),
      values['profile-page'] || values['page-prof'] !== undefined,
      values['page-prof'],
      values['worker-prof'],
      values['core-prof'],
    )
    process.stdout.write(JSON.stringify({ n, rpc, real }, null, 1) + '\n')
  } finally {
    await lab.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
