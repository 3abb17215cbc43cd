// The floor of the path DESIGN.md prescribes, under the issues' own references: not part of `npm run bench`.
//   npx tsx bench/path-floor.ts [--n 10000] [--rounds 3] [--only pop3,pop3-whole,pop3-packed,pop3-http,imap]
//   (FLOOR_SKIP_WRITE=1: the POP3 worker receives and commits rows but writes no bytes: the transport alone)
// The design puts every connection in the Node core and the store in Chromium's IndexedDB, written by one
// Web Worker; under the web host the two talk over a loopback WebSocket. Whatever the product does, its
// messages make these hops. Here the references of issues 5 and 6 are timed beside the same loops carrying
// their data over those hops and nothing else, in one process and with rounds alternating:
//   pop3*: the bare RETR loop of `pop3-download` (bench/lib/pop3-client.ts: TLS, pipelined, no parsing). The
//     floor passes the message bytes on: each socket chunk's as a binary WebSocket frame, unchanged (pop3);
//     each message as one frame, as core did before batching (pop3-whole); messages joined into ~1 MiB
//     frames (pop3-packed); or all as one HTTP response the worker reads as a stream (pop3-http). A dedicated
//     worker of a page on its own origin writes the bytes into one origin-private file per 250 messages
//     (sync access handle, flushed) and commits one small row per message (file, offset, length) in one
//     strict-durability transaction per 250, while the next ones arrive.
//   imap: the raw imapflow loop over the product's FETCH items (imap-store-headers' same-fields reference);
//     the floor sends each message's envelope, flags, dates, size and its two extra header fields as JSON,
//     500 messages a frame; the worker parses each frame and puts it as one record (the product's 500-row
//     chunks), default durability.
// No thread keys, counts, snippets, checks or UI: a store the product could not work from, so a lower
// bound. The floor's loop runs in this process and is warm from round 2 on; the product's core starts cold.
// Prints one JSON line per run and a summary with median seconds and the floor / reference ratio.

import { createServer, type ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { WebSocketServer, type WebSocket } from 'ws'
import { HEADER_QUERY } from '../src/core/imap/header-record'
import { corpusForLab } from '../src/lab/corpus'
import { startLab } from '../src/lab/lab'
import { rawHeaderLoopSameFields, withInbox } from './imap-raw'
import { assertCount, createContext, type BenchContext } from './lib/context'
import { RawPop3, type BodySink } from './lib/pop3-client'
import { log, median, round3 } from './lib/result'
import { downloadAll } from './pop3-raw'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchQuietBrowser, type QuietBrowser } from './support/quiet-browser'

const BATCH_POP3 = 250
const BATCH_IMAP = 500
const POP3_WINDOW = 32

type Kind = 'pop3' | 'pop3-whole' | 'pop3-packed' | 'pop3-http' | 'imap'
const FRAMES = {
  pop3: 'pieces',
  'pop3-whole': 'whole',
  'pop3-packed': 'packed',
  'pop3-http': 'http',
} as const
/** pop3-packed: messages joined into frames of about this size. */
const PACK_BYTES = 1024 * 1024

// Runs in the page's dedicated worker: stores what arrives over the WebSocket, then answers "done".
const WORKER = `
const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error) })
onmessage = async ({ data: { url, kind, n, dbName, skipWrite } }) => {
  const open = indexedDB.open(dbName, 1)
  open.onupgradeneeded = () => {
    open.result.createObjectStore('rows', { keyPath: 'id' })
    open.result.createObjectStore('chunks', { keyPath: 'no' })
  }
  const db = await req(open)
  const root = await navigator.storage.getDirectory()
  const ws = new WebSocket(url)
  ws.binaryType = 'arraybuffer'
  let chain = Promise.resolve()
  const commits = []
  let stored = 0
  // pop3: the open file of the current batch, where the current message started, the batch's rows.
  let file = null, fileNo = 0, at = 0, start = 0, rows = []
  const pop3 = async (data) => {
    if (file === null) {
      file = await (await root.getFileHandle(dbName + '-' + fileNo + '.pack', { create: true })).createSyncAccessHandle()
      at = 0
      start = 0
    }
    if (typeof data !== 'string') {
      if (!skipWrite) file.write(new Uint8Array(data), { at })
      at += data.byteLength
      return
    }
    // "e": one message ended here; "l 35120 41002 …": the last frame held messages of these lengths.
    const lengths = data === 'e' ? [at - start] : data.slice(2).split(' ').map(Number)
    for (const length of lengths) {
      rows.push({ id: stored++, file: fileNo, at: start, length })
      start += length
    }
    if (rows.length >= ${BATCH_POP3} || stored === n) {
      file.flush()
      file.close()
      file = null
      fileNo++
      const tx = db.transaction(['rows'], 'readwrite', { durability: 'strict' })
      const s = tx.objectStore('rows')
      for (const r of rows) s.put(r)
      rows = []
      commits.push(done(tx))
    }
  }
  const imap = (data) => {
    const batch = JSON.parse(data)
    const tx = db.transaction(['chunks'], 'readwrite')
    tx.objectStore('chunks').put({ no: stored, rows: batch })
    stored += batch.length
    commits.push(done(tx))
  }
  ws.onmessage = (e) => {
    chain = chain.then(async () => {
      if (kind === 'pop3') await pop3(e.data)
      else imap(e.data)
      if (stored === n) {
        await Promise.all(commits)
        ws.send('done ' + stored)
      }
    }).catch((e) => { ws.send('failed ' + e); throw e })
  }
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('websocket')) })
  // pop3-http: the bytes come as one HTTP response instead, each message as [uint32 length][bytes].
  if (kind === 'pop3-http') readStream().catch((e) => ws.send('failed ' + e))
  postMessage('ready')
  async function readStream() {
    const reader = (await fetch('/stream')).body.getReader()
    const len = new Uint8Array(4)
    let lenHave = 0, left = 0
    while (stored < n) {
      const { value, done: ended } = await reader.read()
      if (ended) throw new Error('stream ended after ' + stored)
      let p = 0
      while (p < value.length) {
        if (left === 0) {
          const k = Math.min(4 - lenHave, value.length - p)
          len.set(value.subarray(p, p + k), lenHave)
          lenHave += k
          p += k
          if (lenHave < 4) continue
          lenHave = 0
          left = new DataView(len.buffer).getUint32(0)
          if (file === null) {
            file = await (await root.getFileHandle(dbName + '-' + fileNo + '.pack', { create: true })).createSyncAccessHandle()
            at = 0
            start = 0
          }
          continue
        }
        const k = Math.min(left, value.length - p)
        file.write(value.subarray(p, p + k), { at })
        at += k
        p += k
        left -= k
        if (left === 0) await pop3('e')
      }
    }
    await Promise.all(commits)
    ws.send('done ' + stored)
  }
}`

/** A page on its own origin in a quiet Chromium whose worker has connected to a fresh WebSocket server. */
async function openFloorStore(
  browser: QuietBrowser,
  kind: 'pop3' | 'pop3-http' | 'imap',
  n: number,
  dbName: string,
): Promise<{
  socket: WebSocket
  stream: Promise<ServerResponse>
  done: Promise<void>
  close(): Promise<void>
}> {
  let streamTo: (res: ServerResponse) => void = () => undefined
  const stream = new Promise<ServerResponse>((r) => (streamTo = r))
  const http = createServer((q, res) => {
    if (q.url === '/stream') {
      res.setHeader('content-type', 'application/octet-stream')
      return streamTo(res)
    }
    if (q.url === '/worker.js') {
      res.setHeader('content-type', 'text/javascript')
      return res.end(WORKER)
    }
    res.end('<!doctype html><title>floor</title>')
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => wss.once('listening', r))
  const socket = new Promise<WebSocket>((r) => wss.once('connection', r))
  const origin = `http://127.0.0.1:${(http.address() as { port: number }).port}`
  await browser.navigate(`${origin}/`)
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`
  const arg = JSON.stringify({ url, kind, n, dbName, skipWrite: process.env.FLOOR_SKIP_WRITE === '1' })
  await browser.evaluate(`new Promise((ok, fail) => {
    const w = new Worker('/worker.js')
    globalThis.floorWorker = w
    w.onmessage = (e) => ok(e.data)
    w.onerror = (e) => fail(new Error(e.message))
    w.postMessage(${arg})
  })`)
  const ws = await socket
  const done = new Promise<void>((resolve, reject) => {
    ws.once('message', (m: Buffer) => {
      const [word, count] = m.toString().split(' ')
      if (word === 'done' && Number(count) === n) resolve()
      else reject(new Error(`floor store answered ${m.toString()}`))
    })
    ws.once('close', () => reject(new Error('floor store closed its socket')))
  })
  done.catch(() => undefined)
  return {
    socket: ws,
    stream,
    done,
    close: async () => {
      ws.close()
      wss.close()
      http.close()
      await browser.navigate('about:blank')
    },
  }
}

/**
 * The bare RETR loop of pop3-download with each message's bytes passed on to `ws`: as they arrive (`pieces`)
 * or joined into one frame per message, as the product's core sends a message under 16 MiB (`whole`).
 */
async function pop3Floor(
  ctx: BenchContext,
  ws: WebSocket,
  signal: AbortSignal,
  frames: 'pieces' | 'whole' | 'packed' | 'http',
  stream?: ServerResponse,
): Promise<void> {
  let held: Buffer[] = []
  let packed: Buffer[] = []
  let packedBytes = 0
  const flushPacked = (): void => {
    ws.send(Buffer.concat(packed), { binary: true })
    ws.send('l ' + packed.map((b) => b.length).join(' '))
    packed = []
    packedBytes = 0
  }
  const sink: BodySink =
    frames === 'http'
      ? {
          body: (piece) => void held.push(piece),
          end: () => {
            const length = Buffer.alloc(4)
            length.writeUInt32BE(held.reduce((sum, b) => sum + b.length, 0))
            stream!.cork()
            stream!.write(length)
            for (const b of held) stream!.write(b)
            process.nextTick(() => stream!.uncork())
            held = []
          },
        }
      : frames === 'pieces'
        ? { body: (piece) => ws.send(piece, { binary: true }), end: () => ws.send('e') }
        : frames === 'packed'
          ? {
              body: (piece) => void held.push(Buffer.from(piece)),
              end: () => {
                const m = Buffer.concat(held)
                held = []
                packed.push(m)
                packedBytes += m.length
                if (packedBytes >= PACK_BYTES) flushPacked()
              },
            }
          : {
              // Copied: the socket's buffer is not ours to hold past this call.
              body: (piece) => void held.push(Buffer.from(piece)),
              end: () => {
                ws.send(held.length === 1 ? held[0]! : Buffer.concat(held), { binary: true })
                ws.send('e')
                held = []
              },
            }
  const pop = await RawPop3.open(ctx.lab.ports.pop3s, ctx.lab.caPem, signal)
  try {
    await pop.command(`USER ${ctx.user.name}`)
    await pop.command(`PASS ${ctx.user.password}`)
    await pop.command('UIDL', true)
    pop.sink = sink
    let next = 1
    const inflight = new Set<Promise<void>>()
    while (next <= ctx.n || inflight.size > 0) {
      while (next <= ctx.n && inflight.size < POP3_WINDOW) {
        const p: Promise<void> = pop.command(`RETR ${next++}`, true).then(() => void inflight.delete(p))
        p.catch(() => undefined)
        inflight.add(p)
      }
      await Promise.race(inflight)
    }
    if (packed.length > 0) flushPacked()
    stream?.end()
    await pop.command('RSET')
    await pop.command('QUIT')
  } finally {
    pop.close()
  }
}

/** The same-fields raw imapflow loop with each message's fields passed on to `ws`, 500 a frame. */
async function imapFloor(ctx: BenchContext, ws: WebSocket, signal: AbortSignal): Promise<void> {
  await withInbox(ctx, signal, async (client) => {
    let batch: unknown[] = []
    let count = 0
    for await (const msg of client.fetch('1:*', HEADER_QUERY)) {
      const e = msg.envelope
      batch.push({
        uid: msg.uid,
        flags: [...(msg.flags ?? [])],
        date: e?.date ? new Date(e.date).getTime() : null,
        received: msg.internalDate ? new Date(msg.internalDate).getTime() : null,
        size: msg.size,
        subject: e?.subject ?? '',
        from: e?.from ?? [],
        to: e?.to ?? [],
        cc: e?.cc ?? [],
        messageId: e?.messageId ?? null,
        inReplyTo: e?.inReplyTo ?? null,
        headers: msg.headers?.toString('latin1') ?? '',
      })
      count++
      if (batch.length === BATCH_IMAP) {
        ws.send(JSON.stringify(batch))
        batch = []
      }
    }
    if (batch.length > 0) ws.send(JSON.stringify(batch))
    assertCount('imap floor', count, ctx.n)
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string', default: 'pop3,pop3-whole,imap' },
    },
  })
  const n = Number(values.n)
  const kinds = values.only.split(',') as Kind[]
  const tmp = await mkdtemp(join(tmpdir(), 'path-floor-'))
  const lab = await startLab()
  let browser: QuietBrowser | undefined
  try {
    const user = lab.user('alice')
    const corpus = { count: n, seed: 1, domain: lab.domain, users: [user.address] }
    await lab.loadMaildir(user.name, 'INBOX', corpusForLab(corpus))
    const ctx = await createContext(lab, user, n, tmp, corpus)
    browser = await launchQuietBrowser(join(tmp, 'profile'))
    const signal = new AbortController().signal
    const summary: Record<string, { ref: number[]; floor: number[] }> = {}
    for (let round = 1; round <= Number(values.rounds); round++) {
      for (const kind of kinds) {
        const s = (summary[kind] ??= { ref: [], floor: [] })
        // Alternating which goes first, so a slow minute hits both alike over the rounds.
        const order = round % 2 === 1 ? ['ref', 'floor'] : ['floor', 'ref']
        for (const which of order) {
          if (which === 'ref') {
            const t0 = performance.now()
            if (kind !== 'imap') await downloadAll(ctx, signal)
            else await rawHeaderLoopSameFields(ctx, signal)
            const seconds = (performance.now() - t0) / 1000
            s.ref.push(seconds)
            console.log(JSON.stringify({ kind, round, which, seconds: round3(seconds) }))
            continue
          }
          const store = await openFloorStore(
            browser,
            kind === 'imap' ? 'imap' : kind === 'pop3-http' ? 'pop3-http' : 'pop3',
            n,
            `${kind}-${round}`,
          )
          try {
            const before = await cpuByKind({ chromium: browser.pid })
            const t0 = performance.now()
            if (kind !== 'imap')
              await pop3Floor(
                ctx,
                store.socket,
                signal,
                FRAMES[kind],
                kind === 'pop3-http' ? await store.stream : undefined,
              )
            else await imapFloor(ctx, store.socket, signal)
            const sent = (performance.now() - t0) / 1000
            await store.done
            const seconds = (performance.now() - t0) / 1000
            const cpu = cpuSpent(before, await cpuByKind({ chromium: browser.pid }))
            s.floor.push(seconds)
            console.log(
              JSON.stringify({
                kind,
                round,
                which,
                seconds: round3(seconds),
                sent_s: round3(sent),
                cpu_s: cpu,
              }),
            )
          } finally {
            await store.close()
          }
        }
      }
    }
    for (const [kind, s] of Object.entries(summary)) {
      const ref = median(s.ref)
      const floor = median(s.floor)
      log(
        `${kind}: reference ${ref.toFixed(3)} s, floor ${floor.toFixed(3)} s, floor / reference ${(floor / ref).toFixed(2)}`,
      )
    }
  } finally {
    await browser?.close()
    await lab.stop()
    await rm(tmp, { recursive: true, force: true })
  }
}

await main()
