import { describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { deleMany } from './commands/maildrop'
import { list, uidl } from './commands/listing'
import { retrMany, topMany } from './commands/retrieve'
import type { Pop3Connection } from './pop3-connection'
import { scriptedConnection } from './test-support/scripted-socket'

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1')

/** The server side of RFC 1939 §3: a line starting with "." gets one more "."; then the "." line. */
function answer(message: string): string {
  const stuffed = message
    .split('\r\n')
    .map((line) => (line.startsWith('.') ? `.${line}` : line))
    .join('\r\n')
  return `+OK ${message.length} octets\r\n${stuffed}.\r\n`
}

const MESSAGES = [
  'Subject: one\r\n\r\n.leading dot\r\nplain\r\n',
  'Subject: two\r\n\r\n.\r\n..\r\n.\r\n', // lines that are only dots: stuffed, not terminators
  '', // an empty message is a "+OK" and the "." line at once
  'Subject: four\r\n\r\nlast line\r\n',
]

async function readAll(conn: Pop3Connection, ns: number[]): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>()
  for await (const { n, body } of retrMany(conn, ns)) {
    const parts: Buffer[] = []
    for await (const chunk of body) parts.push(chunk)
    out.set(n, Buffer.concat(parts))
  }
  return out
}

async function failure(p: Promise<unknown>): Promise<MailError> {
  const e: unknown = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  )
  if (!(e instanceof MailError)) throw e
  return e
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('pipelined commands over a scripted socket (RFC 2449 §6.6)', () => {
  it('writes every RETR before the first answer and splits the answers exactly, wherever the chunks break', async () => {
    const wire = bytes(MESSAGES.map(answer).join(''))
    const ns = MESSAGES.map((_, i) => i + 1)
    // Every way of cutting the pipelined answers into three 'data' events.
    for (let i = 0; i <= wire.length; i++) {
      for (let j = i; j <= wire.length; j += 3) {
        const { conn, socket } = await scriptedConnection()
        const result = readAll(conn, ns)
        await tick()
        expect(socket.lines).toEqual(ns.map((n) => `RETR ${n}`))
        socket.feed(wire.subarray(0, i))
        socket.feed(wire.subarray(i, j))
        socket.feed(wire.subarray(j))
        const got = await result
        expect([...got.keys()]).toEqual(ns)
        for (const [k, message] of MESSAGES.entries()) {
          expect(got.get(k + 1)!.toString('latin1')).toBe(message)
        }
      }
    }
  })

  it('one byte per data event still gives the exact bytes', async () => {
    const wire = bytes(MESSAGES.map(answer).join(''))
    const { conn, socket } = await scriptedConnection()
    const result = readAll(conn, [1, 2, 3, 4])
    await tick()
    for (let i = 0; i < wire.length; i++) socket.feed(wire.subarray(i, i + 1))
    const got = await result
    expect([...got.values()].map((b) => b.toString('latin1'))).toEqual(MESSAGES)
  })

  it('without PIPELINING the next RETR is written only after the previous answer is complete', async () => {
    const { conn, socket } = await scriptedConnection({ pipelining: false })
    const result = readAll(conn, [1, 2])
    await tick()
    expect(socket.lines).toEqual(['RETR 1'])
    const first = answer(MESSAGES[0]!)
    socket.feed(first.slice(0, -3))
    await tick()
    expect(socket.lines).toEqual(['RETR 1'])
    socket.feed(first.slice(-3))
    await tick()
    expect(socket.lines).toEqual(['RETR 1', 'RETR 2'])
    socket.feed(answer(MESSAGES[1]!))
    expect([...(await result).values()].map((b) => b.toString('latin1'))).toEqual(MESSAGES.slice(0, 2))
  })

  it('keeps at most the window of RETRs on the wire', async () => {
    const { conn, socket } = await scriptedConnection()
    const ns = Array.from({ length: 100 }, (_, i) => i + 1)
    const result = readAll(conn, ns)
    await tick()
    expect(socket.lines.length).toBeGreaterThan(1)
    expect(socket.lines.length).toBeLessThanOrEqual(33)
    for (const n of ns) {
      socket.feed(answer(`N: ${n}\r\n`))
      await tick()
    }
    const got = await result
    expect(got.size).toBe(100)
    expect(got.get(77)!.toString('latin1')).toBe('N: 77\r\n')
    expect(socket.lines).toEqual(ns.map((n) => `RETR ${n}`))
  })

  it('a cut mid-pipeline is NETWORK: complete messages before it are whole, the cut one never ends', async () => {
    const { conn, socket } = await scriptedConnection()
    const seen: { n: number; bytes: string; complete: boolean }[] = []
    const consume = (async () => {
      for await (const { n, body } of retrMany(conn, [1, 2, 3])) {
        const entry = { n, bytes: '', complete: false }
        seen.push(entry)
        for await (const chunk of body) entry.bytes += chunk.toString('latin1')
        entry.complete = true
      }
    })()
    await tick()
    const second = answer(MESSAGES[1]!)
    socket.feed(answer(MESSAGES[0]!) + second.slice(0, second.length - 4))
    await tick()
    socket.cut()
    const e = await failure(consume)
    expect(e.code).toBe('NETWORK')
    expect(seen.map((s) => [s.n, s.complete])).toEqual([
      [1, true],
      [2, false],
    ])
    expect(seen[0]!.bytes).toBe(MESSAGES[0])
    expect(conn.broken?.code).toBe('NETWORK')
    expect(socket.destroyed).toBe(true)
  })

  it('a cut inside the terminator of the last message still fails that message', async () => {
    const { conn, socket } = await scriptedConnection()
    const result = readAll(conn, [1, 2])
    await tick()
    const wire = answer(MESSAGES[0]!) + answer(MESSAGES[3]!)
    socket.feed(wire.slice(0, -2)) // "…\r\n." without its CRLF: not yet the end (RFC 1939 §3)
    await tick()
    socket.cut()
    expect((await failure(result)).code).toBe('NETWORK')
  })

  it('-ERR in the middle rejects with its error, drains the RETRs behind it and leaves the session usable', async () => {
    const { conn, socket } = await scriptedConnection()
    const got: number[] = []
    const consume = (async () => {
      for await (const { n, body } of retrMany(conn, [1, 2, 3])) {
        for await (const _chunk of body) void _chunk
        got.push(n)
      }
    })()
    await tick()
    socket.feed(answer(MESSAGES[0]!) + "-ERR There's no message 2.\r\n" + answer('a big one\r\n'.repeat(100)))
    const e = await failure(consume)
    expect(e.code).toBe('NOT_FOUND')
    expect(got).toEqual([1])
    const noop = conn.send('NOOP', false)
    socket.feed('+OK\r\n')
    expect((await noop).status.ok).toBe(true)
    expect(socket.lines).toEqual(['RETR 1', 'RETR 2', 'RETR 3', 'NOOP'])
  })

  it('breaking out early drops the rest of the pipeline and the next command gets its own answer', async () => {
    const { conn, socket } = await scriptedConnection()
    const consume = (async () => {
      for await (const { n } of retrMany(conn, [1, 2, 3, 4])) {
        if (n === 2) break
      }
    })()
    await tick()
    socket.feed(MESSAGES.map(answer).join(''))
    await consume
    const stat = conn.send('STAT', false)
    socket.feed('+OK 4 100\r\n')
    expect((await stat).status.text).toBe('4 100')
  })

  it('pauses the socket when unread answers pass the buffer bound and resumes as they are read', async () => {
    const { conn, socket } = await scriptedConnection({ bufferBytes: 4096 })
    const big = `${'x'.repeat(998)}\r\n`.repeat(5) // 5000 bytes each
    const it = retrMany(conn, [1, 2, 3, 4])[Symbol.asyncIterator]()
    const first = it.next()
    await tick()
    expect(socket.lines).toHaveLength(4)
    for (let n = 0; n < 4; n++) {
      const wire = answer(big)
      for (let at = 0; at < wire.length; at += 1000) socket.feed(wire.slice(at, at + 1000))
    }
    // Nobody read yet: the client stopped reading soon after 4096 unread bytes; the rest waits in the socket.
    expect(socket.paused).toBe(true)
    expect(socket.heldBytes).toBeGreaterThan(10_000)
    const bodies: string[] = []
    let step = await first
    while (!step.done) {
      let text = ''
      for await (const chunk of step.value.body) text += chunk.toString('latin1')
      bodies.push(text)
      step = await it.next()
    }
    expect(bodies).toEqual([big, big, big, big])
    expect(socket.paused).toBe(false)
    expect(socket.pauses).toBeGreaterThanOrEqual(2)
  })

  it('a silent server times out a pipelined batch with TIMEOUT and every command fails', async () => {
    const { conn, socket } = await scriptedConnection({ idleMs: 60 })
    const result = readAll(conn, [1, 2, 3])
    await tick()
    socket.feed(answer(MESSAGES[0]!)) // then silence
    const started = Date.now()
    const e = await failure(result)
    expect(e.code).toBe('TIMEOUT')
    expect(Date.now() - started).toBeLessThan(1000)
    expect(socket.destroyed).toBe(true)
    expect((await failure(conn.send('NOOP', false))).code).toBe('TIMEOUT')
  })

  it('aborting a pipelined batch is CANCELLED and drops the connection', async () => {
    const { conn, socket } = await scriptedConnection()
    const controller = new AbortController()
    const result = (async () => {
      for await (const { body } of retrMany(conn, [1, 2, 3], controller.signal)) {
        for await (const _chunk of body) controller.abort()
      }
    })()
    await tick()
    socket.feed(answer('line\r\n'.repeat(10)).slice(0, 30))
    expect((await failure(result)).code).toBe('CANCELLED')
    expect(socket.destroyed).toBe(true)
  })

  it('aborting a command still queued behind a lock-step answer only drops that command', async () => {
    const { conn, socket } = await scriptedConnection({ pipelining: false })
    const controller = new AbortController()
    const first = conn.send('NOOP', false)
    const second = conn.send('STAT', false, { signal: controller.signal })
    controller.abort()
    expect((await failure(second)).code).toBe('CANCELLED')
    socket.feed('+OK\r\n')
    await first
    expect(conn.broken).toBeUndefined()
    expect(socket.lines).toEqual(['NOOP'])
  })

  it('pipelined DELEs are all answered before the first -ERR is reported', async () => {
    const { conn, socket } = await scriptedConnection()
    const done = deleMany(conn, [1, 2, 3])
    await tick()
    expect(socket.lines).toEqual(['DELE 1', 'DELE 2', 'DELE 3'])
    socket.feed('+OK marked\r\n-ERR message 2 already deleted\r\n')
    await tick()
    let settled = false
    void done.catch(() => (settled = true))
    await tick()
    expect(settled).toBe(false) // DELE 3 is still unanswered
    socket.feed('+OK marked\r\n')
    expect((await failure(done)).code).toBe('NOT_FOUND')
  })

  it('LIST and UIDL sent together, TOP for several: each answer goes to its own command', async () => {
    const { conn, socket } = await scriptedConnection()
    const both = Promise.all([list(conn), uidl(conn)])
    await tick()
    expect(socket.lines).toEqual(['LIST', 'UIDL'])
    const wire = '+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n'
    for (let i = 0; i < wire.length; i += 7) socket.feed(wire.slice(i, i + 7))
    expect(await both).toEqual([
      [
        { n: 1, size: 120 },
        { n: 2, size: 200 },
      ],
      [
        { n: 1, uid: 'aaa' },
        { n: 2, uid: 'bbb' },
      ],
    ])
    const tops = topMany(conn, [1, 2], 0)
    await tick()
    socket.feed('+OK\r\nA: 1\r\n\r\n.\r\n+OK\r\nB: 2\r\n\r\n.\r\n')
    expect((await tops).map((b) => b.toString('latin1'))).toEqual(['A: 1\r\n\r\n', 'B: 2\r\n\r\n'])
  })
})
