// npm run bench [-- --n 1000] [--only imap-headers,pop3-download]
// Starts a private mail lab, loads N generated messages (default 10000, or BENCH_N) into one user's
// INBOX, runs every reference bench and prints one JSON line per bench on stdout. The lab and all
// temp dirs are removed at the end, also on failure, timeout or Ctrl-C.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startLab, type Lab } from '../src/lab/lab'
import { fetchmailBenches } from './fetchmail'
import { imapFull, imapHeaders } from './imap-raw'
import { loadInboxContext, type Bench } from './lib/context'
import { benchLine, emit, log } from './lib/result'
import { withTimeout } from './lib/timeout'
import { imapStoreBenches } from './imap-store'
import { mbsyncBenches } from './mbsync'
import { notmuchBenches } from './notmuch'
import { pop3Download } from './pop3-raw'
import { pop3Store, pop3StoreRecheck } from './pop3-store'

// IMAP runs before POP3: a POP3 session may mark messages \Seen, which would change what IMAP reads.
function allBenches(): Bench[] {
  return [
    imapHeaders,
    imapFull,
    ...mbsyncBenches(),
    ...imapStoreBenches(),
    pop3Download,
    ...fetchmailBenches(),
    pop3Store,
    pop3StoreRecheck,
    ...notmuchBenches(),
  ]
}

/** Generous but finite: ~10 min at 10k, scaling with N. */
function timeoutMs(n: number): number {
  return 120_000 + n * 50
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { n: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string', default: '1' } },
  })
  const n = Number(values.n ?? process.env.BENCH_N ?? 10_000)
  if (!Number.isInteger(n) || n < 1) throw new Error('--n / BENCH_N must be a positive integer')
  const only = values.only?.split(',').filter(Boolean)
  const benches = allBenches().filter((b) => !only || only.includes(b.name))
  if (benches.length === 0) throw new Error(`no bench matches --only ${values.only}`)

  const tmp = await mkdtemp(join(tmpdir(), 'mail-bench-'))
  let lab: Lab | undefined
  const cleanup = async (): Promise<void> => {
    for (const bench of benches)
      await bench.cleanup?.().catch((e: unknown) => log(`${bench.name} cleanup failed: ${String(e)}`))
    await lab?.stop().catch((e: unknown) => log(`lab stop failed: ${String(e)}`))
    await rm(tmp, { recursive: true, force: true })
  }
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`${sig}: cleaning up`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let failed = 0
  try {
    log(`starting lab`)
    lab = await startLab()
    log(`lab up in ${lab.startMs} ms; loading ${n} messages into ${lab.user('alice').address} INBOX`)
    const { ctx, loaded } = await loadInboxContext(lab, n, tmp, Number(values.seed))
    log(
      `loaded ${loaded.count} messages, ${(loaded.bytes / 1024 / 1024).toFixed(1)} MiB in ${(loaded.ms / 1000).toFixed(1)} s`,
    )

    for (const bench of benches) {
      log(`${bench.name} (${bench.ref}) ...`)
      try {
        const refS = await withTimeout(timeoutMs(n), bench.name, (signal) => bench.reference(ctx, signal))
        const ours = bench.ours
          ? await withTimeout(timeoutMs(n), `${bench.name} (ours)`, (signal) => bench.ours!(ctx, signal))
          : null
        const oursS = typeof ours === 'number' ? ours : (ours?.seconds ?? null)
        const extra = typeof ours === 'number' ? {} : ours?.extra
        log(`${bench.name}: ref ${refS.toFixed(3)} s${oursS === null ? '' : `, ours ${oursS.toFixed(3)} s`}`)
        emit(benchLine(bench.name, n, bench.ref, refS, oursS, undefined, extra))
      } catch (e) {
        failed++
        const message = e instanceof Error ? e.message : String(e)
        log(`${bench.name} FAILED: ${message}`)
        emit(benchLine(bench.name, n, bench.ref, null, null, message.split('\n')[0]))
      }
    }
  } finally {
    await cleanup()
  }
  return failed === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    process.exit(1)
  },
)
