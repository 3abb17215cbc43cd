// Where the time of an IMAP sync goes: not part of `npm run bench`, a diagnostic for the store benches.
//   npx tsx bench/imap-store-profile.ts --n 10000 [--policy on-open|all] [--core-prof DIR] [--page-prof FILE]
//   [--worker-prof FILE]   (--core-prof: the core + RPC step's profile in DIR, the real path's in DIR/real)
//   [--span-days D]   (the mail's dates over D days, default 3 years: --span-days 1 puts every thread in one day)
// Starts its own lab with N messages and times the same work three ways, each layer adding one piece:
//   1. core only: the product's fetchHeaders / fetchMessageSources through its connection manager, in-process;
//   2. core + RPC: the web host process, called over the WebSocket RPC from Node (no store);
//   3. the real path (core → sync worker → IndexedDB), with a CPU profile of the sync worker, CPU seconds per
//      process kind (core; Chromium's browser process, which does the IndexedDB work; renderer), a summary of
//      the page's CPU profile (--page-prof writes it whole, for DevTools) and a timeline of rows landing in
//      the store. Chromium is driven without Playwright (support/quiet-browser.ts).
// Prints a summary to stderr and one JSON object to stdout.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ImapConnectionManager } from '../src/core/imap/connection-manager'
import { fetchHeaders } from '../src/core/imap/fetch-headers'
import { fetchMessageSources } from '../src/core/imap/fetch-source'
import { startLab, type Lab } from '../src/lab/lab'
import { MAIL_DB_NAME } from '../src/renderer/src/store/mail-db'
import { folderId } from '../src/renderer/src/store/rows'
import type { BodyPolicy } from '../src/shared/model/account'
import { log } from './lib/result'
import { bytesWritten, cpuByKind, cpuSpent } from './support/cpu'
import { summarize, workerSession, type Profile } from './support/cpu-profile'
import {
  addLabImapAccount,
  coreClient,
  FOLDER_ROW_COUNT,
  loadProfileCorpus,
  openQuietWebStore,
  watchPass,
} from './support/web-store'
import { startWebHostProcess } from '../e2e/support/web-host-process'
import { coreProfileEnv } from './support/core-profile'

const secs = (ms: number): number => Math.round(ms) / 1000

async function coreOnly(lab: Lab, n: number, bodies: boolean): Promise<Record<string, number>> {
  const user = lab.user('alice')
  const manager = new ImapConnectionManager({
    accountId: 'profile',
    config: {
      host: lab.host,
      port: lab.ports.imaps,
      tls: 'implicit',
      username: user.address,
      password: user.password,
      ca: [lab.caPem],
    },
  })
  const out: Record<string, number> = {}
  try {
    let t = performance.now()
    await manager.run((c) => c.noop())
    out.connect_s = secs(performance.now() - t)
    for (const snippets of [true, false]) {
      t = performance.now()
      let count = 0
      await manager.run(async (c) => {
        for await (const b of fetchHeaders(c, 'INBOX', { snippets })) count += b.headers.length
      })
      if (count !== n) throw new Error(`fetchHeaders: ${count} of ${n}`)
      out[snippets ? 'headers_s' : 'headers_no_snippets_s'] = secs(performance.now() - t)
    }
    if (bodies) {
      const uids = Array.from({ length: n }, (_, i) => i + 1)
      t = performance.now()
      let count = 0
      for await (const item of manager.stream((c) => fetchMessageSources(c, 'INBOX', uids))) {
        if ('source' in item) count++
      }
      if (count !== n) throw new Error(`fetchMessageSources: ${count} of ${n}`)
      out.bodies_s = secs(performance.now() - t)
    }
  } finally {
    await manager.close()
  }
  return out
}

async function coreRpc(
  lab: Lab,
  dir: string,
  n: number,
  bodies: boolean,
  coreProfileDir: string | undefined,
): Promise<Record<string, number>> {
  const host = await startWebHostProcess({
    dataDir: join(dir, 'rpc-core'),
    env: coreProfileEnv(coreProfileDir),
  })
  const client = coreClient(host)
  const out: Record<string, number> = {}
  try {
    const accountId = await addLabImapAccount(client.rpc, lab, 'alice', { kind: 'on-open' })
    let t = performance.now()
    await client.rpc.call('imap.folders', { accountId })
    out.folders_first_s = secs(performance.now() - t)
    t = performance.now()
    await client.rpc.call('imap.folders', { accountId })
    out.folders_again_s = secs(performance.now() - t)
    t = performance.now()
    let count = 0
    let firstChunk = 0
    await client.rpc.call(
      'imap.headers',
      // As the sync worker's header pass asks (snippets come after the pass).
      { accountId, folder: 'INBOX', snippets: false },
      {
        onChunk: (c) => {
          if (count === 0) firstChunk = performance.now() - t
          count += c.headers.length
        },
      },
    )
    if (count !== n) throw new Error(`imap.headers: ${count} of ${n}`)
    out.headers_s = secs(performance.now() - t)
    out.headers_first_chunk_s = secs(firstChunk)
    if (bodies) {
      // The transport alone: 64 MiB (debug.bytes' limit) in message-sized chunks, no IMAP. Its MB/s against
      // the bodies' (~35 KB a message) says how much of core + RPC is the socket and the frame codec.
      t = performance.now()
      let streamed = 0
      await client.rpc.call(
        'debug.bytes',
        { size: 64 * 1024 * 1024, chunkSize: 36 * 1024 },
        { onChunk: (c) => void (streamed += c.byteLength) },
      )
      if (streamed !== 64 * 1024 * 1024) throw new Error(`debug.bytes: ${streamed} bytes`)
      out.transport_64mib_36k_chunks_s = secs(performance.now() - t)
      const uids = Array.from({ length: n }, (_, i) => n - i)
      // As the sync worker calls it: 50 UIDs a call, one call after the other.
      t = performance.now()
      let got = 0
      for (let i = 0; i < uids.length; i += 50) {
        await client.rpc.call(
          'imap.bodies',
          { accountId, folder: 'INBOX', uids: uids.slice(i, i + 50) },
          { onChunk: () => void got++ },
        )
      }
      if (got !== n) throw new Error(`imap.bodies: ${got} of ${n}`)
      out.bodies_batches_of_50_s = secs(performance.now() - t)
      // As few calls as the contract allows (1,000 UIDs each): what RPC round trips add to the above.
      t = performance.now()
      got = 0
      for (let i = 0; i < uids.length; i += 1000) {
        await client.rpc.call(
          'imap.bodies',
          { accountId, folder: 'INBOX', uids: uids.slice(i, i + 1000) },
          { onChunk: () => void got++ },
        )
      }
      if (got !== n) throw new Error(`imap.bodies: ${got} of ${n}`)
      out.bodies_batches_of_1000_s = secs(performance.now() - t)
    }
  } finally {
    client.close()
    await host.stop()
  }
  return out
}

async function realPath(
  lab: Lab,
  dir: string,
  n: number,
  bodyPolicy: BodyPolicy,
  pageProfOut: string | undefined,
  workerProfOut: string | undefined,
  coreProfileDir: string | undefined,
): Promise<object> {
  // Not Playwright: its Network domain would copy every RPC frame (support/quiet-browser.ts).
  const store = await openQuietWebStore(
    join(dir, 'real'),
    coreProfileEnv(coreProfileDir && join(coreProfileDir, 'real')),
  )
  try {
    const send = await workerSession(store.page)
    const roots = { core: store.host.child.pid!, chromium: store.page.pid }
    const cpu0 = await cpuByKind(roots)
    const written0 = await bytesWritten(store.page.pid)
    await send('Profiler.enable')
    await send('Profiler.setSamplingInterval', { interval: 500 })
    await send('Profiler.start')
    // The page too: it renders the list while rows land (live queries re-read on every commit).
    const inPage = (method: string, params: object = {}): Promise<unknown> =>
      store.page.send(method, params, store.page.pageSession)
    await inPage('Profiler.enable')
    await inPage('Profiler.setSamplingInterval', { interval: 500 })
    await inPage('Profiler.start')
    const t0 = Date.now()
    const accountId = await addLabImapAccount(store.rpc, lab, 'alice', bodyPolicy)
    const added = Date.now()
    // Timeline of the INBOX row count and stored bodies, every 100 ms (a diagnostic: this costs a little):
    // [ms, rows, bodies in the old `bodies` table, MB committed to body files (store/bodies; 0 before them)].
    const timeline = store.page.evaluate<[number, number, number, number][]>(`(async (a) => {
      const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
      const db = await req(indexedDB.open(a.db))
      const files = db.objectStoreNames.contains('bodyFiles')
      ${FOLDER_ROW_COUNT}
      const out = []
      try {
        for (;;) {
          const rows = await folderRowCount(db, req, a.folderId)
          const tx = db.transaction(['bodies', 'syncState', ...(files ? ['bodyFiles'] : [])], 'readonly')
          const bodies = await req(tx.objectStore('bodies').count())
          const committed = files ? (await req(tx.objectStore('bodyFiles').getAll())).reduce((s, f) => s + f.committed, 0) : 0
          const s = (await req(tx.objectStore('syncState').get(a.statusKey)))
          out.push([Date.now() - a.t0, rows, bodies, Math.round(committed / 1e5) / 10])
          if (s && s.value.state !== 'syncing' && s.value.lastSuccessAt >= a.t0) return out
          await new Promise((r) => setTimeout(r, 100))
        }
      } finally { db.close() }
    })(${JSON.stringify({ db: MAIL_DB_NAME, folderId: folderId(accountId, 'INBOX'), statusKey: `account-status:${accountId}`, t0 })})`)
    const times = await watchPass(store.page, {
      accountId,
      since: t0,
      firstN: 50,
      timeoutMs: 60_000 + n * 40,
    })
    const cpu = cpuSpent(cpu0, await cpuByKind(roots))
    const written = (await bytesWritten(store.page.pid)) - written0
    const profile = ((await send('Profiler.stop')) as { profile: Profile }).profile
    const pageProfile = ((await inPage('Profiler.stop')) as { profile: Profile }).profile
    if (pageProfOut !== undefined) await writeFile(pageProfOut, JSON.stringify(pageProfile))
    if (workerProfOut !== undefined) await writeFile(workerProfOut, JSON.stringify(profile))
    const points = await timeline
    const folders = (await store.page.evaluate(`(async () => {
      const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
      const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
      try { return await req(db.transaction('folders', 'readonly').objectStore('folders').getAll()) } finally { db.close() }
    })()`)) as { path: string; syncedAt: number | null }[]
    // Each store's records as JSON after the pass: what the sync wrote, against what the browser wrote.
    const stored = await store.page.evaluate<Record<string, [number, number]>>(`(async () => {
      const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
      const db = await req(indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}))
      const out = {}
      try {
        for (const name of db.objectStoreNames) {
          const all = await req(db.transaction(name, 'readonly').objectStore(name).getAll())
          if (all.length > 0) out[name] = [all.length, Math.round(JSON.stringify(all).length / 1e4) / 100]
        }
      } finally { db.close() }
      return out
    })()`)
    const firstRow = points.find((p) => p[1] > 0)?.[0] ?? null
    const allRows = points.find((p) => p[1] >= n)?.[0] ?? null
    const firstBody = points.find((p) => p[2] > 0 || p[3] > 0)?.[0] ?? null
    return {
      add_account_s: secs(added - t0),
      first50_s: times.firstAt === null ? null : secs(times.firstAt - t0),
      first_row_s: firstRow === null ? null : secs(firstRow),
      all_rows_s: allRows === null ? null : secs(allRows),
      first_body_s: firstBody === null ? null : secs(firstBody),
      pass_s: secs(times.doneAt - t0),
      // From adding the account to the end of the pass (and the few samples after it), by process kind.
      cpu_s: cpu,
      // Bytes Chromium's browser process (IndexedDB's LevelDB) wrote during the pass, in MB.
      browser_wrote_mb: Math.round(written / 1e5) / 10,
      // Records and MB of JSON per object store after the pass.
      stored_records_mb: stored,
      folders_synced_at_s: Object.fromEntries(
        folders.map((f) => [f.path, f.syncedAt === null ? null : secs(f.syncedAt - t0)]),
      ),
      timeline: points.filter((_, i) => i % 5 === 0),
      worker_profile: summarize(profile),
      // Includes the timeline's own reads every 100 ms above.
      page_profile: summarize(pageProfile),
    }
  } finally {
    await store.close()
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000' },
      policy: { type: 'string', default: 'on-open' },
      'span-days': { type: 'string' },
      'skip-real': { type: 'boolean', default: false },
      'core-prof': { type: 'string' },
      'page-prof': { type: 'string' },
      'worker-prof': { type: 'string' },
    },
  })
  const n = Number(values.n)
  const bodyPolicy: BodyPolicy = values.policy === 'all' ? { kind: 'all' } : { kind: 'on-open' }
  const bodies = bodyPolicy.kind === 'all'
  const dir = await mkdtemp(join(tmpdir(), 'imap-store-profile-'))
  const lab = await startLab()
  try {
    await loadProfileCorpus(lab, n, values['span-days'] ? Number(values['span-days']) : undefined)
    log('core only ...')
    const core = await coreOnly(lab, n, bodies)
    log(JSON.stringify(core))
    log('core + RPC ...')
    const rpc = await coreRpc(lab, dir, n, bodies, values['core-prof'])
    log(JSON.stringify(rpc))
    if (values['skip-real']) {
      process.stdout.write(JSON.stringify({ n, policy: bodyPolicy.kind, core, rpc }, null, 1) + '\n')
      return
    }
    log('real path ...')
    const real = await realPath(
      lab,
      dir,
      n,
      bodyPolicy,
      values['page-prof'],
      values['worker-prof'],
      values['core-prof'],
    )
    process.stdout.write(JSON.stringify({ n, policy: bodyPolicy.kind, core, rpc, real }, null, 1) + '\n')
  } finally {
    await lab.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
