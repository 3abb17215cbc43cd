import { describe, expect, it } from 'vitest'
import { isOpenableLink, linkify } from './linkify'
import { linkIndexFromBlockedUri, linkUrl } from './sanitize-html'

describe('linkify', () => {
  it('finds URLs without their sentence punctuation', () => {
    expect(
      linkify('See https://example.com/a?b=1. Or www.example.org, or (https://en.wikipedia.org/wiki/X_(y)).'),
    ).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. Or ' },
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org' },
      { kind: 'text', text: ', or (' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/X_(y)',
        href: 'https://en.wikipedia.org/wiki/X_(y)',
      },
      { kind: 'text', text: ').' },
    ])
    expect(linkify('no links')).toEqual([{ kind: 'text', text: 'no links' }])
  })

  it('opens only web and mail links', () => {
    expect(isOpenableLink('https://a.example/')).toBe(true)
    expect(isOpenableLink('mailto:a@b.example')).toBe(true)
    expect(isOpenableLink('javascript:alert(1)')).toBe(false)
    expect(isOpenableLink('file:///etc/passwd')).toBe(false)
    expect(isOpenableLink('not a url')).toBe(false)
  })
})

describe('link numbers in CSP reports', () => {
  it('round-trips through the origin-only blockedURI Chromium reports', () => {
    const url = linkUrl(12, 'abc123')
    expect(linkIndexFromBlockedUri(url, 'abc123')).toBe(12)
    expect(linkIndexFromBlockedUri(new URL(url).origin, 'abc123')).toBe(12)
    expect(linkIndexFromBlockedUri(url, 'other')).toBeNull()
    expect(linkIndexFromBlockedUri('https://evil.example/', 'abc123')).toBeNull()
  })
})
