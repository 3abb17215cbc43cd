import { describe, expect, it } from 'vitest'
import { headerEnd } from './header-fields'
import { indexOfBytes, startsWithBytes, windows1252Bytes } from './byte-search'

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

describe('byte search', () => {
  it('indexOfBytes finds the first whole match from `from`, by any anchor, as String.indexOf would', () => {
    const hay = bytes('x-\n-a\n--b\n--bo\n--bound\n--bound')
    for (const needle of ['\n--bound', '--b', '\n', 'x', 'nope', '\n--boundary', 'd']) {
      for (let from = 0; from <= hay.length + 1; from++) {
        const want = 'x-\n-a\n--b\n--bo\n--bound\n--bound'.indexOf(needle, from)
        for (let anchor = 0; anchor < needle.length; anchor++) {
          expect(indexOfBytes(hay, bytes(needle), from, anchor), `${needle} ${from} ${anchor}`).toBe(want)
        }
      }
    }
  })

  it('indexOfBytes with `before` finds only matches starting before it, reading nothing past them', () => {
    const text = 'ab--x--x--y'
    for (const needle of ['--x', '--y', '-', 'y']) {
      for (let before = 0; before <= text.length + 1; before++) {
        const at = text.indexOf(needle)
        const want = at >= 0 && at < before ? at : -1
        // Bytes past `before + needle.length - 1` are poisoned: a match there must not be reported.
        const hay = bytes(text.slice(0, before + needle.length - 1) + '\u00ff'.repeat(text.length))
        expect(indexOfBytes(hay, bytes(needle), 0, 0, before), `${needle} ${before}`).toBe(want)
        expect(indexOfBytes(bytes(text), bytes(needle), 0, needle.length - 1, before)).toBe(want)
      }
    }
  })

  it('startsWithBytes is false past either end', () => {
    const hay = bytes('--b')
    expect(startsWithBytes(hay, bytes('--b'), 0)).toBe(true)
    expect(startsWithBytes(hay, bytes('b'), 2)).toBe(true)
    expect(startsWithBytes(hay, bytes('b-'), 2)).toBe(false)
    expect(startsWithBytes(hay, bytes('-'), -1)).toBe(false)
  })

  it('windows1252Bytes inverts TextDecoder("windows-1252"), null for characters it has no byte for', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(windows1252Bytes(new TextDecoder('windows-1252').decode(all))).toEqual(all)
    expect(windows1252Bytes('€')).toEqual(new Uint8Array([0x80]))
    expect(windows1252Bytes('a\u0100')).toBeNull()
    expect(windows1252Bytes('😀')).toBeNull()
  })

  it('headerEnd stops at the first empty line, CRLF or bare LF, and reads no further', () => {
    const at = (s: string) => headerEnd(bytes(s))
    expect(at('A: 1\r\nB: 2\r\n\r\nbody\n\nmore')).toEqual({ headerLength: 10, bodyStart: 14 })
    expect(at('A: 1\nB: 2\n\nbody\r\n\r\n')).toEqual({ headerLength: 9, bodyStart: 11 })
    expect(at('A: 1\r\n\nbody')).toEqual({ headerLength: 5, bodyStart: 7 })
    expect(at('A: 1\n\r\n\r\nbody')).toEqual({ headerLength: 5, bodyStart: 9 })
    expect(at('\r\nbody')).toEqual({ headerLength: 0, bodyStart: 2 })
    expect(at('\nbody')).toEqual({ headerLength: 0, bodyStart: 1 })
    expect(at('A: 1\r\n')).toEqual({ headerLength: 6, bodyStart: 6 })
    expect(at('')).toEqual({ headerLength: 0, bodyStart: 0 })
  })
})
