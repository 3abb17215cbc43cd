import { describe, expect, it } from 'vitest'
import { disambiguate, headerIdentity } from './header-identity'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('headerIdentity (servers without UIDL)', () => {
  const head = 'From: a@x\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n'

  it('depends on the header block and the size only', () => {
    const id = headerIdentity(bytes(`${head}\r\n`), 100)
    expect(id).toMatch(/^#hdr:[0-9a-f]{64}:100$/)
    expect(headerIdentity(bytes(`${head}\r\nbody lines differ\r\n`), 100)).toBe(id)
    expect(headerIdentity(bytes(`${head}\r\n`), 101)).not.toBe(id)
    expect(headerIdentity(bytes(`${head}X-Other: 1\r\n\r\n`), 100)).not.toBe(id)
  })

  it('ignores status fields that old servers add after a download, folded lines included', () => {
    const id = headerIdentity(bytes(`${head}\r\n`), 100)
    expect(
      headerIdentity(bytes(`${head}Status: RO\r\nX-Status: A\r\nX-Keywords: a\r\n b\r\n\r\n`), 100),
    ).toBe(id)
  })

  it('numbers repeated ids in listing order and keeps the first unchanged', () => {
    const out = disambiguate([
      { n: 1, id: 'a' },
      { n: 2, id: 'b' },
      { n: 3, id: 'a' },
      { n: 4, id: 'a' },
    ])
    expect(out.map((e) => e.id)).toEqual(['a', 'b', 'a#2', 'a#3'])
  })
})
