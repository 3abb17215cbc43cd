import { describe, expect, it } from 'vitest'
import { accountConfigSchema } from './account'

const server = { host: 'mail.example.org', port: 993, tls: 'implicit', username: 'me' } as const

describe('accountConfigSchema: identities', () => {
  it('reads an accounts.json written before identities existed, with no signature and no aliases', () => {
    const old = {
      id: 'a1',
      kind: 'imap',
      name: 'Work',
      email: 'me@example.org',
      incoming: server,
      smtp: { ...server, port: 587, tls: 'starttls' },
    }
    const parsed = accountConfigSchema.parse(old)
    expect(parsed.signature).toBe('')
    expect(parsed.identities).toEqual([])
  })

  it('keeps aliases with their names and signatures, in order', () => {
    const parsed = accountConfigSchema.parse({
      id: 'a1',
      kind: 'pop3',
      name: 'Home',
      email: 'me@example.org',
      incoming: server,
      smtp: null,
      signature: 'Me',
      identities: [
        { address: 'sales@example.org', name: 'Sales', signature: 'Sales team\nExample Inc.' },
        { address: ' jörg@bücher.de ' },
      ],
    })
    expect(parsed.identities).toEqual([
      { address: 'sales@example.org', name: 'Sales', signature: 'Sales team\nExample Inc.' },
      { address: 'jörg@bücher.de', name: '', signature: '' },
    ])
  })
})
