import { describe, expect, it } from 'vitest'
import { summarizeMessage } from './message-summary'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s.replace(/\r?\n/g, '\r\n'))

/**
 * The worst a message can do to the POP3 header parser: each must summarise quickly and never throw. The
 * time bounds are guards against unbounded work (a whole-message scan, a quadratic split), set ~10× above
 * the normal figure because CI shares 2 cores with Chromium and the lab.
 */
describe('summarizeMessage limits (hostile mail)', () => {
  const time = (raw: Uint8Array) => {
    const started = performance.now()
    const s = summarizeMessage(raw)
    return { s, ms: performance.now() - started }
  }

  it('a 24 MiB message: scans the first 16 MiB only and still finds the text', () => {
    const head = enc(
      'Subject: big\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhello\n--b\n',
    )
    const raw = new Uint8Array(24 * 1024 * 1024)
    raw.set(head)
    raw.fill(0x41, head.length)
    const { s, ms } = time(raw)
    expect(s.snippet).toBe('hello')
    expect(s.hasAttachments).toBe(true)
    expect(ms).toBeLessThan(4000)
  })

  it('3,000 parts, 60 levels of nesting, a 1 MiB header line', () => {
    const parts = Array.from({ length: 3000 }, (_, i) => `--m\nContent-Type: text/plain\n\npart ${i}\n`).join(
      '',
    )
    const many = time(enc(`Content-Type: multipart/mixed; boundary="m"\n\n${parts}--m--\n`))
    expect(many.s.snippet).toBe('part 0')
    expect(many.ms).toBeLessThan(2000)

    let inner = 'Content-Type: text/plain\n\ndeep\n'
    for (let i = 60; i > 0; i--)
      inner = `Content-Type: multipart/mixed; boundary="l${i}"\n\n--l${i}\n${inner}\n--l${i}--\n`
    expect(time(enc(inner)).s.snippet).toBe('')

    const line = time(enc(`X-Pad: ${'A'.repeat(1024 * 1024)}\nSubject: long\n\nbody`))
    expect(line.s.subject).toBe('long')
    expect(line.ms).toBeLessThan(2000)
  })

  it('NUL bytes, raw 8-bit headers, bare LF, encoded words with controls: fields, no exception', () => {
    const raw = new Uint8Array([
      ...enc('Subject: a\u0000b\nFrom: =?UTF-8?B?U3VwcG9ydAANCkJjYzogeA==?= <s@x>\n'),
      ...[0x58, 0x3a, 0x20, 0xff, 0xfe, 0x0a, 0x0a],
      ...enc('x\u0000y'),
    ])
    const { s } = time(raw)
    expect(s.subject).toBe('a\u0000b')
    expect(s.from[0]?.address).toBe('s@x')
  })
})

describe('summarizeMessage on absurd header values', () => {
  it('a megabyte Subject and 10,000 recipients are cut to the row limits', () => {
    const to = Array.from({ length: 10_000 }, (_, i) => `"${'N'.repeat(400)}" <r${i}@x.test>`).join(', ')
    const subject = `=?UTF-8?Q?${'=C3=A9'.repeat(300_000)}?=`
    const started = performance.now()
    const s = summarizeMessage(enc(`Subject: ${subject}\nTo: ${to}\n\nbody`))
    expect(performance.now() - started).toBeLessThan(4000)
    expect(s.subject.length).toBe(1000)
    expect(s.subject.endsWith('…')).toBe(true)
    expect(s.to).toHaveLength(200)
    expect(s.to[0]!.name).toHaveLength(256)
  })
})
