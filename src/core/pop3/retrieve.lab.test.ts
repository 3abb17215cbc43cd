import { describe, expect, it } from 'vitest'
import { openPop3Session, type Pop3Session } from './open-session'
import type { Pop3UidlEntry } from './types'
import { failure, labConfig, testMessage, uidSet, useLab } from './test-support/pop3-lab'

const lab = useLab()
const USER = 'dave'

async function session(): Promise<Pop3Session> {
  return openPop3Session(labConfig(lab(), USER))
}

/** Entries whose uid was not in `before`, in message-number order. */
async function newEntries(s: Pop3Session, before: Set<string>): Promise<Pop3UidlEntry[]> {
  return (await s.uidl()).filter((e) => !before.has(e.uid)).sort((a, b) => a.n - b.n)
}

async function readStream(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of it) chunks.push(c)
  return Buffer.concat(chunks)
}

describe('POP3 listings and retrieval against the lab Dovecot', () => {
  it('UIDL/LIST/TOP/RETR return exactly the bytes loaded into the Maildir, dot lines included', async () => {
    const raws = [
      testMessage('dots', '.starts with a dot\r\n..two dots\r\n.\r\n...\r\nend.\r\n'),
      testMessage('eight-bit', 'café naïve über (UTF-8, 8bit)\r\nsecond line\r\n'),
      testMessage('long-line', `${'x'.repeat(5000)}\r\n\r\n\r\nafter blanks\r\n`),
    ]
    const before = await (async () => {
      const s = await session()
      const ids = await uidSet(s)
      await s.quit()
      return ids
    })()
    await lab().loadMaildir(USER, 'INBOX', raws)
    const s = await session()
    const fresh = await newEntries(s, before)
    expect(fresh).toHaveLength(3)
    for (const [i, entry] of fresh.entries()) {
      const raw = raws[i]!
      expect(await s.uidlOne(entry.n)).toEqual(entry)
      expect(await s.listOne(entry.n)).toEqual({ n: entry.n, size: raw.length })
      const got = await s.retr(entry.n)
      expect(got.equals(raw)).toBe(true)
      expect((await readStream(s.retrStream(entry.n))).equals(raw)).toBe(true)
      const headerEnd = raw.indexOf('\r\n\r\n') + 4
      expect((await s.top(entry.n, 0)).equals(raw.subarray(0, headerEnd))).toBe(true)
      const firstLineEnd = raw.indexOf('\r\n', headerEnd) + 2
      expect((await s.top(entry.n, 1)).equals(raw.subarray(0, firstLineEnd))).toBe(true)
    }
    const listed = new Map((await s.list()).map((e) => [e.n, e.size]))
    expect(fresh.map((e) => listed.get(e.n))).toEqual(raws.map((r) => r.length))
    const stat = await s.stat()
    expect(stat.count).toBe(listed.size)
    expect(stat.size).toBe([...listed.values()].reduce((a, b) => a + b, 0))
    await s.quit()
  })

  it('a message delivered through LMTP comes back intact after the trace headers Dovecot prepends', async () => {
    const raw = testMessage('lmtp', 'Line one\r\n.\r\n..\r\nLast line\r\n')
    const s0 = await session()
    const before = await uidSet(s0)
    await s0.quit()
    await lab().deliver(USER, raw)
    const s = await session()
    const [entry] = await newEntries(s, before)
    const got = await s.retr(entry!.n)
    expect(got.subarray(got.length - raw.length).equals(raw)).toBe(true)
    // Only trace fields (and their folded continuation lines) precede the original header.
    const prefix = got.subarray(0, got.length - raw.length).toString('latin1')
    for (const line of prefix.split('\r\n').filter((l) => l.length > 0)) {
      expect(line).toMatch(/^(Return-Path|Delivered-To|Received):|^\s/)
    }
    await s.quit()
  })

  it('RETR of a number that does not exist is NOT_FOUND and the session stays usable', async () => {
    const s = await session()
    const { count } = await s.stat()
    const e = await failure(s.retr(count + 1000))
    expect(e.detail).toContain('RETR')
    expect(e.code).toBe('NOT_FOUND')
    await s.noop()
    await s.quit()
  })

  it('stopping a RETR stream early drains the rest, so the next command gets its own answer', async () => {
    const raw = testMessage('drain', `${'line of text to make it long\r\n'.repeat(20_000)}`)
    const s0 = await session()
    const before = await uidSet(s0)
    await s0.quit()
    await lab().loadMaildir(USER, 'INBOX', [raw])
    const s = await session()
    const [entry] = await newEntries(s, before)
    let seen = 0
    for await (const chunk of s.retrStream(entry!.n)) {
      seen += chunk.length
      break
    }
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(raw.length)
    expect(await s.listOne(entry!.n)).toEqual({ n: entry!.n, size: raw.length })
    expect((await s.retr(entry!.n)).equals(raw)).toBe(true)
    await s.quit()
  })

  it('pipelined RETR (Dovecot announces PIPELINING) gives every message whole and in order, and stays in step when stopped early or refused', async () => {
    // Two above the 1 MiB a body may buffer unread: left unread, they would stall the session.
    const lines = (i: number): number => (i === 2 || i === 3 ? 40_000 : 200 + i * 50)
    const raws = Array.from({ length: 40 }, (_, i) =>
      testMessage(`pipe-${i}`, `${`line ${i} of a pipelined message\r\n.dot\r\n`.repeat(lines(i))}`),
    )
    const s0 = await session()
    const before = await uidSet(s0)
    await s0.quit()
    await lab().loadMaildir(USER, 'INBOX', raws)
    const s = await session()
    expect(s.capabilities.pipelining).toBe(true)
    const ns = (await newEntries(s, before)).map((e) => e.n)
    expect(ns).toHaveLength(raws.length)

    const got: Buffer[] = []
    const order: number[] = []
    for await (const { n, body } of s.retrMany(ns)) {
      order.push(n)
      got.push(await readStream(body))
    }
    expect(order).toEqual(ns)
    expect(got.every((g, i) => g.equals(raws[i]!))).toBe(true)

    // Stopped after two messages, with RETRs for more already on the wire: their answers are read and
    // dropped, so the next command gets its own answer.
    let taken = 0
    for await (const { body } of s.retrMany(ns)) {
      for await (const chunk of body) {
        expect(chunk.length).toBeGreaterThan(0)
        break // and the body itself left half read
      }
      if (++taken === 2) break
    }
    expect(await s.listOne(ns[5]!)).toEqual({ n: ns[5], size: raws[5]!.length })

    // A refused RETR in the middle of a pipeline: NOT_FOUND, the rest are read off, the session goes on.
    const { count } = await s.stat()
    const refused: Buffer[] = []
    const error = await (async () => {
      for await (const { body } of s.retrMany([ns[0]!, count + 1000, ns[1]!, ns[2]!])) {
        refused.push(await readStream(body))
      }
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'NOT_FOUND' })
    expect(refused).toHaveLength(1)
    expect(refused[0]!.equals(raws[0]!)).toBe(true)
    expect((await s.retr(ns[3]!)).equals(raws[3]!)).toBe(true)
    await s.quit()
  })
})
