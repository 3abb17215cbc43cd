import { describe, expect, it } from 'vitest'
import {
  addressHeader,
  base64Lines,
  encodeWords,
  foldHeader,
  parameterTokens,
  quotedPrintable,
  toCrlf,
  unstructuredTokens,
} from './mime-encode'

function qpDecode(s: string): Buffer {
  const bytes: number[] = []
  const text = s.replace(/=\r\n/g, '')
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=') {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(text.charCodeAt(i))
  }
  return Buffer.from(bytes)
}

describe('quotedPrintable', () => {
  it('keeps lines within 76 characters, protects trailing space and round-trips', () => {
    const input = Buffer.from(`${'Grüße '.repeat(40)}\nend with space \n=3D literal\n`, 'utf8')
    const out = quotedPrintable(input).toString('latin1')
    for (const line of out.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76)
    expect(out).toContain('space=20\r\n')
    expect(qpDecode(out).toString('utf8')).toBe(input.toString('utf8').replace(/\n/g, '\r\n'))
  })
})

describe('base64Lines and toCrlf', () => {
  it('wraps base64 at 76 with CRLF', () => {
    const out = base64Lines(Buffer.alloc(1000, 7)).toString('latin1')
    const lines = out.split('\r\n')
    expect(lines.slice(0, -2).every((l) => l.length === 76)).toBe(true)
    expect(Buffer.from(out.replace(/\r\n/g, ''), 'base64')).toEqual(Buffer.alloc(1000, 7))
  })

  it('turns LF into CRLF', () => {
    expect(toCrlf(Buffer.from('a\nb\n')).toString()).toBe('a\r\nb\r\n')
  })
})

describe('encoded-words', () => {
  it('never exceeds 75 characters nor splits a character', () => {
    const text = '会議の議事録について、来週の打ち合わせで確認します 🎉'
    for (const mode of ['B', 'Q'] as const) {
      const words = encodeWords(text, 'utf-8', mode)
      expect(words.length).toBeGreaterThan(1)
      for (const w of words) {
        expect(w.length).toBeLessThanOrEqual(75)
        const payload = w.split('?')[3]!
        const bytes = mode === 'B' ? Buffer.from(payload, 'base64') : qpDecode(payload.replace(/_/g, ' '))
        expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toContain('\ufffd')
      }
    }
  })

  it('leaves ASCII words around the encoded stretch readable', () => {
    const tokens = unstructuredTokens('Re: Grüße aus München bitte', 'iso-8859-1', 'Q')
    expect(tokens[0]).toBe('Re:')
    expect(tokens.at(-1)).toBe('bitte')
    expect(tokens.slice(1, -1).every((t) => t.startsWith('=?ISO-8859-1?Q?'))).toBe(true)
  })

  it('quotes ASCII display names with specials and folds long lists', () => {
    const header = addressHeader(
      'To',
      [
        { name: 'Smith, John', address: 'john@example.com' },
        { name: 'Jürgen Müller', address: 'jm@example.de' },
        { address: 'plain@example.org' },
      ],
      'utf-8',
      'B',
    )
    expect(header).toContain('"Smith, John" <john@example.com>,')
    expect(header).toMatch(/=\?UTF-8\?B\?[^?]+\?=/)
    for (const line of header.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78)
    expect(foldHeader('X', ['a'.repeat(100)])).toBe(`X: ${'a'.repeat(100)}\r\n`)
  })
})

describe('RFC 2231 parameters', () => {
  it('uses a plain quoted value for ASCII and continuations for long non-ASCII values', () => {
    expect(parameterTokens('filename', 'report.pdf', 'utf-8')).toEqual(['filename="report.pdf"'])
    expect(parameterTokens('filename', 'Übersicht.pdf', 'iso-8859-1')).toEqual([
      "filename*=iso-8859-1''%DCbersicht.pdf",
    ])
    const long = parameterTokens('filename', '会議の議事録_見積書_2023-03_final.pdf', 'utf-8')
    expect(long.length).toBeGreaterThan(1)
    expect(long[0]).toMatch(/^filename\*0\*=utf-8''/)
    const joined = long.map((t) => t.replace(/^filename\*\d+\*=/, '')).join('')
    expect(decodeURIComponent(joined.replace("utf-8''", ''))).toBe('会議の議事録_見積書_2023-03_final.pdf')
  })
})
