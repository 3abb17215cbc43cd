// Store layouts for the sync's writes and the list's reads, against the raw loops, in ONE invocation: the data
// for the store-layout decision of issues 5, 6 and 8 (a diagnostic, not part of `npm run bench`; no app code).
//   npx tsx bench/idb-layout-cost.ts [--n 10000] [--read-n 100000] [--rounds 3] [--only a,d-500] [--no-lab]
//   [--skip-reads]
// Each round runs, in one Chromium and alternating order (reversed every other round), every write variant
// (raw IndexedDB from a dedicated Web Worker, each on a fresh origin, so its own LevelDB) and the reference
// loops of the same lab: `imap-headers` (raw imapflow, and over the product's FETCH items) and
// `pop3-download` (bare RETR loop). Header variants write N lab-corpus rows newest first as the IMAP header
// pass does; body variants write N raw messages oldest first in strict 250-message batches as the POP3
// download does. After each variant the rows (and bodies) are read back and counted: a variant that stored
// fewer than N fails the bench. Then the read side: a folder of --read-n messages per layout, read cold (a
// fresh page and worker) and warm, plus single flag changes. At the end a table: seconds per 10,000 and the
// ratio to the same round's reference (median over rounds).
//
// The layouts:
//   rows    one IndexedDB record per message (today's `messages` table), with a set of secondary indexes;
//   chunks  one record per up to C messages of a folder in list order, key [folderId, bucket, seq] (bucket:
//           the UTC day of the chunk's first row, seq: a per-folder counter), plus one directory record per
//           folder ({key, n, newest, oldest, unread, flagged} per chunk, the next id): the list finds row k
//           from it, as it finds it from the per-day counts today. A batch tops up the folder's last chunk if it
//           is not full (a read-modify-write of that chunk) and starts new chunks for the rest.

import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateCorpus } from '../src/lab/corpus'
import { startLab, type Lab } from '../src/lab/lab'
import { folderId, type MessageRow } from '../src/renderer/src/store/rows'
import { corpusMessageRow } from './lib/corpus-rows'
import { loadInboxContext, type BenchContext } from './lib/context'
import { log } from './lib/result'
import { withTimeout } from './lib/timeout'
import { imapHeaders, rawHeaderLoopSameFields } from './imap-raw'
import { pop3Download } from './pop3-raw'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchStoreBrowser } from './support/web-store'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    'read-n': { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', default: '' },
    'no-lab': { type: 'boolean', default: false },
    'skip-reads': { type: 'boolean', default: false },
  },
})
const N = Number(values.n)
const READ_N = Number(values['read-n'])
const ROUNDS = Number(values.rounds)

/** Index definitions: [name, keyPath, unique?]. */
type IndexDef = [string, string | string[], boolean?]

/** The `messages` indexes of schema v8 (src/renderer/src/store/mail-db.ts, VERSION_6_MESSAGES). */
const V8: IndexDef[] = [
  ['accountId', 'accountId'],
  ['[folderId+date]', ['folderId', 'date']],
  ['[folderId+uid]', ['folderId', 'uid'], true],
  ['[folderId+unread+date]', ['folderId', 'unread', 'date']],
  ['[folderId+flagged+date]', ['folderId', 'flagged', 'date']],
  ['[folderId+threadId+date]', ['folderId', 'threadId', 'date']],
  ['threadId', 'threadId'],
  ['messageId', 'messageId'],
]
/** What the message list reads by (message-window.ts: `byDate`). */
const LIST_ONLY: IndexDef[] = [['[folderId+date]', ['folderId', 'date']]]
/** ...and what the IMAP sync finds rows by (a server's flag change or expunge names a UID). */
const LIST_UID: IndexDef[] = [...LIST_ONLY, ['[folderId+uid]', ['folderId', 'uid'], true]]

interface Variant {
  name: string
  /** 'headers': the IMAP header pass (ref: raw imapflow loop); 'bodies': the POP3 download (ref: RETR loop). */
  kind: 'headers' | 'bodies'
  layout: 'rows' | 'chunks'
  indexes?: IndexDef[]
  /** Rows per chunk record. */
  chunk?: number
  /** Messages per write transaction. */
  batch: number
  durability: 'strict' | 'relaxed'
  /** One id → chunk-key record per message besides the chunks (what search and actions would look up). */
  locator?: boolean
  /**
   * Where a body goes: a value per message in `bodies` (today), appended to one OPFS file per folder and
   * flushed before the batch commits (offset and length on the row), or packed into IndexedDB values of
   * ~1 MB (several messages each, offsets on the row).
   */
  body?: 'idb-each' | 'opfs-append' | 'idb-chunk'
  /** POP3 ledger: a row per message (today: key [accountId+uidl], indexes accountId, messageId) or one per batch. */
  ledger?: 'rows' | 'batch'
  /**
   * The rest of today's commit per batch (derived-rows.ts): per-day counts read and rewritten, a
   * thread row per thread the batch touches (from a kept copy, as FolderThreadCache does in a first pass; key
   * [folderId+threadId], index [folderId+date]) and the per-day thread counts.
   */
  upkeep?: boolean
  /**
   * Thread rows in chunk records instead: up to `chunk` threads a record (key [folderId, seq], a thread stays
   * in the record it was created in), each record a batch touches rewritten whole from the kept copy, and
   * one directory record with per-chunk counts in place of the per-day tables.
   */
  threadChunks?: boolean
  what: string
}

const H = { kind: 'headers', batch: 500, durability: 'relaxed' } as const
const B = { kind: 'bodies', batch: 250, durability: 'strict' } as const
const VARIANTS: Variant[] = [
  { ...H, name: 'a', layout: 'rows', indexes: V8, what: 'rows, the 8 v8 indexes (today)' },
  { ...H, name: 'a-strict', layout: 'rows', indexes: V8, durability: 'strict', what: '(a), strict' },
  { ...H, name: 'a-b2000', layout: 'rows', indexes: V8, batch: 2000, what: '(a), 2,000 a transaction' },
  { ...H, name: 'b', layout: 'rows', indexes: [], what: 'rows, no secondary index' },
  { ...H, name: 'c', layout: 'rows', indexes: LIST_ONLY, what: 'rows, [folderId+date] only' },
  { ...H, name: 'c-uid', layout: 'rows', indexes: LIST_UID, what: 'rows, [folderId+date] + &[folderId+uid]' },
  { ...H, name: 'd-250', layout: 'chunks', chunk: 250, what: 'chunks of 250' },
  { ...H, name: 'd-500', layout: 'chunks', chunk: 500, what: 'chunks of 500' },
  {
    ...H,
    name: 'd-2000',
    layout: 'chunks',
    chunk: 2000,
    what: 'chunks of 2,000 (3 of 4 batches top one up)',
  },
  {
    ...H,
    name: 'd-500-b350',
    layout: 'chunks',
    chunk: 500,
    batch: 350,
    what: 'chunks of 500, batches of 350',
  },
  { ...H, name: 'd-500-b2000', layout: 'chunks', chunk: 500, batch: 2000, what: 'chunks of 500, 2,000 a tx' },
  {
    ...H,
    name: 'd-2000-b2000',
    layout: 'chunks',
    chunk: 2000,
    batch: 2000,
    what: 'chunks of 2,000, 2,000 a tx',
  },
  { ...H, name: 'd-500-strict', layout: 'chunks', chunk: 500, durability: 'strict', what: '(d-500), strict' },
  { ...H, name: 'e-500', layout: 'chunks', chunk: 500, locator: true, what: '(d-500) + id → chunk row each' },
  {
    ...H,
    name: 'a-upkeep',
    layout: 'rows',
    indexes: V8,
    upkeep: true,
    what: '(a) + day counts and thread rows',
  },
  {
    ...H,
    name: 'd-500-upkeep',
    layout: 'chunks',
    chunk: 500,
    upkeep: true,
    what: '(d-500) + thread rows as today (a row per thread)',
  },
  {
    ...H,
    name: 'd-500-tchunks',
    layout: 'chunks',
    chunk: 500,
    threadChunks: true,
    what: '(d-500) + thread rows in chunks of 500 threads',
  },
  {
    ...B,
    name: 'f-now',
    layout: 'rows',
    indexes: V8,
    body: 'idb-each',
    ledger: 'rows',
    what: 'rows (v8) + body value + ledger row each (today)',
  },
  {
    ...B,
    name: 'f-opfs',
    layout: 'chunks',
    chunk: 500,
    body: 'opfs-append',
    ledger: 'batch',
    what: 'chunks of 500 + OPFS file per folder + ledger per batch',
  },
  {
    ...B,
    name: 'f-opfs-ledger-rows',
    layout: 'chunks',
    chunk: 500,
    body: 'opfs-append',
    ledger: 'rows',
    what: '(f-opfs) with a ledger row each',
  },
  {
    ...B,
    name: 'f-idb-chunk',
    layout: 'chunks',
    chunk: 500,
    body: 'idb-chunk',
    ledger: 'batch',
    what: 'chunks of 500 + bodies in ~1 MB values + ledger per batch',
  },
]

/** The read side's layouts: [name, rows per chunk (0: rows with the v8 indexes)]. */
const READ_LAYOUTS: [string, number][] = [
  ['a', 0],
  ['d-500', 500],
  ['d-2000', 2000],
]

// Runs in the worker. Stores exist in every variant's database (an empty store costs nothing).
const WORKER = `
const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error || new Error('aborted')) })
const DAY = 86400000
const ACCT = 'acct'

function openDb(name, indexes) {
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    const db = open.result
    const m = db.createObjectStore('messages', { keyPath: 'id', autoIncrement: true })
    for (const [n, keyPath, unique] of indexes) m.createIndex(n, keyPath, { unique: !!unique })
    db.createObjectStore('chunks', { keyPath: ['folderId', 'bucket', 'seq'] })
    db.createObjectStore('dir', { keyPath: 'folderId' })
    db.createObjectStore('locator', { keyPath: 'id' })
    db.createObjectStore('bodies', { keyPath: 'messageId' })
    db.createObjectStore('bodyChunks', { keyPath: ['folderId', 'seq'] })
    const l = db.createObjectStore('ledger', { keyPath: ['accountId', 'uidl'] })
    l.createIndex('accountId', 'accountId')
    l.createIndex('messageId', 'messageId')
    db.createObjectStore('ledgerBatches', { keyPath: ['accountId', 'seq'] })
    db.createObjectStore('listBuckets', { keyPath: ['folderId', 'day'] })
    db.createObjectStore('threads', { keyPath: ['folderId', 'threadId'] }).createIndex('[folderId+date]', ['folderId', 'date'])
    db.createObjectStore('threadBuckets', { keyPath: ['folderId', 'day'] })
    db.createObjectStore('threadChunks', { keyPath: ['folderId', 'seq'] })
  }
  return req(open)
}

function entryOf(key, rows) {
  const e = { key, n: 0, newest: -Infinity, oldest: Infinity, unread: 0, flagged: 0 }
  addTo(e, rows)
  return e
}
function addTo(e, rows) {
  for (const r of rows) {
    e.n++
    if (r.date > e.newest) e.newest = r.date
    if (r.date < e.oldest) e.oldest = r.date
    e.unread += r.unread
    e.flagged += r.flagged
  }
}

/**
 * Appends rows (in arrival order) to a folder's chunks inside tx: tops up the last chunk when it has room
 * (reads it, adds, writes it back), then starts new ones. Rows get ids from the directory's counter. Returns
 * each row's chunk key.
 */
async function appendToChunks(tx, folderId, rows, size) {
  const dirs = tx.objectStore('dir')
  const chunks = tx.objectStore('chunks')
  const dir = (await req(dirs.get(folderId))) || { folderId, nextId: 1, seq: 0, chunks: [] }
  for (const r of rows) r.id = dir.nextId++
  const keys = []
  let rest = rows
  const last = dir.chunks[dir.chunks.length - 1]
  if (last && last.n < size) {
    const c = await req(chunks.get(last.key))
    const take = rest.slice(0, size - last.n)
    rest = rest.slice(take.length)
    for (const r of take) c.rows.push(r)
    chunks.put(c)
    addTo(last, take)
    for (const _ of take) keys.push(last.key)
  }
  while (rest.length > 0) {
    const take = rest.slice(0, size)
    rest = rest.slice(take.length)
    const key = [folderId, Math.floor(take[0].date / DAY), ++dir.seq]
    chunks.put({ folderId, bucket: key[1], seq: key[2], rows: take })
    dir.chunks.push(entryOf(key, take))
    for (const _ of take) keys.push(key)
  }
  dirs.put(dir)
  return keys
}

/** Adds n to the per-day counts of each day in deltas (Map day → {all, unread, flagged}). */
async function addDayCounts(store, folderId, deltas) {
  const days = [...deltas.keys()]
  const got = await Promise.all(days.map((d) => req(store.get([folderId, d]))))
  days.forEach((d, j) => {
    const b = got[j] || { folderId, day: d, all: 0, unread: 0, flagged: 0 }
    const x = deltas.get(d)
    b.all += x.all; b.unread += x.unread; b.flagged += x.flagged
    store.put(b)
  })
}
const bump = (m, d, all, unread, flagged) => {
  const x = m.get(d) || { all: 0, unread: 0, flagged: 0 }
  x.all += all; x.unread += unread; x.flagged += flagged
  m.set(d, x)
}

/** Today's per-batch upkeep besides the rows (see Variant.upkeep); threads: the kept copy, Map key → row. */
async function upkeep(tx, batch, ids, threads) {
  const folderId = batch[0].folderId
  const days = new Map()
  for (const r of batch) bump(days, Math.floor(r.date / DAY), 1, r.unread, r.flagged)
  await addDayCounts(tx.objectStore('listBuckets'), folderId, days)
  const tdays = new Map()
  const touched = new Set()
  batch.forEach((r, j) => {
    const key = r.threadId
    let t = threads.get(key)
    if (!t) {
      t = { folderId, threadId: r.threadId, date: r.date, headId: ids[j], count: 0, unread: 0, flagged: 0 }
      threads.set(key, t)
      bump(tdays, Math.floor(r.date / DAY), 1, 0, 0)
    } else if (r.date > t.date) {
      bump(tdays, Math.floor(t.date / DAY), -1, 0, 0)
      bump(tdays, Math.floor(r.date / DAY), 1, 0, 0)
      t.date = r.date
      t.headId = ids[j]
    }
    t.count++; t.unread += r.unread; t.flagged += r.flagged
    touched.add(t)
  })
  const ts = tx.objectStore('threads')
  for (const t of touched) ts.put(t)
  await addDayCounts(tx.objectStore('threadBuckets'), folderId, tdays)
}

/** Thread rows in chunk records (see Variant.threadChunks); kept: { threads: Map, chunks: [[row]] }. */
function putThreadChunks(tx, batch, ids, kept, size) {
  const folderId = batch[0].folderId
  const touched = new Set()
  batch.forEach((r, j) => {
    let t = kept.threads.get(r.threadId)
    if (!t) {
      let last = kept.chunks.length - 1
      if (last < 0 || kept.chunks[last].length >= size) { kept.chunks.push([]); last++ }
      t = { seq: last, row: { threadId: r.threadId, date: r.date, headId: ids[j], count: 0, unread: 0, flagged: 0 } }
      kept.chunks[last].push(t.row)
      kept.threads.set(r.threadId, t)
    } else if (r.date > t.row.date) { t.row.date = r.date; t.row.headId = ids[j] }
    t.row.count++; t.row.unread += r.unread; t.row.flagged += r.flagged
    touched.add(t.seq)
  })
  const store = tx.objectStore('threadChunks')
  for (const seq of touched) store.put({ folderId, seq, threads: kept.chunks[seq] })
  const entries = kept.chunks.map((c, seq) => ({ seq, n: c.length, newest: Math.max(...c.map((t) => t.date)), unread: c.reduce((s, t) => s + (t.unread > 0 ? 1 : 0), 0) }))
  tx.objectStore('dir').put({ folderId: folderId + '#threads', chunks: entries })
}

/** Every stored row and body, counted (and bytes summed) after a variant: what it really wrote. */
async function readBack(db, v, opfsFile) {
  const tx = db.transaction(['messages', 'chunks', 'dir', 'locator', 'bodies', 'bodyChunks', 'ledger', 'ledgerBatches', 'threads', 'listBuckets', 'threadChunks'], 'readonly')
  const out = {}
  if (v.threadChunks) {
    const chunks = await req(tx.objectStore('threadChunks').getAll())
    out.threads = chunks.reduce((s, c) => s + c.threads.length, 0)
    out.threadMessages = chunks.reduce((s, c) => s + c.threads.reduce((t, x) => t + x.count, 0), 0)
  }
  if (v.upkeep) {
    const threads = await req(tx.objectStore('threads').getAll())
    out.threads = threads.length
    out.threadMessages = threads.reduce((s, t) => s + t.count, 0)
    out.dayCounted = (await req(tx.objectStore('listBuckets').getAll())).reduce((s, b) => s + b.all, 0)
  }
  if (v.layout === 'rows') out.rows = await req(tx.objectStore('messages').count())
  else {
    let n = 0
    const chunks = await req(tx.objectStore('chunks').getAll())
    for (const c of chunks) n += c.rows.length
    const dirs = (await req(tx.objectStore('dir').getAll())).filter((d) => !d.folderId.endsWith('#threads'))
    out.rows = n
    out.dirRows = dirs.reduce((s, d) => s + d.chunks.reduce((t, e) => t + e.n, 0), 0)
    out.chunkRecords = chunks.length
  }
  if (v.locator) out.locators = await req(tx.objectStore('locator').count())
  if (v.body === 'idb-each') {
    out.bodies = await req(tx.objectStore('bodies').count())
    let bytes = 0
    await new Promise((ok, fail) => {
      const c = tx.objectStore('bodies').openCursor()
      c.onsuccess = () => { const cur = c.result; if (!cur) return ok(); bytes += cur.value.raw.length; cur.continue() }
      c.onerror = () => fail(c.error)
    })
    out.bodyBytes = bytes
  }
  if (v.body === 'idb-chunk') {
    const all = await req(tx.objectStore('bodyChunks').getAll())
    out.bodies = all.reduce((s, c) => s + c.count, 0)
    out.bodyBytes = all.reduce((s, c) => s + c.raw.length, 0)
    out.bodyRecords = all.length
  }
  if (v.body === 'opfs-append') {
    out.bodies = out.rows
    out.bodyBytes = opfsFile.getSize()
  }
  if (v.body === 'opfs-append' || v.body === 'idb-chunk') {
    // What the rows point at must add up to the bytes stored.
    let n = 0
    for (const c of await req(tx.objectStore('chunks').getAll())) for (const r of c.rows) n += r.body ? r.body.length : 0
    out.rowBodyBytes = n
  }
  if (v.ledger === 'rows') out.ledger = await req(tx.objectStore('ledger').count())
  if (v.ledger === 'batch') out.ledger = (await req(tx.objectStore('ledgerBatches').getAll())).reduce((s, b) => s + b.uidls.length, 0)
  await done(tx)
  return out
}

async function write({ v, origin, dbName }) {
  const rows = await (await fetch(origin + '/' + v.kind + '.json')).json()
  let raws = null
  if (v.kind === 'bodies') {
    const sizes = await (await fetch(origin + '/sizes.json')).json()
    const all = new Uint8Array(await (await fetch(origin + '/corpus.bin')).arrayBuffer())
    raws = []
    let at = 0
    // Copies: a view into the download would store the whole download with each message (structured clone).
    for (const s of sizes) { raws.push(all.slice(at, at + s)); at += s }
  }
  const db = await openDb(dbName, v.indexes || [])
  const opfs = v.body === 'opfs-append' ? await navigator.storage.getDirectory() : null
  const file = opfs ? await (await opfs.getFileHandle(dbName + '.pack', { create: true })).createSyncAccessHandle() : null
  let fileAt = 0
  let bodySeq = 0
  let ledgerSeq = 0
  const stores = ['messages', 'chunks', 'dir', 'locator', 'bodies', 'bodyChunks', 'ledger', 'ledgerBatches', 'listBuckets', 'threads', 'threadBuckets', 'threadChunks']
  const threads = new Map()
  const keptThreads = { threads: new Map(), chunks: [] }
  await mark('start')
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i += v.batch) {
    const batch = rows.slice(i, i + v.batch).map((r) => ({ ...r }))
    const bytes = raws ? raws.slice(i, i + v.batch) : null
    if (file) {
      // The bytes are on disk before the rows that point at them commit.
      for (let j = 0; j < bytes.length; j++) {
        file.write(bytes[j], { at: fileAt })
        batch[j].body = { at: fileAt, length: bytes[j].length }
        fileAt += bytes[j].length
      }
      file.flush()
    }
    const tx = db.transaction(stores, 'readwrite', { durability: v.durability })
    if (v.kind === 'bodies' && v.ledger === 'rows') {
      // The download asks the ledger first: a message already stored is dropped, never stored twice.
      const l = tx.objectStore('ledger')
      await Promise.all(batch.map((r) => req(l.get([ACCT, r.uidl]))))
    }
    if (v.body === 'idb-chunk') {
      // Consecutive messages packed into values of ~1 MB, each row pointing at its value and offset.
      const bc = tx.objectStore('bodyChunks')
      let parts = []
      let size = 0
      const flushPack = () => {
        if (parts.length === 0) return
        const raw = new Uint8Array(size)
        let at = 0
        for (const [j, p] of parts) { raw.set(p, at); batch[j].body = { seq: bodySeq, at, length: p.length }; at += p.length }
        bc.put({ folderId: batch[0].folderId, seq: bodySeq++, count: parts.length, raw })
        parts = []
        size = 0
      }
      bytes.forEach((b, j) => { parts.push([j, b]); size += b.length; if (size >= 1048576) flushPack() })
      flushPack()
    }
    let ids
    if (v.layout === 'rows') {
      const s = tx.objectStore('messages')
      ids = await Promise.all(batch.map((r) => req(s.add(r))))
    } else {
      const keys = await appendToChunks(tx, batch[0].folderId, batch, v.chunk)
      ids = batch.map((r) => r.id)
      if (v.locator) {
        const loc = tx.objectStore('locator')
        batch.forEach((r, j) => loc.put({ id: r.id, chunk: keys[j] }))
      }
    }
    if (v.upkeep) await upkeep(tx, batch, ids, threads)
    if (v.threadChunks) putThreadChunks(tx, batch, ids, keptThreads, v.chunk)
    if (v.body === 'idb-each') {
      const b = tx.objectStore('bodies')
      bytes.forEach((raw, j) => b.put({ messageId: ids[j], raw, storedAt: Date.now() }))
    }
    if (v.ledger === 'rows') {
      const l = tx.objectStore('ledger')
      batch.forEach((r, j) => l.add({ accountId: ACCT, uidl: r.uidl, messageId: ids[j], storedAt: Date.now(), deletedFromServerAt: null, fullStored: true, deletedLocallyAt: null, sha256: 'ab'.repeat(32) }))
    }
    if (v.ledger === 'batch') {
      tx.objectStore('ledgerBatches').put({ accountId: ACCT, seq: ledgerSeq++, uidls: batch.map((r) => r.uidl), ids, storedAt: Date.now() })
    }
    await done(tx)
  }
  const written = performance.now() - t0
  await mark('end')
  const back = await readBack(db, v, file)
  file?.close()
  if (opfs) await opfs.removeEntry(dbName + '.pack')
  db.close()
  return { written, back }
}

// ---- the read side ----

/** READ_N rows: the N corpus rows, each copied k times a minute apart (~90 a day over three years at 100k). */
function bigFolder(rows, count) {
  const copies = Math.ceil(count / rows.length)
  const out = []
  for (let k = 0; k < copies && out.length < count; k++) {
    for (const r of rows) { if (out.length < count) out.push({ ...r, date: r.date + k * 60000, messageId: r.messageId + k }) }
  }
  out.sort((a, b) => b.date - a.date)
  out.forEach((r, i) => { r.uid = out.length - i })
  return out
}

async function fill({ origin, dbName, chunk, count }) {
  const rows = bigFolder(await (await fetch(origin + '/headers.json')).json(), count)
  const db = await openDb(dbName, chunk ? [] : ${JSON.stringify(V8)})
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i += 2000) {
    const batch = rows.slice(i, i + 2000)
    const tx = db.transaction(['messages', 'chunks', 'dir'], 'readwrite', { durability: 'relaxed' })
    if (chunk) await appendToChunks(tx, batch[0].folderId, batch, chunk)
    else { const s = tx.objectStore('messages'); for (const r of batch) s.add(r) }
    await done(tx)
  }
  if (!chunk) {
    // The per-day counts the list positions itself by (list-buckets.ts).
    const days = new Map()
    for (const r of rows) {
      const d = Math.floor(r.date / DAY)
      const b = days.get(d) || { folderId: r.folderId, day: d, all: 0, unread: 0, flagged: 0 }
      b.all++; b.unread += r.unread; b.flagged += r.flagged
      days.set(d, b)
    }
    const tx = db.transaction(['listBuckets'], 'readwrite', { durability: 'relaxed' })
    for (const b of days.values()) tx.objectStore('listBuckets').put(b)
    await done(tx)
  }
  const ms = performance.now() - t0
  const tx = db.transaction(['messages', 'chunks'], 'readonly')
  const stored = chunk ? (await req(tx.objectStore('chunks').getAll())).reduce((s, c) => s + c.rows.length, 0) : await req(tx.objectStore('messages').count())
  db.close()
  return { ms, stored, folderId: rows[0].folderId }
}

/** Newest first, like the app's byDate(...).reverse() through Dexie (getAll with a direction where Chromium has it). */
function newestFirst(source, range, count) {
  if ('getAllRecords' in source) return req(source.getAll({ query: range, count, direction: 'prev' }))
  return new Promise((ok, fail) => {
    const out = []
    const c = source.openCursor(range, 'prev')
    c.onsuccess = () => { const cur = c.result; if (!cur || out.length === count) return ok(out); out.push(cur.value); cur.continue() }
    c.onerror = () => fail(c.error)
  })
}

/** Rows offset … offset+limit of the folder, newest first, the way each layout finds them. */
async function readWindow(db, chunk, folderId, offset, limit) {
  if (!chunk) {
    // message-window.ts: the per-day counts, then one index range from the end of the anchor day.
    const tx = db.transaction(['messages', 'listBuckets'], 'readonly')
    const buckets = await req(tx.objectStore('listBuckets').getAll(IDBKeyRange.bound([folderId, -Infinity], [folderId, Infinity])))
    let seen = 0
    let anchor = null
    for (let i = buckets.length - 1; i >= 0; i--) {
      if (offset < seen + buckets[i].all) { anchor = { day: buckets[i].day, skip: offset - seen }; break }
      seen += buckets[i].all
    }
    if (!anchor) return []
    const range = IDBKeyRange.bound([folderId, -Infinity], [folderId, (anchor.day + 1) * DAY], false, true)
    const rows = await newestFirst(tx.objectStore('messages').index('[folderId+date]'), range, anchor.skip + limit)
    return rows.slice(anchor.skip)
  }
  const tx = db.transaction(['chunks', 'dir'], 'readonly')
  const dir = await req(tx.objectStore('dir').get(folderId))
  const wanted = []
  let seen = 0
  for (const e of dir.chunks) {
    if (seen + e.n > offset && seen < offset + limit) wanted.push([e, seen])
    seen += e.n
    if (seen >= offset + limit) break
  }
  const chunks = await Promise.all(wanted.map(([e]) => req(tx.objectStore('chunks').get(e.key))))
  const out = []
  chunks.forEach((c, j) => { const from = Math.max(0, offset - wanted[j][1]); for (const r of c.rows.slice(from, from + limit - out.length)) out.push(r) })
  return out
}

function check(rows, limit, offset, count) {
  if (rows.length !== limit) throw new Error('read ' + rows.length + ' rows at ' + offset + ', expected ' + limit)
  for (let i = 1; i < rows.length; i++) if (rows[i].date > rows[i - 1].date) throw new Error('rows out of order at ' + offset)
  if (rows[0].uid !== count - offset) throw new Error('row ' + offset + ' has uid ' + rows[0].uid + ', expected ' + (count - offset))
}

/** One flag change, as the app commits it: the row (or its chunk) and the counts the list reads. */
async function toggleUnread(db, chunk, folderId, offset) {
  const [target] = await readWindow(db, chunk, folderId, offset, 1)
  const t0 = performance.now()
  if (!chunk) {
    const tx = db.transaction(['messages', 'listBuckets'], 'readwrite', { durability: 'relaxed' })
    const s = tx.objectStore('messages')
    const row = await req(s.get(target.id))
    const delta = row.unread ? -1 : 1
    row.unread = 1 - row.unread
    s.put(row)
    const b = tx.objectStore('listBuckets')
    const bucket = await req(b.get([folderId, Math.floor(row.date / DAY)]))
    bucket.unread += delta
    b.put(bucket)
    await done(tx)
  } else {
    const tx = db.transaction(['chunks', 'dir'], 'readwrite', { durability: 'relaxed' })
    const dir = await req(tx.objectStore('dir').get(folderId))
    let seen = 0
    const e = dir.chunks.find((c) => { seen += c.n; return seen > offset })
    const c = await req(tx.objectStore('chunks').get(e.key))
    const row = c.rows.find((r) => r.id === target.id)
    e.unread += row.unread ? -1 : 1
    row.unread = 1 - row.unread
    tx.objectStore('chunks').put(c)
    tx.objectStore('dir').put(dir)
    await done(tx)
  }
  return performance.now() - t0
}

async function reads({ dbName, chunk, folderId, count }) {
  const t0 = performance.now()
  const db = await openDb(dbName, [])
  const open = performance.now() - t0
  const mid = Math.floor(count / 2)
  const time = async (offset) => { const t = performance.now(); const rows = await readWindow(db, chunk, folderId, offset, 50); const ms = performance.now() - t; check(rows, 50, offset, count); return ms }
  const cold = { first50: await time(0), mid: await time(mid) }
  const warm = { first50: await time(0), mid: await time(mid) }
  const flags = []
  for (let k = 0; k < 20; k++) flags.push(await toggleUnread(db, chunk, folderId, (k * 4999 + 7) % count))
  for (let k = 0; k < 20; k++) await toggleUnread(db, chunk, folderId, (k * 4999 + 7) % count)
  db.close()
  return { open, cold, warm, flags }
}

// The page samples the browser's CPU at each mark (outside the timed section) and answers 'go'.
let go = null
const mark = (name) => new Promise((ok) => { go = ok; postMessage({ mark: name }) })
onmessage = async ({ data }) => {
  if (data === 'go') return go()
  try {
    const out = data.op === 'write' ? await write(data) : data.op === 'fill' ? await fill(data) : await reads(data)
    postMessage(out)
  } catch (e) { postMessage({ error: String(e && e.stack || e) }) }
}`

/** Lab-corpus rows as the sync worker stores them; corpus index = IMAP UID = POP3 message number. */
function corpusRows(): { headers: MessageRow[]; bodies: MessageRow[]; raws: Buffer[] } {
  const folder = folderId('acct', 'INBOX')
  const bodies: MessageRow[] = []
  const raws: Buffer[] = []
  let i = 0
  for (const { meta, raw } of generateCorpus({ count: N, seed: 1 })) {
    i++
    bodies.push({
      ...corpusMessageRow(meta, { accountId: 'acct', folderId: folder, uid: 0 }),
      uid: null,
      uidl: `u${i}`,
      bodyState: 'full',
    })
    raws.push(raw)
  }
  // The IMAP header pass: newest (highest UID) first, no snippet (a background pass fetches those).
  const headers = bodies
    .map((r, k) => ({ ...r, uid: k + 1, uidl: null, snippet: '', bodyState: 'none' as const }))
    .reverse()
  return { headers, bodies, raws }
}

interface Origin {
  url: string
  close(): void
}

/** A fresh origin (own LevelDB, own OPFS) serving the page and the data its worker fetches. */
async function serve(files: Record<string, Buffer>): Promise<Origin> {
  const server: Server = createServer((q, res) => {
    const body = files[q.url ?? '']
    if (body) return res.end(body)
    res.end('<!doctype html><title>idb</title>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => server.close(),
  }
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

/** CPU seconds of exactly that process kind (e.g. 'chromium': the browser process). */
const cpuOf = (cpu: Record<string, number>, kind: string): number => cpu[kind] ?? 0

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'idb-layout-cost-'))
  let lab: Lab | undefined
  const browser = await launchStoreBrowser(join(dir, 'profile'))
  try {
    const page = await browser.browser.contexts()[0]!.newPage()
    const cpuAt = new Map<string, Map<string, number>>()
    await page.exposeFunction('__benchMark', async (name: string) => {
      cpuAt.set(name, await cpuByKind({ chromium: browser.pid }))
    })
    const inWorker = async <T>(origin: Origin, arg: object): Promise<T> => {
      await page.goto(origin.url + '/')
      const out = (await page.evaluate(
        `(async (arg) => {
          const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(WORKER)}], { type: 'text/javascript' })))
          const out = await new Promise((ok) => {
            w.onmessage = (e) => {
              if (e.data && e.data.mark) return window.__benchMark(e.data.mark).then(() => w.postMessage('go'))
              ok(e.data)
            }
            w.postMessage(arg)
          })
          w.terminate()
          return out
        })(${JSON.stringify(arg)})`,
      )) as T & { error?: string }
      if (out.error) throw new Error(out.error)
      return out
    }
    const dropDb = (origin: Origin, dbName: string): Promise<unknown> =>
      page.evaluate(
        `new Promise((ok) => { const r = indexedDB.deleteDatabase(${JSON.stringify(dbName)}); r.onsuccess = r.onerror = ok })`,
      )

    log(`load ${load()}; generating ${N} messages ...`)
    const { headers, bodies, raws } = corpusRows()
    const files = {
      '/headers.json': Buffer.from(JSON.stringify(headers)),
      '/bodies.json': Buffer.from(JSON.stringify(bodies)),
      '/sizes.json': Buffer.from(JSON.stringify(raws.map((r) => r.length))),
      '/corpus.bin': Buffer.concat(raws),
    }
    const totalBytes = files['/corpus.bin'].length
    const threadCount = new Set(headers.map((r) => r.threadId)).size
    log(`${(totalBytes / 1024 / 1024).toFixed(1)} MiB of messages`)

    let ctx: BenchContext | undefined
    if (!values['no-lab']) {
      lab = await startLab()
      const inbox = await loadInboxContext(lab, N, dir)
      log(`lab: ${inbox.loaded.count} messages in alice's INBOX in ${(inbox.loaded.ms / 1000).toFixed(1)} s`)
      ctx = inbox.ctx
    }
    const refs: Record<string, (c: BenchContext, s: AbortSignal) => Promise<number>> = {
      'ref:imap-headers': (c, s) => imapHeaders.reference(c, s),
      'ref:imap-same-fields': rawHeaderLoopSameFields,
      'ref:pop3-retr': (c, s) => pop3Download.reference(c, s),
    }

    const only = values.only ? values.only.split(',') : null
    const chosen = VARIANTS.filter((v) => !only || only.includes(v.name))
    const items: string[] = [...chosen.map((v) => v.name), ...(ctx ? Object.keys(refs) : [])]
    /** Seconds per item per round. */
    const seconds = new Map<string, number[]>(items.map((name) => [name, []]))
    /** Browser-process CPU seconds (where IndexedDB runs) per variant per round. */
    const cpus = new Map<string, number[]>(items.map((name) => [name, []]))
    const loads: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      loads.push(load())
      log(`round ${round + 1}: load ${loads[round]}`)
      for (const name of round % 2 === 0 ? items : [...items].reverse()) {
        let s: number
        const v = chosen.find((x) => x.name === name)
        if (!v) {
          s = await withTimeout(300_000, name, (signal) => refs[name]!(ctx!, signal))
          process.stdout.write(
            JSON.stringify({ item: name, round: round + 1, n: N, s: +s.toFixed(3) }) + '\n',
          )
        } else {
          const origin = await serve(files)
          const dbName = `db-${v.name}`
          const out = await inWorker<{ written: number; back: Record<string, number> }>(origin, {
            op: 'write',
            v,
            origin: origin.url,
            dbName,
          })
          await dropDb(origin, dbName)
          origin.close()
          s = out.written / 1000
          const cpu = cpuSpent(cpuAt.get('start')!, cpuAt.get('end')!)
          cpus.get(name)!.push(cpuOf(cpu, 'chromium'))
          // What the variant stored, read back: anything short of N (or of the corpus bytes) fails the bench.
          const want: Record<string, number> = { rows: N }
          if (v.layout === 'chunks') want.dirRows = N
          if (v.locator) want.locators = N
          if (v.body) Object.assign(want, { bodies: N, bodyBytes: totalBytes })
          if (v.body === 'opfs-append' || v.body === 'idb-chunk') want.rowBodyBytes = totalBytes
          if (v.ledger) want.ledger = N
          if (v.upkeep) Object.assign(want, { threads: threadCount, threadMessages: N, dayCounted: N })
          if (v.threadChunks) Object.assign(want, { threads: threadCount, threadMessages: N })
          for (const [k, n] of Object.entries(want)) {
            if (out.back[k] !== n)
              throw new Error(`${v.name}: read back ${k} = ${out.back[k]}, expected ${n}`)
          }
          process.stdout.write(
            JSON.stringify({
              item: name,
              round: round + 1,
              n: N,
              s: +s.toFixed(3),
              cpu_s: cpu,
              read_back: out.back,
            }) + '\n',
          )
        }
        seconds.get(name)!.push(s)
      }
    }

    // The read side: one folder of READ_N per layout, filled once, then read from a fresh page each round.
    const readResults = new Map<string, { open: number; cold: number[]; warm: number[]; flags: number[] }[]>()
    if (!values['skip-reads']) {
      const stores: { name: string; chunk: number; origin: Origin; folderId: string; fillS: number }[] = []
      for (const [name, chunk] of READ_LAYOUTS) {
        const origin = await serve(files)
        log(`filling ${READ_N} rows as ${name} (load ${load()}) ...`)
        const f = await inWorker<{ ms: number; stored: number; folderId: string }>(origin, {
          op: 'fill',
          origin: origin.url,
          dbName: `read-${name}`,
          chunk,
          count: READ_N,
        })
        if (f.stored !== READ_N) throw new Error(`${name}: filled ${f.stored} rows, expected ${READ_N}`)
        stores.push({ name, chunk, origin, folderId: f.folderId, fillS: f.ms / 1000 })
        readResults.set(name, [])
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of round % 2 === 0 ? stores : [...stores].reverse()) {
          const r = await inWorker<{
            open: number
            cold: { first50: number; mid: number }
            warm: { first50: number; mid: number }
            flags: number[]
          }>(s.origin, {
            op: 'reads',
            dbName: `read-${s.name}`,
            chunk: s.chunk,
            folderId: s.folderId,
            count: READ_N,
          })
          readResults.get(s.name)!.push({
            open: r.open,
            cold: [r.cold.first50, r.cold.mid],
            warm: [r.warm.first50, r.warm.mid],
            flags: r.flags,
          })
          process.stdout.write(
            JSON.stringify({ read: s.name, round: round + 1, n: READ_N, fill_s: +s.fillS.toFixed(2), ...r }) +
              '\n',
          )
        }
      }
      for (const s of stores) {
        await page.goto(s.origin.url + '/')
        await dropDb(s.origin, `read-${s.name}`)
        s.origin.close()
      }
      log(
        `fill of ${READ_N}: ${stores.map((s) => `${s.name} ${s.fillS.toFixed(1)} s`).join(', ')} (2,000 a transaction)`,
      )
    }

    // The table: medians over rounds; ratios to the median of the same invocation's reference.
    const med = (name: string): number | null => {
      const xs = seconds.get(name)
      return xs && xs.length > 0 ? median(xs) : null
    }
    const per10k = (s: number): number => (s * 10_000) / N
    const imapRef = med('ref:imap-headers')
    const sameRef = med('ref:imap-same-fields')
    const popRef = med('ref:pop3-retr')
    const fmt = (x: number | null, d = 2): string => (x === null ? '–' : x.toFixed(d))
    const lines = [
      `loads per round: ${loads.join(' | ')}; now ${load()}`,
      '',
      '| variant | what | s per 10k (median) | rounds | browser CPU s per 10k | × raw imapflow | × same-fields loop | × RETR loop |',
      '|---|---|---|---|---|---|---|---|',
    ]
    for (const name of items) {
      const m = med(name)!
      const v = chosen.find((x) => x.name === name)
      const all = seconds
        .get(name)!
        .map((s) => per10k(s).toFixed(2))
        .join(' / ')
      const isHeaders = v?.kind === 'headers'
      const isBodies = v?.kind === 'bodies'
      lines.push(
        `| ${name} | ${v?.what ?? 'reference loop (lab)'} | ${per10k(m).toFixed(2)} | ${all} | ${
          v ? per10k(median(cpus.get(name)!)).toFixed(2) : ''
        } | ${
          isHeaders && imapRef ? fmt(m / imapRef) : ''
        } | ${isHeaders && sameRef ? fmt(m / sameRef) : ''} | ${isBodies && popRef ? fmt(m / popRef) : ''} |`,
      )
    }
    if (readResults.size > 0) {
      lines.push(
        '',
        `Reads of a ${READ_N}-message folder, newest first, ms (median over rounds; cold = fresh page and worker):`,
        '',
        `| layout | open | cold first 50 | cold rows ${READ_N / 2}+ | warm first 50 | warm rows ${READ_N / 2}+ | flag change (median of 20) |`,
        '|---|---|---|---|---|---|---|',
      )
      for (const [name, rs] of readResults) {
        const col = (f: (r: (typeof rs)[number]) => number): string => fmt(median(rs.map(f)), 1)
        lines.push(
          `| ${name} | ${col((r) => r.open)} | ${col((r) => r.cold[0]!)} | ${col((r) => r.cold[1]!)} | ${col(
            (r) => r.warm[0]!,
          )} | ${col((r) => r.warm[1]!)} | ${col((r) => median(r.flags))} |`,
        )
      }
    }
    process.stdout.write('\n' + lines.join('\n') + '\n')
  } finally {
    await browser.close()
    await lab?.stop().catch((e: unknown) => log(`lab stop failed: ${String(e)}`))
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  process.exit(1)
})
