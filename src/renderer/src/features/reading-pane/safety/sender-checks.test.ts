import { describe, expect, it } from 'vitest'
import { addressShownInName, lookalikeDomain, senderWarnings } from './sender-checks'

describe('addressShownInName', () => {
  it('flags a name that shows another address, in any disguise', () => {
    expect(addressShownInName('support@bank.example', 'crook@evil.example')).toBe('support@bank.example')
    expect(addressShownInName('Bank <support@bank.example>', 'crook@evil.example')).toBe(
      'support@bank.example',
    )
    // Fullwidth commercial at (U+FF20) reads as "@"; NFKC maps it.
    expect(addressShownInName('support＠bank.example', 'crook@evil.example')).toBe('support@bank.example')
    // Hidden characters inside the shown address do not hide it.
    expect(addressShownInName('supp\u200bort@bank.example', 'crook@evil.example')).toBe(
      'support@bank.example',
    )
  })

  it('accepts a name that is the real address or no address at all', () => {
    expect(addressShownInName('Crook@Evil.Example', 'crook@evil.example')).toBeNull()
    expect(addressShownInName('Bob Builder', 'bob@example.org')).toBeNull()
    expect(addressShownInName('', 'bob@example.org')).toBeNull()
  })
})

describe('lookalikeDomain', () => {
  it('shows the punycode of homoglyph and xn-- domains', () => {
    expect(lookalikeDomain('service@p\u0430ypal.example')).toBe('xn--pypal-4ve.example')
    expect(lookalikeDomain('id@xn--pple-43d.example')).toBe('xn--pple-43d.example')
    expect(lookalikeDomain('a@b\u00fccher.example')).toBe('xn--bcher-kva.example')
  })

  it('leaves plain ASCII domains alone', () => {
    expect(lookalikeDomain('bob@example.org')).toBeNull()
    expect(lookalikeDomain('no-domain')).toBeNull()
  })
})

describe('senderWarnings', () => {
  const from = (name: string, address: string) => [{ name, address }]

  it('flags Reply-To that differs from From, not one that repeats it', () => {
    expect(
      senderWarnings(from('CEO', 'ceo@corp.example'), [
        { name: '', address: 'ceo.private@attacker.example' },
      ]),
    ).toEqual([{ kind: 'reply-to-differs', replyTo: 'ceo.private@attacker.example' }])
    expect(
      senderWarnings(from('CEO', 'ceo@corp.example'), [{ name: '', address: 'CEO@corp.example' }]),
    ).toEqual([])
  })

  it('flags names with controls or bidi overrides, and combines warnings', () => {
    const kinds = senderWarnings(from('"admin@bank.example"\u202e\u0000', 'x@p\u0430ypal.example'), []).map(
      (w) => w.kind,
    )
    expect(kinds).toEqual(['name-shows-address', 'lookalike-domain', 'hidden-characters'])
  })

  it('has nothing to say about an ordinary sender or none', () => {
    expect(senderWarnings(from('Bob Builder', 'bob@example.org'), [])).toEqual([])
    expect(senderWarnings([], [])).toEqual([])
  })
})
