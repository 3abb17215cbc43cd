// Diagnostic: the product's POP3 core (src/core/pop3, retrMany in the sync worker's batches of 250) against
// the bare RETR loop of bench/pop3-raw.ts, alternated over the same maildrop in one lab, with wall and CPU
// time of this process. Optional CPU profile of the core rounds.
//   npx tsx bench/pop3-core-vs-raw.ts --n 10000 --rounds 3 [--core-first] [--profile PREFIX]

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'
import { openPop3Session } from '../src/core/pop3'
import { startLab } from '../src/lab/lab'
import { loadInboxContext, type BenchContext } from './lib/context'
import { downloadAll } from './pop3-raw'
import { log } from './lib/result'

async function core(ctx: BenchContext): Promise<number> {
  const { lab, user, n } = ctx
  const s = await openPop3Session({
    host: lab.host,
    port: lab.ports.pop3s,
    tls: 'implicit',
    username: user.address,
    password: user.password,
    ca: [lab.caPem],
  })
  let bytes = 0
  try {
    // Newest first, like the sync worker.
    const ns = (await s.list()).map((e) => e.n).reverse()
    await s.uidl()
    if (ns.length !== n) throw new Error(`LIST: ${ns.length} of ${n}`)
    for (let i = 0; i < ns.length; i += 250) {
      for await (const { body } of s.retrMany(ns.slice(i, i + 250))) {
        for await (const piece of body) bytes += piece.length
      }
    }
    await s.rset()
    await s.quit()
  } finally {
    s.close()
  }
  return bytes
}

async function timedCpu(f: () => Promise<unknown>): Promise<string> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const bytes = await f()
  const wall = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  const mib = typeof bytes === 'number' ? `, ${(bytes / 1048576).toFixed(1)} MiB` : ''
  return `${wall.toFixed(2)} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s cpu${mib}`
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '2' },
      profile: { type: 'string' },
      'core-first': { type: 'boolean', default: false },
    },
  })
  const n = Number(values.n)
  const tmp = await mkdtemp(join(tmpdir(), 'pop3-core-vs-raw-'))
  const lab = await startLab()
  try {
    const { ctx } = await loadInboxContext(lab, n, tmp)
    const signal = new AbortController().signal
    const raw = (): Promise<void> => downloadAll(ctx, signal)
    // The first session on a freshly loaded maildrop may pay for Dovecot's index: timed apart, not compared.
    const first = values['core-first'] ? () => core(ctx) : raw
    log(`first session (${values['core-first'] ? 'core' : 'raw'}): ${await timedCpu(first)}`)
    const session = values.profile ? new Session() : undefined
    if (session) {
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 200 })
    }
    for (let r = 0; r < Number(values.rounds); r++) {
      log(`raw  ${r + 1}: ${await timedCpu(raw)}`)
      if (session) await session.post('Profiler.start')
      log(`core ${r + 1}: ${await timedCpu(() => core(ctx))}`)
      if (session) {
        const { profile } = await session.post('Profiler.stop')
        await writeFile(`${values.profile}.${r + 1}.cpuprofile`, JSON.stringify(profile))
      }
    }
  } finally {
    await lab.stop()
    await rm(tmp, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
