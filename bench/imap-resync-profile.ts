// Where the time of a no-change IMAP resync goes: not part of `npm run bench`, a diagnostic for
// imap-store-resync.
//   npx tsx bench/imap-resync-profile.ts --n 10000 [--policy all|on-open] [--rounds 5] [--during-background | --during-words]
// Starts its own lab with N messages in INBOX, adds the account to the app (web host + Chromium, as the store
// benches do) and waits until it is quiet. Then, each round: Send/Receive (F9) as a user presses it, and the
// sync worker's timeline of that pass (`globalThis.__imapTimings`, sync/imap/pass-timeline.ts) printed step by
// step from the key press; then core's part alone: `imap.folders` called over the RPC from Node.
// Prints the steps to stderr and one JSON object to stdout.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { corpusForLab } from '../src/lab/corpus'
import { startLab } from '../src/lab/lab'
import type { TimelineEntry } from '../src/renderer/src/sync/engine/step-timeline'
import type { BodyPolicy } from '../src/shared/model/account'
import { log, median } from './lib/result'
import { workerSessions, type QuietBrowser } from './support/quiet-browser'
import { addLabImapAccount, countInStore, openQuietWebStore, waitQuiet, watchPass } from './support/web-store'

const ms = (x: number): number => Math.round(x * 10) / 10

async function timingsOf(
  page: QuietBrowser,
  workers: string[],
  key: '__imapTimings' | '__idleTimings' = '__imapTimings',
): Promise<TimelineEntry[]> {
  for (const sessionId of workers) {
    const r = await page.send<{ result: { value?: string } }>(
      'Runtime.evaluate',
      { expression: `JSON.stringify(globalThis.${key} ?? null)`, returnByValue: true },
      sessionId,
    )
    const entries = JSON.parse(r.result.value ?? 'null') as TimelineEntry[] | null
    if (entries && entries.length > 0) return entries
  }
  return []
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '10000' },
      policy: { type: 'string', default: 'all' },
      rounds: { type: 'string', default: '5' },
      // Press F9 while the work after the first pass (snippets, search words) still runs.
      'during-background': { type: 'boolean', default: false },
      // … once the snippets are in: F9 while the search words are being filled.
      'during-words': { type: 'boolean', default: false },
    },
  })
  const n = Number(values.n)
  const policy: BodyPolicy = values.policy === 'on-open' ? { kind: 'on-open' } : { kind: 'all' }
  const dir = await mkdtemp(join(tmpdir(), 'imap-resync-profile-'))
  const lab = await startLab()
  try {
    const user = lab.user('alice')
    await lab.loadMaildir(
      user.name,
      'INBOX',
      corpusForLab({ count: n, seed: 1, domain: lab.domain, users: [user.address] }),
    )
    const store = await openQuietWebStore(dir)
    try {
      const t0 = Date.now()
      const accountId = await addLabImapAccount(store.rpc, lab, user.name, policy)
      const first = await watchPass(store.page, { accountId, since: t0, timeoutMs: 120_000 + n * 40 })
      log(`first pass ${((first.doneAt - t0) / 1000).toFixed(2)} s`)
      // The work after a pass (snippets, then search words: engine/idle-work.ts) steps aside when a pass
      // starts, but its transaction in flight does not: the resync is timed once it is all done, as in
      // imap-store-resync (which runs after imap-store-full waited for it).
      const during = values['during-background'] || values['during-words']
      const waitFor = values['during-words'] ? ['snippets'] : during ? [] : ['snippets', 'messageWords']
      for (const table of waitFor) {
        while ((await countInStore(store.page, table)) < n) await new Promise((r) => setTimeout(r, 200))
      }
      if (!values['during-words']) await waitQuiet(store.page, accountId, 1_500, 120_000)
      const since = `${((Date.now() - t0) / 1000).toFixed(2)} s`
      log(
        during
          ? `${values['during-words'] ? 'snippets in' : 'quiet'} at ${since}, background work running`
          : `background done ${since} (${((Date.now() - first.doneAt) / 1000).toFixed(2)} s after the first pass)`,
      )
      const workers = await workerSessions(store.page, 1_000)
      // The background work's steps so far (the last few hundred), by kind: how long each held the store.
      const byKind = new Map<string, { ms: number[]; rows: number }>()
      for (const [what, start, end, rows] of await timingsOf(store.page, workers, '__idleTimings')) {
        const k = byKind.get(what) ?? { ms: [], rows: 0 }
        k.ms.push(end - start)
        k.rows += rows
        byKind.set(what, k)
      }
      for (const [what, k] of byKind) {
        log(
          `background ${what}: ${k.ms.length}× (${k.rows} rows), median ${ms(median(k.ms))} ms, ` +
            `max ${ms(Math.max(...k.ms))} ms, total ${ms(k.ms.reduce((a, b) => a + b, 0))} ms`,
        )
      }
      const passes: number[] = []
      const steps: Record<string, number[]> = {}
      for (let round = 0; round < Number(values.rounds); round++) {
        await new Promise((r) => setTimeout(r, 500))
        const pressed = Date.now()
        await store.page.press('F9', 120)
        const { doneAt } = await watchPass(store.page, { accountId, since: pressed, timeoutMs: 60_000 })
        passes.push(doneAt - pressed)
        const entries = await timingsOf(store.page, workers)
        log(`round ${round + 1}: ${doneAt - pressed} ms`)
        let last = pressed
        const seen = new Map<string, number>()
        for (const [step, start, end] of entries) {
          // The first entry starts when the worker began the sync: the key press and the window's message
          // to the worker come before it.
          if (last === pressed) {
            log(
              `  ${ms(start - pressed)
                .toFixed(1)
                .padStart(6)} ms  F9 → worker starts the pass`,
            )
            ;(steps['F9 → worker'] ??= []).push(start - pressed)
          }
          const k = seen.get(step) ?? 0
          seen.set(step, k + 1)
          const name = k === 0 ? step : `${step} #${k + 1}`
          log(
            `  ${ms(end - start)
              .toFixed(1)
              .padStart(6)} ms  ${name}`,
          )
          ;(steps[name] ??= []).push(end - start)
          last = end
        }
        log(
          `  ${ms(doneAt - last)
            .toFixed(1)
            .padStart(6)} ms  (after the last mark)`,
        )
        // The background work's store reads and writes (engine/idle-timeline.ts) that overlap the pass.
        const idle = (await timingsOf(store.page, workers, '__idleTimings')).filter(
          ([, start, end]) => end > pressed && start < doneAt,
        )
        for (const [what, start, end, rows] of idle) {
          log(`    background ${what} (${rows} rows): ${ms(start - pressed)} → ${ms(end - pressed)} ms`)
        }
        // Each step of the pass that began while a background step was under way and ended after it:
        // how long that background step ran and how soon after its end the pass's step ended.
        for (const [step, start, end] of entries) {
          const behind = idle.find(([, s, e]) => s < start && e > start && e <= end)
          if (!behind || end - start < 5) continue
          log(
            `    ${step} (${ms(end - start)} ms) was asked ${ms(start - behind[1])} ms into background ` +
              `${behind[0]} (${behind[3]} rows, ${ms(behind[2] - behind[1])} ms), ended ${ms(end - behind[2])} ms after it`,
          )
          ;(steps[`${step}: behind background ${behind[0]}`] ??= []).push(end - start)
        }
      }
      const folders: number[] = []
      for (let i = 0; i < Number(values.rounds); i++) {
        const t = performance.now()
        await store.rpc.call('imap.folders', { accountId })
        folders.push(performance.now() - t)
      }
      log(`imap.folders over RPC from Node: ${folders.map((x) => ms(x)).join(', ')} ms`)
      const out = {
        n,
        policy: policy.kind,
        pass_ms: passes,
        pass_median_ms: median(passes),
        steps_median_ms: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, ms(median(v))])),
        imap_folders_rpc_ms: folders.map(ms),
      }
      process.stdout.write(JSON.stringify(out, null, 1) + '\n')
    } finally {
      await store.close()
    }
  } finally {
    await lab.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
