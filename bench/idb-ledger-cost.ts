// What the POP3 ledger costs a download, per ledger shape, in Chromium (a diagnostic for issue 6; no mail
// server, no app code):
//   npx tsx bench/idb-ledger-cost.ts [--n 10000] [--only name,name] [--rounds 3]
// Each variant stores N messages' ledger entries in batches of 250 (the download's later batch size) from a
// dedicated Web Worker with the raw IndexedDB API, each batch in ONE strict-durability transaction that also
// writes what a download writes beside the ledger (a ~100 KB chunk record, a directory record, the inbox
// counts), so the strict flush every batch pays is in every variant and `payload-only` (no ledger at all)
// is the floor the others are compared with. Reported: seconds per N, and the ledger's share (minus the
// floor of the same round). Variants run in alternating order per round, each on its own origin.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { log, median } from './lib/result'
import { openOwnOrigin, runWorkerOnce } from './support/own-origin'
import { launchStoreBrowser } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    only: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
  },
})
const N = Number(values.n)
const BATCH = 250

interface Variant {
  name: string
  what: string
  /** A record per message with these indexes, or one record per batch, or no ledger. */
  shape: 'rows' | 'batch' | 'none'
  /** [name, keyPath, multiEntry?, unique?] */
  indexes: [string, string | string[], boolean?, boolean?][]
  /** bulkGets of the batch's keys per batch: before the transaction, inside it. */
  reads: { before: boolean; inside: boolean }
}

const VARIANTS: Variant[] = [
  {
    name: 'payload-only',
    what: 'no ledger (the floor)',
    shape: 'none',
    indexes: [],
    reads: { before: false, inside: false },
  },
  {
    name: 'rows-2idx-2reads',
    what: 'main before 712479e: a record per message, indexes accountId + messageId, two reads per message',
    shape: 'rows',
    indexes: [
      ['accountId', 'accountId'],
      ['messageId', 'messageId'],
    ],
    reads: { before: true, inside: true },
  },
  {
    name: 'rows-2idx',
    what: 'a record per message, indexes accountId + messageId, no reads (the key is the guard)',
    shape: 'rows',
    indexes: [
      ['accountId', 'accountId'],
      ['messageId', 'messageId'],
    ],
    reads: { before: false, inside: false },
  },
  {
    name: 'rows-msgidx',
    what: 'a record per message, index messageId only, no reads',
    shape: 'rows',
    indexes: [['messageId', 'messageId']],
    reads: { before: false, inside: false },
  },
  {
    name: 'rows-noidx',
    what: 'a record per message, no index, no reads',
    shape: 'rows',
    indexes: [],
    reads: { before: false, inside: false },
  },
  {
    name: 'batch-multi',
    what: 'schema v11 (1059bb0): a record per batch, unique multiEntry index of its keys, multiEntry of its messageIds',
    shape: 'batch',
    indexes: [
      ['keys', 'keys', true, true],
      ['messageIds', 'messageIds', true],
    ],
    reads: { before: false, inside: false },
  },
]

// Runs in the worker: one variant, returns milliseconds.
const WORKER = `
const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error) })
onmessage = async ({ data: { v, n, batchSize, dbName } }) => {
  try {
    const open = indexedDB.open(dbName, 1)
    open.onupgradeneeded = () => {
      const d = open.result
      d.createObjectStore('chunks', { keyPath: ['folderId', 'no'] })
      d.createObjectStore('dirs', { keyPath: 'folderId' })
      d.createObjectStore('folders', { keyPath: 'id' })
      const l = d.createObjectStore('ledger', { keyPath: v.shape === 'batch' ? ['accountId', 'seq'] : ['accountId', 'uidl'] })
      for (const [name, keyPath, multiEntry, unique] of v.indexes) l.createIndex(name, keyPath, { multiEntry: !!multiEntry, unique: !!unique })
    }
    const db = await req(open)
    const stores = ['chunks', 'dirs', 'folders', 'ledger']
    const row = (i) => ({ accountId: 'p', uidl: 'UID' + (1000000 + i) + '-' + (i * 7919 % 100003), messageId: i + 1, storedAt: Date.now(), deletedFromServerAt: null, fullStored: true, deletedLocallyAt: null, sha256: (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8) })
    const chunk = (no) => ({ folderId: 'p:inbox', no, rows: Array.from({ length: 250 }, (_, j) => ({ id: no * 250 + j, subject: 'subject of a message '.repeat(3), from: 'someone@example.org', snippet: 'x'.repeat(200) })) })
    const t0 = performance.now()
    for (let at = 0, seq = 0; at < n; at += batchSize, seq++) {
      const entries = Array.from({ length: Math.min(batchSize, n - at) }, (_, j) => row(at + j))
      if (v.reads.before) {
        const rt = db.transaction(['ledger'], 'readonly')
        await Promise.all(entries.map((e) => req(rt.objectStore('ledger').get(['p', e.uidl]))))
      }
      const tx = db.transaction(stores, 'readwrite', { durability: 'strict' })
      const l = tx.objectStore('ledger')
      if (v.reads.inside) await Promise.all(entries.map((e) => req(l.get(['p', e.uidl]))))
      const dir = await req(tx.objectStore('dirs').get('p:inbox'))
      tx.objectStore('chunks').put(chunk(seq))
      tx.objectStore('dirs').put({ folderId: 'p:inbox', chunks: (dir ? dir.chunks : 0) + 1 })
      const f = await req(tx.objectStore('folders').get('p:inbox'))
      tx.objectStore('folders').put({ id: 'p:inbox', total: (f ? f.total : 0) + entries.length })
      if (v.shape === 'rows') for (const e of entries) l.add(e)
      if (v.shape === 'batch') {
        l.add({ accountId: 'p', seq, keys: entries.map((e) => 'p\\u0000' + e.uidl), messageIds: entries.map((e) => e.messageId), entries: entries.map(({ accountId, ...rest }) => rest) })
      }
      await done(tx)
    }
    const ms = performance.now() - t0
    const check = db.transaction(['ledger'], 'readonly')
    const all = await req(check.objectStore('ledger').getAll())
    const count = v.shape === 'batch' ? all.reduce((s, b) => s + b.keys.length, 0) : all.length
    db.close()
    postMessage({ ms, count })
  } catch (e) { postMessage({ error: String(e) }) }
}`

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'idb-ledger-cost-'))
  const browser = await launchStoreBrowser(dir)
  const page = await browser.browser.contexts()[0]!.newPage()
  const results = new Map<string, number[]>()
  try {
    const only = values.only ? values.only.split(',') : null
    const chosen = VARIANTS.filter((v) => !only || only.includes(v.name) || v.name === 'payload-only')
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const v of round % 2 === 0 ? chosen : [...chosen].reverse()) {
        // Its own origin (own LevelDB), deleted afterwards: compaction of one run must not land on the next.
        const origin = await openOwnOrigin(page)
        const result = await runWorkerOnce<{ ms: number; count: number; error?: string }>(page, WORKER, {
          v,
          n: N,
          batchSize: BATCH,
          dbName: `db-${v.name}`,
        })
        origin.close()
        if (result.error) throw new Error(`${v.name}: ${result.error}`)
        if (v.shape !== 'none' && result.count !== N)
          throw new Error(`${v.name}: ${result.count} of ${N} stored`)
        const s = result.ms / 1000
        results.set(v.name, [...(results.get(v.name) ?? []), s])
        process.stdout.write(
          JSON.stringify({ variant: v.name, round: round + 1, n: N, s: +s.toFixed(2) }) + '\n',
        )
      }
    }
    const floor = median(results.get('payload-only') ?? [0])
    for (const v of chosen) {
      const m = median(results.get(v.name)!)
      log(`${v.name.padEnd(18)} ${m.toFixed(2)} s  ledger ${(m - floor).toFixed(2)} s  (${v.what})`)
    }
  } finally {
    await browser.close()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
