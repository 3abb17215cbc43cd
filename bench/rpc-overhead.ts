// What the RPC adds to core's work, measured in ONE invocation with rounds alternating (timings on this machine
// swing more between runs than the costs compared):
//   npx tsx bench/rpc-overhead.ts [--n 10000] [--rounds 3] [--trees main,my-branch] [--only imap-headers,imap-bodies,pop3]
// Per round: core alone in this process (the product's fetchHeaders / fetchMessageSources / POP3 retrMany with
// the SHA-256 core computes), then each tree's web host called over the WebSocket RPC from Node the way the
// sync worker calls it (no store): imap.headers without snippets in one streaming call; imap.bodies in calls of
// 200 UIDs on two lanes; pop3.retr in calls of 250, one after the other. `--trees` takes git refs or checkout
// directories (bench/lib/trees.ts); default: this checkout. Prints one JSON line per measurement: wall seconds,
// CPU seconds of core (the web host's process tree) and of this process (the client, in the worker's place).
// Mind JIT warm-up: core alone runs in this process, warm from round 2 on, while every core + RPC run is a fresh
// web host (cold): round 1 compares cold with cold (~0.5-1 s of CPU apart at 10k headers).

import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ImapConnectionManager } from '../src/core/imap/connection-manager'
import { fetchHeaders } from '../src/core/imap/fetch-headers'
import { fetchMessageSources } from '../src/core/imap/fetch-source'
import { openPop3Session } from '../src/core/pop3'
import { corpusForLab } from '../src/lab/corpus'
import { labPop3Account } from '../src/lab/lab-accounts'
import { startLab, type Lab } from '../src/lab/lab'
import type { RpcClient } from '../src/shared/rpc/client'
import { startWebHostProcess } from '../e2e/support/web-host-process'
import { log } from './lib/result'
import { prepareBuild, removeBuilds, type Build } from './lib/trees'
import { cpuByKind, cpuSpent } from './support/cpu'
import { addLabImapAccount, coreClient } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    trees: { type: 'string' },
    only: { type: 'string', default: 'imap-headers,imap-bodies,pop3' },
  },
})
const secs = (ms: number): number => Math.round(ms) / 1000
const only = new Set(values.only.split(','))

interface Measured {
  wall_s: number
  core_cpu_s: number
  client_cpu_s: number
}

/** Times `work`, with CPU seconds of this process and (when given) of the core process tree. */
async function measure(corePid: number | undefined, work: () => Promise<void>): Promise<Measured> {
  const roots: Record<string, number> = corePid === undefined ? {} : { core: corePid }
  const core0 = await cpuByKind(roots)
  const own0 = process.cpuUsage()
  const t = performance.now()
  await work()
  const wall = performance.now() - t
  const own = process.cpuUsage(own0)
  const ownS = secs((own.user + own.system) / 1000)
  return {
    wall_s: secs(wall),
    core_cpu_s: corePid === undefined ? ownS : (cpuSpent(core0, await cpuByKind(roots)).core ?? 0),
    client_cpu_s: corePid === undefined ? 0 : ownS,
  }
}

function check(what: string, got: number, n: number): void {
  if (got !== n) throw new Error(`${what}: ${got} of ${n}`)
}

async function coreAlone(lab: Lab, n: number, emit: (what: string, m: Measured) => void): Promise<void> {
  const user = lab.user('alice')
  const config = { host: lab.host, username: user.address, password: user.password, ca: [lab.caPem] }
  if (only.has('imap-headers') || only.has('imap-bodies')) {
    const manager = new ImapConnectionManager({
      accountId: 'overhead',
      config: { ...config, port: lab.ports.imaps, tls: 'implicit' },
    })
    try {
      await manager.run((c) => c.noop())
      if (only.has('imap-headers')) {
        let count = 0
        const m = await measure(undefined, async () => {
          await manager.run(async (c) => {
            for await (const b of fetchHeaders(c, 'INBOX', { snippets: false })) count += b.headers.length
          })
        })
        check('fetchHeaders', count, n)
        emit('imap-headers', m)
      }
      if (only.has('imap-bodies')) {
        const uids = Array.from({ length: n }, (_, i) => n - i)
        let count = 0
        const m = await measure(undefined, async () => {
          for await (const item of manager.stream((c) => fetchMessageSources(c, 'INBOX', uids))) {
            if ('source' in item) count++
          }
        })
        check('fetchMessageSources', count, n)
        emit('imap-bodies', m)
      }
    } finally {
      await manager.close()
    }
  }
  if (only.has('pop3')) {
    const s = await openPop3Session({ ...config, port: lab.ports.pop3s, tls: 'implicit' })
    try {
      const ns = (await s.list()).map((e) => e.n).reverse()
      let got = 0
      const m = await measure(undefined, async () => {
        for (let i = 0; i < ns.length; i += 250) {
          for await (const { body } of s.retrMany(ns.slice(i, i + 250))) {
            const hash = createHash('sha256')
            for await (const piece of body) hash.update(piece)
            hash.digest('hex')
            got++
          }
        }
      })
      check('retrMany', got, n)
      emit('pop3', m)
    } finally {
      s.close()
    }
  }
}

async function imapBodies(rpc: RpcClient, accountId: string, n: number): Promise<number> {
  const uids = Array.from({ length: n }, (_, i) => n - i)
  let next = 0
  let got = 0
  const lane = async (): Promise<void> => {
    while (next < uids.length) {
      const batch = uids.slice(next, next + 200)
      next += 200
      await rpc.call(
        'imap.bodies',
        { accountId, folder: 'INBOX', uids: batch },
        { onChunk: () => void got++ },
      )
    }
  }
  await Promise.all([lane(), lane()])
  return got
}

async function overRpc(
  lab: Lab,
  build: Build,
  dir: string,
  n: number,
  emit: (what: string, m: Measured) => void,
): Promise<void> {
  const root = build.kind === 'checkout' ? build.root : resolve(import.meta.dirname, '..')
  const host = await startWebHostProcess({ dataDir: dir, root })
  const client = coreClient(host)
  const pid = host.child.pid
  try {
    await client.rpc.call('app.hello', { client: 'bench' }, { timeoutMs: 15_000 })
    if (only.has('imap-headers') || only.has('imap-bodies')) {
      const accountId = await addLabImapAccount(client.rpc, lab, 'alice', { kind: 'on-open' })
      await client.rpc.call('imap.folders', { accountId })
      if (only.has('imap-headers')) {
        let count = 0
        const m = await measure(pid, async () => {
          await client.rpc.call(
            'imap.headers',
            { accountId, folder: 'INBOX', snippets: false },
            { onChunk: (c) => void (count += c.headers.length) },
          )
        })
        check('imap.headers', count, n)
        emit('imap-headers', m)
      }
      if (only.has('imap-bodies')) {
        let got = 0
        const m = await measure(pid, async () => void (got = await imapBodies(client.rpc, accountId, n)))
        check('imap.bodies', got, n)
        emit('imap-bodies', m)
      }
    }
    if (only.has('pop3')) {
      const { account } = await client.rpc.call('accounts.add', labPop3Account(lab, 'alice'))
      const { sessionId } = await client.rpc.call('pop3.open', { accountId: account.id })
      const ns = (await client.rpc.call('pop3.list', { sessionId })).messages.map((m) => m.n).reverse()
      let got = 0
      const m = await measure(pid, async () => {
        for (let i = 0; i < ns.length; i += 250) {
          await client.rpc.call(
            'pop3.retr',
            { sessionId, ns: ns.slice(i, i + 250) },
            { onChunk: (c) => void (c.end && got++) },
          )
        }
      })
      check('pop3.retr', got, n)
      emit('pop3', m)
      await client.rpc.call('pop3.close', { sessionId })
    }
  } finally {
    client.close()
    await host.stop()
  }
}

async function main(): Promise<void> {
  const n = Number(values.n)
  const tmp = await mkdtemp(join(tmpdir(), 'rpc-overhead-'))
  const specs = values.trees ? values.trees.split(',') : [resolve(import.meta.dirname, '..')]
  const builds: Build[] = []
  const lab = await startLab()
  try {
    for (const [i, spec] of specs.entries()) builds.push(await prepareBuild(spec, tmp, `T${i + 1}`))
    const user = lab.user('alice')
    await lab.loadMaildir(
      user.name,
      'INBOX',
      corpusForLab({ count: n, seed: 1, domain: lab.domain, users: [user.address] }),
    )
    for (let round = 1; round <= Number(values.rounds); round++) {
      const print = (path: string) => (what: string, m: Measured) =>
        process.stdout.write(JSON.stringify({ bench: `rpc-overhead-${what}`, path, round, n, ...m }) + '\n')
      log(`round ${round}: core alone ...`)
      await coreAlone(lab, n, print('core-alone'))
      // Alternating order, so neither tree always runs right after core alone.
      const order = specs.map((spec, i) => ({ spec, build: builds[i]! }))
      if (round % 2 === 0) order.reverse()
      for (const { spec, build } of order) {
        log(`round ${round}: core + RPC (${spec}) ...`)
        await overRpc(
          lab,
          build,
          join(tmp, `core-${round}-${builds.indexOf(build)}`),
          n,
          print(`core+rpc ${spec}`),
        )
      }
    }
  } finally {
    await lab.stop()
    removeBuilds(builds, tmp)
    await rm(tmp, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
