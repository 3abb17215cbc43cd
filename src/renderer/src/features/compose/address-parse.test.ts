import { describe, expect, it } from 'vitest'
import {
  formatRecipients,
  hasInternationalLocalPart,
  normalizeAddress,
  parseRecipients,
} from './address-parse'

describe('parseRecipients (RFC 5322 / 6854 address lists as typed)', () => {
  it('reads display names with commas when quoted, and repairs them when not', () => {
    expect(parseRecipients('"Doe, Jane" <jane@example.org>, bob@example.org').entries).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.org' },
      { name: '', address: 'bob@example.org' },
    ])
    expect(parseRecipients('Doe, Jane <jane@example.org>').entries).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.org' },
    ])
  })

  it('keeps quoted local parts quoted when they are not dot-atoms (RFC 5321 §4.1.2)', () => {
    expect(parseRecipients('"john..doe"@example.com').entries).toEqual([
      { name: '', address: '"john..doe"@example.com' },
    ])
    expect(parseRecipients('"john.doe"@example.com').entries).toEqual([
      { name: '', address: 'john.doe@example.com' },
    ])
    expect(normalizeAddress('"a b"@x.org')).toBe('"a b"@x.org')
  })

  it('reads groups, including empty ones (RFC 5322 §3.4, RFC 6854)', () => {
    expect(parseRecipients('Team: a@x.org, "B, B" <b@y.org>;, c@z.org').entries).toEqual([
      {
        group: 'Team',
        members: [
          { name: '', address: 'a@x.org' },
          { name: 'B, B', address: 'b@y.org' },
        ],
      },
      { name: '', address: 'c@z.org' },
    ])
    expect(parseRecipients('Undisclosed recipients:;').entries).toEqual([
      { group: 'Undisclosed recipients', members: [] },
    ])
  })

  it('keeps non-ASCII names and addresses, and decodes encoded-words (RFC 2047, RFC 6531)', () => {
    expect(parseRecipients('Zoë Ångström <zoe@bücher.de>; =?UTF-8?Q?J=C3=B6rg?= <j@x.org>').entries).toEqual([
      { name: 'Zoë Ångström', address: 'zoe@bücher.de' },
      { name: 'Jörg', address: 'j@x.org' },
    ])
  })

  it('reports what is not an address instead of dropping it silently', () => {
    const parsed = parseRecipients('bob@example.org, not an address, carol@')
    expect(parsed.entries).toEqual([{ name: '', address: 'bob@example.org' }])
    expect(parsed.invalid.length).toBeGreaterThan(0)
  })

  it('formats back to text that parses to the same entries', () => {
    const text = 'Team: "Doe, Jane" <jane@x.org>;, Zoë <zoe@y.org>, "a b"@z.org'
    const { entries } = parseRecipients(text)
    expect(parseRecipients(formatRecipients(entries)).entries).toEqual(entries)
    expect(formatRecipients(entries)).toBe('Team: "Doe, Jane" <jane@x.org>;, Zoë <zoe@y.org>, "a b"@z.org')
  })

  it('tells which addresses need SMTPUTF8: a non-ASCII local part, not an IDN domain', () => {
    expect(hasInternationalLocalPart('jörg@example.org')).toBe(true)
    expect(hasInternationalLocalPart('info@bücher.de')).toBe(false)
    expect(hasInternationalLocalPart('"a@ü"@example.org')).toBe(true)
    expect(hasInternationalLocalPart('plain@example.org')).toBe(false)
  })
})
