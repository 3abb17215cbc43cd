import { describe, expect, it } from 'vitest'
import { accountConfigSchema } from '../../../../shared/model/account'
import { identitiesOf, identityFor } from './identities'

const server = { host: 'mail.example.org', port: 993, tls: 'implicit', username: 'me' } as const
const work = accountConfigSchema.parse({
  id: 'work',
  kind: 'imap',
  name: 'Work',
  email: 'me@work.example',
  displayName: 'Me Myself',
  incoming: server,
  smtp: null,
  signature: 'Me\nWork Inc.',
  identities: [{ address: 'sales@work.example', name: 'Sales', signature: 'The sales team' }],
})
const home = accountConfigSchema.parse({
  id: 'home',
  kind: 'pop3',
  name: 'Home',
  email: 'me@home.example',
  incoming: server,
  smtp: null,
  identities: [{ address: 'kids@home.example' }],
})

describe('identities', () => {
  const all = identitiesOf([work, home])

  it('lists each account’s own address first, then its aliases, with their signatures', () => {
    expect(all.map((i) => [i.accountId, i.name, i.address, i.signature])).toEqual([
      ['work', 'Me Myself', 'me@work.example', 'Me\nWork Inc.'],
      ['work', 'Sales', 'sales@work.example', 'The sales team'],
      ['home', '', 'me@home.example', ''],
      ['home', '', 'kids@home.example', ''],
    ])
  })

  it('answers from the alias a message was addressed to, else from the account’s own address', () => {
    const toAlias = { to: [{ name: '', address: 'SALES@work.example' }], cc: [] }
    expect(identityFor(all, 'work', toAlias)?.address).toBe('sales@work.example')
    const ccOwn = { to: [{ name: '', address: 'list@lists.example' }], cc: [] }
    expect(identityFor(all, 'work', ccOwn)?.address).toBe('me@work.example')
    // An alias of another account does not count: the reply goes out through the account that got it.
    expect(identityFor(all, 'home', toAlias)?.address).toBe('me@home.example')
    expect(identityFor(all, undefined, null)?.address).toBe('me@work.example')
  })
})
