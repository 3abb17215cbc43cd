import { describe, expect, it } from 'vitest'
import { suggestSettings } from '../../../../shared/providers'
import {
  applySuggestion,
  emptyForm,
  switchKind,
  switchTls,
  toNewAccount,
  validateServer,
} from './account-form'

describe('account form', () => {
  it('starts from the provider table with the address as user name', () => {
    const form = applySuggestion(
      { ...emptyForm(), email: ' me@gmail.com ', password: 'pw' },
      suggestSettings('me@gmail.com')!,
    )
    expect(form.incoming).toEqual({
      host: 'imap.gmail.com',
      port: '993',
      tls: 'implicit',
      username: 'me@gmail.com',
      allowPlaintext: false,
    })
    expect(form.smtp.host).toBe('smtp.gmail.com')
    expect(form.name).toBe('me@gmail.com')
  })

  it('switches IMAP to POP3 with the guessed host and default port', () => {
    const suggestion = suggestSettings('me@isp.example')!
    const imap = applySuggestion({ ...emptyForm(), email: 'me@isp.example' }, suggestion)
    const pop = switchKind(imap, 'pop3', suggestion)
    expect(pop.incoming.host).toBe('pop.isp.example')
    expect(pop.incoming.port).toBe('995')
    // A port the user typed stays.
    const custom = switchKind({ ...imap, incoming: { ...imap.incoming, port: '10993' } }, 'pop3', suggestion)
    expect(custom.incoming.port).toBe('10993')
  })

  it('requires explicit consent for no TLS', () => {
    const server = switchTls(
      { host: 'h', port: '993', tls: 'implicit', username: 'u', allowPlaintext: false },
      'imap',
      'none',
    )
    expect(server.port).toBe('143')
    expect(validateServer(server).allowPlaintext).toBeDefined()
    expect(validateServer({ ...server, allowPlaintext: true })).toEqual({})
    expect(validateServer({ ...server, host: 'a b', port: '70000', username: '' })).toMatchObject({
      host: expect.any(String),
      port: expect.any(String),
      username: expect.any(String),
    })
  })

  it('builds the contract shape for accounts.add', () => {
    const form = applySuggestion({ ...emptyForm(), email: 'me@posteo.de' }, suggestSettings('me@posteo.de')!)
    expect(toNewAccount({ ...form, trustedCaPem: '  ' })).toEqual({
      kind: 'imap',
      name: 'me@posteo.de',
      email: 'me@posteo.de',
      displayName: '',
      incoming: {
        host: 'posteo.de',
        port: 993,
        tls: 'implicit',
        username: 'me@posteo.de',
        allowPlaintext: false,
      },
      smtp: {
        host: 'posteo.de',
        port: 465,
        tls: 'implicit',
        username: 'me@posteo.de',
        allowPlaintext: false,
      },
      trustedCaPem: null,
    })
  })
})
