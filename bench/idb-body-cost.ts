// What storing downloaded messages (list row + raw bytes) costs in IndexedDB in Chromium, per value shape,
// batch size and durability: a diagnostic for the POP3 download (not part of `npm run bench`; no mail
// server, no app code).
//   npx tsx bench/idb-body-cost.ts [--n 1000] [--only name,name] [--rounds 2]
// Bytes are the lab corpus's raw messages (as a POP3 server sends them), served to the page; rows are built
// from the corpus metadata. Each variant writes into a fresh database on its own origin from a dedicated Web
// Worker (as the sync worker does) and reports seconds in all and per 1,000 messages.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateCorpus } from '../src/lab/corpus'
import { folderId, type MessageRow } from '../src/renderer/src/store/rows'
import { corpusMessageRow } from './lib/corpus-rows'
import { log } from './lib/result'
import { openOwnOrigin, runWorkerOnce } from './support/own-origin'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchStoreBrowser } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    only: { type: 'string', default: '' },
    rounds: { type: 'string', default: '2' },
  },
})
const N = Number(values.n)

/** The v5 messages indexes: [name, keyPath, multiEntry?, unique?]. */
type IndexDef = [string, string | string[], boolean?, boolean?]
const V5: IndexDef[] = [
  ['accountId', 'accountId'],
  ['folderId', 'folderId'],
  ['[folderId+date]', ['folderId', 'date']],
  ['[folderId+uid]', ['folderId', 'uid'], false, true],
  ['threadId', 'threadId'],
  ['messageId', 'messageId'],
  ['[folderId+unread+date]', ['folderId', 'unread', 'date']],
  ['[folderId+flagged+date]', ['folderId', 'flagged', 'date']],
  ['[folderId+threadId+date]', ['folderId', 'threadId', 'date']],
  ['searchWords', 'searchWords', true],
]

interface Variant {
  name: string
  batch: number
  durability: 'strict' | 'relaxed'
  /**
   * How the bytes are stored: a Uint8Array per message, a Blob per message, one Blob per batch, none, or
   * outside IndexedDB in an origin-private file (OPFS) — one pack file per batch, or one file appended to —
   * written through a sync access handle and flushed before the batch's rows commit, with a small pointer
   * row (pack, offset, length) per message in `bodies`.
   */
  body: 'bytes' | 'blob' | 'batch-blob' | 'none' | 'opfs-pack' | 'opfs-append'
  /** Whether the list row (v5 indexes) is written. */
  rows: boolean
  /** Bodies in their own transaction, committed before the rows (two commits per batch). */
  split?: boolean
  /**
   * The app's commit besides rows and bytes: ledger rows read then written (2 indexes), the folder's counts
   * and the per-day list counts read and rewritten, and a progress record written every 250 ms over a
   * second, relaxed connection.
   */
  app?: boolean
}

const VARIANTS: Variant[] = [
  { name: 'now', batch: 250, durability: 'strict', body: 'bytes', rows: true },
  { name: 'app', batch: 250, durability: 'strict', body: 'bytes', rows: true, app: true },
  { name: 'relaxed', batch: 250, durability: 'relaxed', body: 'bytes', rows: true },
  { name: 'blob', batch: 250, durability: 'strict', body: 'blob', rows: true },
  { name: 'batch-blob', batch: 250, durability: 'strict', body: 'batch-blob', rows: true },
  { name: 'bodies-only', batch: 250, durability: 'strict', body: 'bytes', rows: false },
  { name: 'blobs-only', batch: 250, durability: 'strict', body: 'blob', rows: false },
  { name: 'opfs-pack', batch: 250, durability: 'strict', body: 'opfs-pack', rows: true },
  { name: 'opfs-pack-app', batch: 250, durability: 'strict', body: 'opfs-pack', rows: true, app: true },
  { name: 'opfs-append', batch: 250, durability: 'strict', body: 'opfs-append', rows: true },
  { name: 'rows-only', batch: 250, durability: 'strict', body: 'none', rows: true },
  { name: 'batch-1000', batch: 1000, durability: 'strict', body: 'bytes', rows: true },
  { name: 'blob-batch-1000', batch: 1000, durability: 'strict', body: 'blob', rows: true },
]

// Runs in the worker: fetches the corpus bytes, writes one variant, returns milliseconds.
const WORKER = `
const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error) })
onmessage = async ({ data: { v, rows, sizes, indexes, dbName, origin } }) => {
  try {
    const all = new Uint8Array(await (await fetch(origin + '/corpus.bin')).arrayBuffer())
    const raws = []
    let at = 0
    for (const s of sizes) { raws.push(all.slice(at, at + s)); at += s }
    const open = indexedDB.open(dbName, 1)
    open.onupgradeneeded = () => {
      const s = open.result.createObjectStore('messages', { keyPath: 'id', autoIncrement: true })
      for (const [name, keyPath, multiEntry, unique] of indexes) s.createIndex(name, keyPath, { multiEntry: !!multiEntry, unique: !!unique })
      open.result.createObjectStore('bodies', { keyPath: 'messageId' })
      open.result.createObjectStore('batches', { keyPath: 'id', autoIncrement: true })
      const l = open.result.createObjectStore('ledger', { keyPath: ['accountId', 'uidl'] })
      l.createIndex('accountId', 'accountId')
      l.createIndex('messageId', 'messageId')
      open.result.createObjectStore('folders', { keyPath: 'id' })
      open.result.createObjectStore('buckets', { keyPath: ['folderId', 'day'] })
      open.result.createObjectStore('syncState', { keyPath: 'key' })
    }
    const db = await req(open)
    const second = v.app ? await req(indexedDB.open(dbName, 1)) : null
    let progress = null
    if (second) {
      let k = 0
      progress = setInterval(() => {
        const t = second.transaction(['syncState'], 'readwrite', { durability: 'relaxed' })
        t.objectStore('syncState').put({ key: 'progress', value: { done: k++, phase: 'downloading', at: Date.now() } })
      }, 250)
    }
    const opfs = v.body.startsWith('opfs') ? await navigator.storage.getDirectory() : null
    let appendTo = null
    let appendAt = 0
    if (v.body === 'opfs-append') appendTo = await (await opfs.getFileHandle(dbName + '.pack', { create: true })).createSyncAccessHandle()
    const t0 = performance.now()
    const marks = []
    for (let i = 0; i < rows.length; i += v.batch) {
      const batch = rows.slice(i, i + v.batch).map((r, j) => ({ ...r, uid: i + j + 1 }))
      const bytes = raws.slice(i, i + v.batch)
      if (v.split && v.body !== 'none') {
        const tx = db.transaction(['bodies'], 'readwrite', { durability: v.durability })
        bytes.forEach((b, j) => tx.objectStore('bodies').put({ messageId: 1e9 + i + j, raw: b }))
        await done(tx)
      }
      const where = []
      if (opfs) {
        const handle = appendTo ?? await (await opfs.getFileHandle(dbName + '-' + i + '.pack', { create: true })).createSyncAccessHandle()
        let at = appendTo ? appendAt : 0
        for (const b of bytes) { handle.write(b, { at }); where.push([at, b.length]); at += b.length }
        handle.flush()
        if (appendTo) appendAt = at
        else handle.close()
      }
      const stores = ['messages', 'bodies', 'batches']
      if (v.app) stores.push('ledger', 'folders', 'buckets')
      const tx = db.transaction(stores, 'readwrite', { durability: v.durability })
      if (v.app) await Promise.all(batch.map((r) => req(tx.objectStore('ledger').get(['acct', r.uidl]))))
      const ids = []
      if (v.rows) {
        const s = tx.objectStore('messages')
        await Promise.all(batch.map((r, j) => req(s.add(r)).then((id) => { ids[j] = id })))
      } else batch.forEach((_, j) => { ids[j] = i + j + 1 })
      if (!v.split) {
        const b = tx.objectStore('bodies')
        if (v.body === 'bytes') bytes.forEach((raw, j) => b.put({ messageId: ids[j], raw }))
        if (v.body === 'blob') bytes.forEach((raw, j) => b.put({ messageId: ids[j], raw: new Blob([raw]) }))
        if (v.body === 'batch-blob') tx.objectStore('batches').put({ ids, raw: new Blob(bytes) })
        if (opfs) where.forEach(([at, length], j) => b.put({ messageId: ids[j], pack: appendTo ? 0 : i, at, length }))
      }
      if (v.app) {
        const l = tx.objectStore('ledger')
        batch.forEach((r, j) => l.add({ accountId: 'acct', uidl: r.uidl, messageId: ids[j], storedAt: Date.now(), deletedFromServerAt: null, fullStored: true, deletedLocallyAt: null, sha256: 'ab'.repeat(32) }))
        const days = [...new Set(batch.map((r) => Math.floor(r.date / 86400000)))]
        const b = tx.objectStore('buckets')
        const got = await Promise.all(days.map((d) => req(b.get([batch[0].folderId, d]))))
        days.forEach((d, j) => b.put({ folderId: batch[0].folderId, day: d, all: (got[j]?.all ?? 0) + 1, unread: 0, flagged: 0 }))
        const f = tx.objectStore('folders')
        const folder = (await req(f.get('inbox'))) ?? { id: 'inbox', total: 0, unread: 0 }
        f.put({ ...folder, total: folder.total + batch.length })
      }
      await done(tx)
      if ((i + v.batch) % 1000 === 0 || i + v.batch >= rows.length) marks.push(performance.now() - t0)
    }
    const written = performance.now() - t0
    if (progress) clearInterval(progress)
    appendTo?.close()
    if (opfs) for await (const name of opfs.keys()) if (name.startsWith(dbName)) await opfs.removeEntry(name)
    second?.close()
    db.close()
    postMessage({ written, marks })
  } catch (e) { postMessage({ error: String(e) }) }
}`

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'idb-body-cost-'))
  const browser = await launchStoreBrowser(dir)
  const page = await browser.browser.contexts()[0]!.newPage()
  try {
    log(`generating ${N} messages ...`)
    const folder = folderId('acct', 'INBOX')
    const rows: MessageRow[] = []
    const raws: Buffer[] = []
    let i = 0
    for (const { meta, raw } of generateCorpus({ count: N, seed: 1 })) {
      rows.push({
        ...corpusMessageRow(meta, { accountId: 'acct', folderId: folder, uid: ++i }),
        uidl: `u${i}`,
      })
      raws.push(raw)
    }
    const corpus = Buffer.concat(raws)
    log(`${(corpus.length / 1024 / 1024).toFixed(1)} MiB`)
    const only = values.only ? values.only.split(',') : null
    const chosen = VARIANTS.filter((v) => !only || only.includes(v.name))
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const v of round % 2 === 0 ? chosen : [...chosen].reverse()) {
        const own = await openOwnOrigin(page, { '/corpus.bin': corpus })
        const arg = {
          origin: own.url,
          v,
          rows,
          sizes: raws.map((r) => r.length),
          indexes: V5,
          dbName: `db-${v.name}`,
        }
        const cpu0 = await cpuByKind({ chromium: browser.pid })
        const result = await runWorkerOnce<{ written: number; marks: number[]; error?: string }>(
          page,
          WORKER,
          arg,
        )
        const cpu = cpuSpent(cpu0, await cpuByKind({ chromium: browser.pid }))
        own.close()
        if (result.error) throw new Error(`${v.name}: ${result.error}`)
        const per1k = result.marks.map((m, k) => (m - (result.marks[k - 1] ?? 0)) / 1000)
        process.stdout.write(
          JSON.stringify({
            variant: v.name,
            round: round + 1,
            n: N,
            write_s: +(result.written / 1000).toFixed(2),
            per_1k_s: per1k.map((s) => +s.toFixed(2)),
            cpu_s: cpu,
          }) + '\n',
        )
      }
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
