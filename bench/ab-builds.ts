// Two builds of the app against each other in ONE lab, interleaved, so machine load hits both alike:
//   npx tsx bench/ab-builds.ts --a main --b my-branch [--bench imap-store-headers|…|pop3-store] [--n 10000] [--rounds 3]
// --a / --b each name one of:
//   - a git ref (branch, commit): checked out (detached) into a temporary worktree and built there; its core
//     and its renderer are compared (node_modules is this checkout's);
//   - a checkout directory with a build (src/web/cli.ts and out/renderer): the same, without the build step;
//   - a copy of a built out/renderer (`npm run build && cp -r out/renderer /tmp/a`): only the renderer and sync
//     worker differ, core runs from this checkout's sources.
// Each round runs the bench's reference once, then ours with build A and with build B (order alternating by
// round). Prints one JSON line per run.

import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startLab } from '../src/lab/lab'
import { imapStoreBenches } from './imap-store'
import { pop3StoreEachRun } from './pop3-store'
import { loadInboxContext } from './lib/context'
import { log } from './lib/result'
import { prepareBuild, removeBuilds } from './lib/trees'

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    bench: { type: 'string', default: 'imap-store-headers' },
    n: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
  },
})

async function main(): Promise<void> {
  if (!values.a || !values.b)
    throw new Error('--a and --b (git refs, checkouts or out/renderer copies) are required')
  const tmp = await mkdtemp(join(tmpdir(), 'ab-builds-'))
  const builds = { A: await prepareBuild(values.a, tmp, 'A'), B: await prepareBuild(values.b, tmp, 'B') }
  const outRenderer = resolve(import.meta.dirname, '../out/renderer')
  const n = Number(values.n)
  const bench = [...imapStoreBenches(), pop3StoreEachRun].find((b) => b.name === values.bench)
  if (!bench?.ours) throw new Error(`no store bench named ${values.bench}`)
  const lab = await startLab()
  try {
    const { ctx } = await loadInboxContext(lab, n, tmp)
    const signal = new AbortController().signal
    for (let round = 0; round < Number(values.rounds); round++) {
      // The reference in fresh scratch too: mbsync into last round's Maildir would be a resync.
      const refS = await bench.reference(
        { ...ctx, scratch: (dir: string) => ctx.scratch(`${dir}-ref${round + 1}`) },
        signal,
      )
      for (const name of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        const build = builds[name]
        if (build.kind === 'renderer') {
          delete process.env['BENCH_APP_ROOT']
          await rm(outRenderer, { recursive: true, force: true })
          await cp(build.dir, outRenderer, { recursive: true })
        } else {
          process.env['BENCH_APP_ROOT'] = build.root
        }
        log(`round ${round + 1}: build ${name} ...`)
        // A fresh scratch dir per run: the store bench keeps its browser profile and core data there, and a
        // reused one would start with the previous run's account (and sync it too).
        const runCtx = { ...ctx, scratch: (dir: string) => ctx.scratch(`${dir}-${round + 1}${name}`) }
        const ours = await bench.ours(runCtx, signal)
        const oursS = typeof ours === 'number' ? ours : ours.seconds
        const extra = typeof ours === 'number' ? {} : (ours.extra ?? {})
        const line = {
          bench: bench.name,
          build: name,
          round: round + 1,
          n,
          ours_s: oursS,
          ref_s: refS,
          ratio: +(oursS / refS).toFixed(2),
          ...extra,
        }
        process.stdout.write(JSON.stringify(line) + '\n')
      }
    }
  } finally {
    await bench.cleanup?.()
    await lab.stop()
    removeBuilds(Object.values(builds), tmp)
    await rm(tmp, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
