import { describe, expect, it } from 'vitest'
import { readEml, emlFileName } from './eml'
import { asctime, mboxEntry, readMbox, writeMbox } from './mbox'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

const tricky = [
  'From: a@x\r\nSubject: crlf\r\n\r\nFrom the start of a line\r\n>From quoted once\r\n>>From twice\r\nend\r\n',
  'From: a@x\nSubject: lf only\n\nFrom here\n\n>From there\nFrom ',
  'From: a@x\r\nSubject: no final newline\r\n\r\nlast line without EOL',
  'Subject: ends with bare CR\r\n\r\nx\r',
  'Subject: mixed\r\n\r\nline\nFrom bare-LF line\r\nFrom crlf line\n',
  'From the very first line\r\n\r\nbody\r\n\r\n\r\n',
  '',
  'Subject: 8bit \u00fc\u00e9 and binary \u0000\u00ff\r\n\r\n\u00ff\u00fe\r\n',
]

describe('mboxrd', () => {
  it('round-trips every message byte for byte (From lines, quoting, CRLF, LF, no final EOL, empty)', () => {
    const messages = tricky.map((t) => enc(t))
    const file = writeMbox(messages.map((raw, i) => ({ raw, sender: 'a@x', date: i * 1000 })))
    const back = readMbox(file)
    expect(back.length).toBe(messages.length)
    back.forEach((b, i) => expect(dec(b)).toBe(dec(messages[i]!)))
    back.forEach((b, i) => expect([...b]).toEqual([...messages[i]!]))
  })

  it('writes the rd quoting and the From line other readers expect', () => {
    const entry = dec(
      mboxEntry({
        raw: enc('S: x\r\n\r\nFrom me\r\n>From you\r\n'),
        sender: 'me@x',
        date: Date.UTC(2026, 10, 27, 10),
      }),
    )
    expect(entry).toBe('From me@x Fri Nov 27 10:00:00 2026\r\nS: x\r\n\r\n>From me\r\n>>From you\r\n\r\n')
    expect(asctime(Date.UTC(2026, 0, 5, 1, 2, 3))).toBe('Mon Jan  5 01:02:03 2026')
  })

  it('reads an mbox written by another tool (LF, blank line separators, preamble ignored)', () => {
    const file = enc(
      'junk before\nFrom a@x Mon Jan  5 01:02:03 2026\nSubject: 1\n\none\n\nFrom b@x Mon Jan  5 01:02:03 2026\nSubject: 2\n\n>From two\n\n',
    )
    expect(readMbox(file).map(dec)).toEqual(['Subject: 1\n\none\n', 'Subject: 2\n\nFrom two\n'])
  })
})

describe('eml', () => {
  it('keeps the bytes, drops a leading mbox From line, and makes safe file names', () => {
    const raw = enc('Subject: x\r\n\r\nbody\r\n')
    expect(readEml(raw)).toEqual(raw)
    expect(dec(readEml(enc('From a@x Mon Jan  5 01:02:03 2026\nSubject: x\r\n\r\nbody\r\n')))).toBe(
      'Subject: x\r\n\r\nbody\r\n',
    )
    expect(emlFileName('Re: a/b: c?*', Date.UTC(2026, 10, 27), 7)).toBe('2026-11-27 Re a b c (7).eml')
  })
})
