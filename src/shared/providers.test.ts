import { describe, expect, it } from 'vitest'
import {
  alternativeHosts,
  defaultPort,
  emailDomain,
  findProvider,
  PROVIDERS,
  suggestSettings,
} from './providers'

describe('provider table', () => {
  it('finds providers by the address domain, case-insensitively', () => {
    expect(findProvider('Someone@GMAIL.com')?.name).toBe('Gmail')
    expect(findProvider('a@hotmail.com')?.smtp).toEqual({
      host: 'smtp-mail.outlook.com',
      port: 587,
      tls: 'starttls',
    })
    expect(findProvider('a@me.com')?.pop3).toBeNull()
    expect(findProvider('a@example.org')).toBeNull()
  })

  it('lists every domain once and only TLS servers', () => {
    const domains = PROVIDERS.flatMap((p) => p.domains)
    expect(new Set(domains).size).toBe(domains.length)
    for (const p of PROVIDERS) {
      for (const s of [p.imap, p.pop3, p.smtp]) if (s) expect(s.tls).not.toBe('none')
    }
  })

  it('guesses imap./pop./smtp.<domain> for unknown domains', () => {
    expect(suggestSettings('me@my-isp.example')).toEqual({
      source: 'guess',
      provider: null,
      imap: { host: 'imap.my-isp.example', port: 993, tls: 'implicit' },
      pop3: { host: 'pop.my-isp.example', port: 995, tls: 'implicit' },
      smtp: { host: 'smtp.my-isp.example', port: 587, tls: 'starttls' },
    })
    expect(alternativeHosts('me@x.example', 'pop3')).toEqual([
      'pop.x.example',
      'mail.x.example',
      'pop3.x.example',
      'x.example',
    ])
  })

  it('rejects text that is not an address', () => {
    expect(emailDomain('no-at-sign')).toBeNull()
    expect(emailDomain('@gmail.com')).toBeNull()
    expect(emailDomain('a@localhost')).toBeNull()
    expect(suggestSettings('nope')).toBeNull()
  })

  it('knows the standard ports', () => {
    expect(defaultPort('imap', 'starttls')).toBe(143)
    expect(defaultPort('pop3', 'implicit')).toBe(995)
    expect(defaultPort('smtp', 'none')).toBe(587)
  })
})
