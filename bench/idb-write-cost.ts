// What a message row costs to write into IndexedDB in Chromium, per index set, batch size and pass shape: a
// diagnostic for the IMAP header sync (not part of `npm run bench`; no mail server, no app code).
//   npx tsx bench/idb-write-cost.ts [--n 10000] [--only name,name] [--rounds 2]
// Rows come from the lab corpus generator as the sync worker would store them. Each variant writes them into
// a fresh database with the raw IndexedDB API from a dedicated Web Worker (as the sync worker does), relaxed
// durability, and reports seconds per pass and per 10,000 rows at the end (growth shows superlinear indexes).

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateCorpus } from '../src/lab/corpus'
import { folderId, type MessageRow } from '../src/renderer/src/store/rows'
import { corpusMessageRow } from './lib/corpus-rows'
import { searchWordsOf } from '../src/renderer/src/store/search-words'
import { log } from './lib/result'
import { openOwnOrigin, runWorkerOnce } from './support/own-origin'
import { launchStoreBrowser } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    only: { type: 'string', default: '' },
    rounds: { type: 'string', default: '2' },
  },
})
const N = Number(values.n)

/** Index definitions: [name, keyPath, multiEntry?, unique?]. */
type IndexDef = [string, string | string[], boolean?, boolean?]

const V1: IndexDef[] = [
  ['accountId', 'accountId'],
  ['folderId', 'folderId'],
  ['[folderId+date]', ['folderId', 'date']],
  ['[folderId+uid]', ['folderId', 'uid'], false, true],
  ['threadId', 'threadId'],
  ['messageId', 'messageId'],
]
const V4_NO_WORDS: IndexDef[] = [
  ...V1,
  ['[folderId+unread+date]', ['folderId', 'unread', 'date']],
  ['[folderId+flagged+date]', ['folderId', 'flagged', 'date']],
  ['[folderId+threadId+date]', ['folderId', 'threadId', 'date']],
]
/** The messages table since schema v6 (no folderId, no searchWords). */
const V6: IndexDef[] = V4_NO_WORDS.filter(([name]) => name !== 'folderId')
/** V6 without the indexes no product query reads on the hot path (threadId; accountId: account removal). */
const V6_LEAN: IndexDef[] = V6.filter(([name]) => name !== 'threadId' && name !== 'accountId')
const WORDS: IndexDef = ['searchWords', 'searchWords', true]
const V4: IndexDef[] = [...V4_NO_WORDS, WORDS]

interface Variant {
  name: string
  indexes: IndexDef[]
  batch: number
  /** 'words' keeps searchWords on the row; 'none' leaves it off; 'table' writes them to a second store. */
  words: 'row' | 'none' | 'table'
  /** Rewrite every row once more afterwards (as the snippet pass's `modify` does). */
  rewrite: boolean
  /**
   * Reads in the write transaction: the batch's existing rows by [folderId+uid] before writing (each key, or
   * one key range), or one small row of another store before / after the puts (as the list-bucket counts do).
   */
  lookup: 'none' | 'get-each' | 'range' | 'small-before' | 'small-after'
}

const VARIANTS: Variant[] = [
  { name: 'v4', indexes: V4, batch: 500, words: 'row', rewrite: false, lookup: 'none' },
  { name: 'v4+lookup-each', indexes: V4, batch: 500, words: 'row', rewrite: false, lookup: 'get-each' },
  { name: 'v4+lookup-range', indexes: V4, batch: 500, words: 'row', rewrite: false, lookup: 'range' },
  {
    name: 'v4+small-read-before',
    indexes: V4,
    batch: 500,
    words: 'row',
    rewrite: false,
    lookup: 'small-before',
  },
  {
    name: 'v4+small-read-after',
    indexes: V4,
    batch: 500,
    words: 'row',
    rewrite: false,
    lookup: 'small-after',
  },
  { name: 'v4+rewrite', indexes: V4, batch: 500, words: 'row', rewrite: true, lookup: 'none' },
  { name: 'v4-no-words', indexes: V4_NO_WORDS, batch: 500, words: 'none', rewrite: false, lookup: 'none' },
  {
    name: 'v4-words-table',
    indexes: V4_NO_WORDS,
    batch: 500,
    words: 'table',
    rewrite: false,
    lookup: 'none',
  },
  { name: 'v6', indexes: V6, batch: 500, words: 'none', rewrite: false, lookup: 'none' },
  { name: 'v6-batch-2000', indexes: V6, batch: 2000, words: 'none', rewrite: false, lookup: 'none' },
  {
    name: 'v6-no-threadId',
    indexes: V6.filter(([name]) => name !== 'threadId'),
    batch: 500,
    words: 'none',
    rewrite: false,
    lookup: 'none',
  },
  { name: 'v6-lean', indexes: V6_LEAN, batch: 500, words: 'none', rewrite: false, lookup: 'none' },
  { name: 'v1', indexes: V1, batch: 500, words: 'none', rewrite: false, lookup: 'none' },
  { name: 'no-index', indexes: [], batch: 500, words: 'none', rewrite: false, lookup: 'none' },
  { name: 'v4-batch-100', indexes: V4, batch: 100, words: 'row', rewrite: false, lookup: 'none' },
  { name: 'v4-batch-2000', indexes: V4, batch: 2000, words: 'row', rewrite: false, lookup: 'none' },
  {
    name: 'v4-no-words-batch-2000',
    indexes: V4_NO_WORDS,
    batch: 2000,
    words: 'none',
    rewrite: false,
    lookup: 'none',
  },
]

/** Rows with their search words on them (schema v4/v5's shape; the variants decide where the words go). */
function corpusRows(count: number): MessageRow[] {
  const folder = folderId('acct', 'INBOX')
  return [...generateCorpus({ count, seed: 1, size: 'small' })].map(({ meta }, i) => {
    const row = corpusMessageRow(meta, { accountId: 'acct', folderId: folder, uid: count - i })
    return { ...row, searchWords: searchWordsOf(row) }
  })
}

// Runs in the worker: one variant, returns seconds total and per 10,000 rows.
const WORKER = `
const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error) })
onmessage = async ({ data: { v, rows, dbName } }) => {
  try {
    const open = indexedDB.open(dbName, 1)
    open.onupgradeneeded = () => {
      const s = open.result.createObjectStore('messages', { keyPath: 'id', autoIncrement: true })
      for (const [name, keyPath, multiEntry, unique] of v.indexes) s.createIndex(name, keyPath, { multiEntry: !!multiEntry, unique: !!unique })
      const w = open.result.createObjectStore('words', { keyPath: 'id' })
      w.createIndex('words', 'words', { multiEntry: true })
    }
    const db = await req(open)
    const t0 = performance.now()
    const marks = []
    for (let i = 0; i < rows.length; i += v.batch) {
      const batch = rows.slice(i, i + v.batch).map((r) => {
        const { searchWords, ...rest } = r
        return v.words === 'row' ? r : rest
      })
      const tx = db.transaction(['messages', 'words'], 'readwrite', { durability: 'relaxed' })
      const s = tx.objectStore('messages')
      if (v.lookup === 'get-each') {
        const idx = s.index('[folderId+uid]')
        await Promise.all(batch.map((r) => req(idx.get([r.folderId, r.uid]))))
      } else if (v.lookup === 'range') {
        const uids = batch.map((r) => r.uid)
        const f = batch[0].folderId
        await req(s.index('[folderId+uid]').getAll(IDBKeyRange.bound([f, Math.min(...uids)], [f, Math.max(...uids)])))
      }
      if (v.lookup === 'small-before') await req(tx.objectStore('words').get(-1))
      const ids = []
      batch.forEach((r, j) => { s.put(r).onsuccess = (e) => { ids[j] = e.target.result } })
      if (v.lookup === 'small-after') {
        const w = tx.objectStore('words')
        const got = await req(w.get(-1))
        w.put({ id: -1, words: [], n: (got ? got.n : 0) + batch.length })
      }
      if (v.words === 'table') {
        await done(tx)
        const tx2 = db.transaction(['words'], 'readwrite', { durability: 'relaxed' })
        const w = tx2.objectStore('words')
        rows.slice(i, i + v.batch).forEach((r, j) => w.put({ id: ids[j], words: r.searchWords }))
        await done(tx2)
      } else await done(tx)
      if ((i + v.batch) % 10000 === 0 || i + v.batch >= rows.length) marks.push(performance.now() - t0)
    }
    const written = performance.now() - t0
    let rewrite = 0
    if (v.rewrite) {
      const t1 = performance.now()
      for (let i = 0; i < rows.length; i += v.batch) {
        const tx = db.transaction(['messages'], 'readwrite', { durability: 'relaxed' })
        const s = tx.objectStore('messages')
        const got = await req(s.getAll(IDBKeyRange.bound(i + 1, i + v.batch)))
        for (const r of got) { r.snippet = r.snippet + '.'; s.put(r) }
        await done(tx)
      }
      rewrite = performance.now() - t1
    }
    db.close()
    postMessage({ written, rewrite, marks })
  } catch (e) { postMessage({ error: String(e) }) }
}`

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'idb-write-cost-'))
  const browser = await launchStoreBrowser(dir)
  const page = await browser.browser.contexts()[0]!.newPage()
  try {
    log(`generating ${N} rows ...`)
    const rows = corpusRows(N)
    const words = rows.reduce((s, r) => s + (r.searchWords?.length ?? 0), 0) / rows.length
    log(`${words.toFixed(1)} words a row`)
    const only = values.only ? values.only.split(',') : null
    const chosen = VARIANTS.filter((v) => !only || only.includes(v.name))
    // Every run on its own origin (own LevelDB; an origin's databases share one) and deleted afterwards, and
    // the variants in reverse order on the second round: compaction of what an earlier run wrote goes on in
    // the background and would otherwise be charged to whichever variant runs next.
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const v of round % 2 === 0 ? chosen : [...chosen].reverse()) {
        const origin = await openOwnOrigin(page)
        const result = await runWorkerOnce<{
          written: number
          rewrite: number
          marks: number[]
          error?: string
        }>(page, WORKER, { v, rows, dbName: `db-${v.name}` })
        origin.close()
        if (result.error) throw new Error(`${v.name}: ${result.error}`)
        const per10k = result.marks.map((m, i) => (m - (result.marks[i - 1] ?? 0)) / 1000)
        process.stdout.write(
          JSON.stringify({
            variant: v.name,
            round: round + 1,
            n: N,
            write_s: +(result.written / 1000).toFixed(2),
            rewrite_s: +(result.rewrite / 1000).toFixed(2),
            per_10k_s: per10k.map((s) => +s.toFixed(2)),
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
