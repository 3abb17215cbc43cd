// What checking downloaded POP3 bytes against core's sha256 costs (src/renderer/src/sync/pop3/verify-downloaded.ts),
// per N messages of the bench corpus (seed 1, ~36 KiB each), in the worker's batch size (250), in one process:
//   node:      `damagedMessages` alone, and the store step `commitDownloaded` (fake-indexeddb, in-memory body
//              files) with the check (sha256 set) vs without (sha256 null), alternating per batch;
//   chromium:  WebCrypto SHA-256 of the same sizes in a dedicated worker, as the sync worker runs it.
// `npx tsx bench/verify-downloaded-cost.ts [--n 10000] [--rounds 3] [--no-chromium]`. Prints one JSON line each.
import 'fake-indexeddb/auto'
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateCorpus } from '../src/lab/corpus'
import { openMailStore } from '../src/renderer/src/store/mail-db'
import { ensureLocalFolders } from '../src/renderer/src/sync/pop3/local-folders'
import { commitDownloaded, type DownloadedMessage } from '../src/renderer/src/sync/pop3/store-downloaded'
import { damagedMessages } from '../src/renderer/src/sync/pop3/verify-downloaded'
import { launchStoreBrowser } from './support/web-store'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const N = arg('n', 10_000)
const ROUNDS = arg('rounds', 3)
const BATCH = 250

function corpusBatches(): DownloadedMessage[][] {
  const out: DownloadedMessage[][] = []
  let i = 0
  for (const { raw } of generateCorpus({ count: N, seed: 1 })) {
    const m: DownloadedMessage = {
      id: `uid-${i}`,
      raw: new Uint8Array(raw),
      size: raw.byteLength,
      sha256: createHash('sha256').update(raw).digest('hex'),
      full: true,
    }
    if (i++ % BATCH === 0) out.push([])
    out.at(-1)!.push(m)
  }
  return out
}

async function nodeRound(batches: DownloadedMessage[][], round: number) {
  let verify = 0
  for (const batch of batches) {
    const t = performance.now()
    if ((await damagedMessages(batch)).size !== 0) throw new Error('a corpus message failed its own hash')
    verify += performance.now() - t
  }
  // The store step with and without the check: two stores, the order alternating per batch.
  const stores = await Promise.all(
    ['with', 'without'].map(async (kind) => {
      const s = await openMailStore(`verify-cost-${kind}-${round}`)
      await s.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'P', email: 'p@x', position: 0 })
      return { s, inbox: (await ensureLocalFolders(s.durable, 'p')).id }
    }),
  )
  const commitMs = { with: 0, without: 0 }
  for (const [k, batch] of batches.entries()) {
    const order = k % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)
    for (const kind of order) {
      const { s, inbox } = stores[kind === 'with' ? 0 : 1]!
      const input = kind === 'with' ? batch : batch.map((m) => ({ ...m, sha256: null }))
      const t = performance.now()
      const done = await commitDownloaded(s, 'p', inbox, input)
      commitMs[kind] += performance.now() - t
      if (done.ids.length !== batch.length) throw new Error(`stored ${done.ids.length} of ${batch.length}`)
    }
  }
  for (const { s } of stores) s.close()
  return {
    verify_ms: Math.round(verify),
    commit_with_check_ms: Math.round(commitMs.with),
    commit_without_check_ms: Math.round(commitMs.without),
  }
}

const WORKER = `
onmessage = async (e) => {
  const { sizes, batch } = e.data
  const bufs = sizes.map((n, i) => { const b = new Uint8Array(n); for (let j = 0; j < n; j += 97) b[j] = (i + j) & 255; return b })
  const want = await Promise.all(bufs.map((b) => crypto.subtle.digest('SHA-256', b)))
  const t = performance.now()
  for (let at = 0; at < bufs.length; at += batch) {
    const got = await Promise.all(bufs.slice(at, at + batch).map((b) => crypto.subtle.digest('SHA-256', b)))
    got.forEach((d, k) => { const x = new Uint8Array(d), y = new Uint8Array(want[at + k]); if (!x.every((v, i) => v === y[i])) throw new Error('differs') })
  }
  postMessage(performance.now() - t)
}`

async function chromiumRounds(sizes: number[]): Promise<number[]> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', req.url === '/w.js' ? 'text/javascript' : 'text/html')
    res.end(req.url === '/w.js' ? WORKER : '<p>verify cost</p>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const dir = await mkdtemp(join(tmpdir(), 'verify-cost-'))
  const b = await launchStoreBrowser(join(dir, 'profile'))
  try {
    const page = await b.browser.contexts()[0]!.newPage()
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)
    const out: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      const run = `new Promise((ok, fail) => {
        const w = new Worker('/w.js')
        w.onmessage = (e) => { w.terminate(); ok(Math.round(e.data)) }
        w.onerror = (e) => fail(new Error(e.message))
        w.postMessage({ sizes: ${JSON.stringify(sizes)}, batch: ${BATCH} })
      })`
      out.push((await page.evaluate(run)) as number)
    }
    return out
  } finally {
    await b.close()
    server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const batches = corpusBatches()
  const sizes = batches.flat().map((m) => m.raw.byteLength)
  const mib = Math.round(sizes.reduce((a, b) => a + b, 0) / 1048576)
  for (let r = 0; r < ROUNDS; r++) {
    console.log(JSON.stringify({ where: 'node', n: N, mib, round: r, ...(await nodeRound(batches, r)) }))
  }
  if (!process.argv.includes('--no-chromium')) {
    const runs = await chromiumRounds(sizes)
    console.log(JSON.stringify({ where: 'chromium-worker', n: N, mib, verify_ms: runs }))
  }
}

void main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
