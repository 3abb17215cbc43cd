import { describe, expect, it } from 'vitest'
import { readMbox, writeMbox } from './mbox'
import { MboxSplitter } from './mbox-stream'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

function split(file: Uint8Array, sizes: () => number): { messages: Uint8Array[]; preamble: number } {
  const splitter = new MboxSplitter()
  const messages: Uint8Array[] = []
  for (let at = 0; at < file.length;) {
    const n = Math.max(1, sizes())
    messages.push(...splitter.push(file.subarray(at, at + n)).map((p) => p.raw))
    at += n
  }
  messages.push(...splitter.end().map((p) => p.raw))
  return { messages, preamble: splitter.preambleBytes }
}

const bodies = [
  'From: a@x\r\nSubject: crlf\r\n\r\nFrom the start\r\n>From quoted\r\nend\r\n',
  'From: b@x\nSubject: lf\n\nFrom here\n\n>>From there\nFrom ',
  'Subject: no final EOL\r\n\r\nlast',
  '',
  `Subject: long line\r\n\r\n${'x'.repeat(7_000)}\r\nFrom y\r\n`,
  'From the very first line\r\n\r\nbody\r\n\r\n',
]

describe('MboxSplitter', () => {
  it('gives exactly what readMbox gives for the whole file, whatever the chunk sizes', () => {
    const file = writeMbox(bodies.map((b, i) => ({ raw: enc(b), sender: 'a@x', date: i })))
    const whole = readMbox(file).map((m) => [...m])
    for (const size of [1, 2, 3, 4, 5, 6, 7, 64, 4096, 1 << 20]) {
      expect(split(file, () => size).messages.map((m) => [...m])).toEqual(whole)
    }
    let seed = 7
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 300
    for (let round = 0; round < 20; round++) {
      expect(split(file, random).messages.map((m) => [...m])).toEqual(whole)
    }
  })

  it('counts bytes before the first From line and reads a plain mboxo file the same way', () => {
    const file = enc('junk\nmore junk\nFrom a@x Thu Jan  1 00:00:00 1970\nSubject: s\n\nFrom body\n\n')
    const { messages, preamble } = split(file, () => 3)
    expect(preamble).toBe('junk\nmore junk\n'.length)
    expect(messages.map((m) => new TextDecoder().decode(m))).toEqual(
      readMbox(file).map((m) => new TextDecoder().decode(m)),
    )
  })

  it('reports each message at the offset of its From line', () => {
    const file = writeMbox([{ raw: enc('Subject: a\n\nx\n') }, { raw: enc('Subject: b\n\ny\n') }])
    const splitter = new MboxSplitter()
    const pieces = [
      ...splitter.push(file.subarray(0, 10)),
      ...splitter.push(file.subarray(10)),
      ...splitter.end(),
    ]
    expect(pieces.map((p) => p.offset)).toEqual([0, file.indexOf(0x46, 5)])
  })
})
