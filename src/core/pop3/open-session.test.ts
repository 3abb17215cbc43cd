import { afterEach, describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { apopDigest } from './commands/authenticate'
import { openPop3Session } from './open-session'
import { Pop3Client } from './pop3-client'
import { basicReplies, startFakePop3Server, type FakePop3Server } from './test-support/fake-pop3-server'
import type { Pop3Config } from './types'

// Dovecot always offers STLS and the lab has APOP off, so these policy cases use a scripted local server.
let server: FakePop3Server | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const config = (port: number, extra: Partial<Pop3Config> = {}): Pop3Config => ({
  host: '127.0.0.1',
  port,
  tls: 'starttls',
  username: 'alice',
  password: 'secret-pw',
  timeouts: { connectMs: 2000, idleMs: 2000 },
  ...extra,
})

async function failure(p: Promise<unknown>): Promise<MailError> {
  const e: unknown = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  )
  if (!(e instanceof MailError)) throw e
  return e
}

describe('openPop3Session policy (scripted server)', () => {
  it("'starttls' against a server without STLS: TLS_REQUIRED and no credential leaves the client", async () => {
    server = await startFakePop3Server('+OK ready\r\n', basicReplies(['USER', 'UIDL', 'SASL PLAIN'], []))
    const e = await failure(openPop3Session(config(server.port)))
    expect(e.code).toBe('TLS_REQUIRED')
    expect(e.message).toContain('127.0.0.1')
    expect(server.received).toEqual(['CAPA'])
  })

  it("'starttls' with a pre-CAPA server that refuses STLS: TLS_REQUIRED after trying", async () => {
    server = await startFakePop3Server('+OK ready\r\n', (line) => `-ERR no ${line}\r\n`)
    const e = await failure(openPop3Session(config(server.port)))
    expect(e.code).toBe('TLS_REQUIRED')
    expect(server.received).toEqual(['CAPA', 'STLS'])
  })

  it("'none' without allowPlaintext is refused before connecting", async () => {
    server = await startFakePop3Server('+OK ready\r\n', basicReplies(['USER'], []))
    const e = await failure(openPop3Session(config(server.port, { tls: 'none' })))
    expect(e.code).toBe('TLS_REQUIRED')
    expect(server.connections).toBe(0)
  })

  it('bytes injected after +OK to STLS, before the handshake, break the connection (RFC 2595 §4)', async () => {
    server = await startFakePop3Server('+OK ready\r\n', (line) =>
      line === 'CAPA'
        ? '+OK\r\nSTLS\r\nUSER\r\n.\r\n'
        : line === 'STLS'
          ? '+OK go\r\n+OK injected\r\n'
          : undefined,
    )
    const e = await failure(openPop3Session(config(server.port)))
    expect(e.code).toBe('SERVER_ERROR')
    expect(e.detail).toContain('before the TLS handshake')
    expect(server.received).toEqual(['CAPA', 'STLS'])
  })

  it('uses APOP when allowed and the greeting has a timestamp (RFC 1939 §7), never PASS', async () => {
    const stamp = '<1896.697170952@dbc.mtview.ca.us>'
    server = await startFakePop3Server(`+OK POP3 server ready ${stamp}\r\n`, basicReplies(['UIDL'], []))
    const s = await openPop3Session(
      config(server.port, { tls: 'none', allowPlaintext: true, allowApop: true }),
    )
    expect(s.authMethod).toBe('APOP')
    expect(server.received).toContain(`APOP alice ${apopDigest(stamp, 'secret-pw')}`)
    expect(server.received.some((l) => l.startsWith('PASS'))).toBe(false)
    await s.quit()
  })

  it('RFC 1939 §7 example digest', () => {
    expect(apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe(
      'c4c9334bac560ecc979e58001b3e22fb',
    )
  })

  it('maps an uncoded lock message on PASS to MAILBOX_LOCKED and a plain -ERR to AUTH_FAILED', async () => {
    let lockNext = true
    server = await startFakePop3Server('+OK\r\n', (line, socket) => {
      if (!line.startsWith('PASS')) return basicReplies(['USER'], [])(line, socket)
      const reply = lockNext ? '-ERR maildrop already locked\r\n' : '-ERR invalid password\r\n'
      lockNext = false
      return reply
    })
    const cfg = config(server.port, { tls: 'none', allowPlaintext: true })
    const locked = await failure(openPop3Session(cfg))
    expect(locked.code).toBe('MAILBOX_LOCKED')
    expect(locked.message).toBe(
      'Another program is checking this mailbox. Close it or wait a minute, then try again.',
    )
    expect((await failure(openPop3Session(cfg))).code).toBe('AUTH_FAILED')
  })

  it('a server that closes mid-RETR gives NETWORK, never the partial message', async () => {
    server = await startFakePop3Server('+OK\r\n', (line, socket) => {
      if (line === 'RETR 1') {
        socket.end('+OK\r\nSubject: cut\r\n\r\nhalf of the bo')
        return undefined
      }
      return basicReplies(['USER'], [])(line, socket)
    })
    const s = await openPop3Session(config(server.port, { tls: 'none', allowPlaintext: true }))
    const e = await failure(s.retr(1))
    expect(e.code).toBe('NETWORK')
    expect((await failure(s.stat())).code).toBe('NETWORK')
  })

  it('a command can be cancelled with an AbortSignal; the connection is dropped', async () => {
    server = await startFakePop3Server('+OK\r\n', (line, socket) =>
      line === 'NOOP' ? undefined : basicReplies(['USER'], [])(line, socket),
    )
    const s = await openPop3Session(config(server.port, { tls: 'none', allowPlaintext: true }))
    const controller = new AbortController()
    const pending = s.noop(controller.signal)
    setTimeout(() => controller.abort(), 50)
    const e = await failure(pending)
    expect(e.code).toBe('CANCELLED')
    expect(s.broken?.code).toBe('CANCELLED')
  })

  it('a -ERR greeting is a SERVER_ERROR', async () => {
    server = await startFakePop3Server('-ERR [SYS/TEMP] overloaded\r\n', () => undefined)
    const e = await failure(Pop3Client.connect({ host: '127.0.0.1', port: server.port, secure: false }))
    expect(e.code).toBe('SERVER_ERROR')
  })

  it('refuses a user name with a line break instead of sending a second command', async () => {
    server = await startFakePop3Server('+OK\r\n', basicReplies(['USER'], []))
    const cfg = config(server.port, { tls: 'none', allowPlaintext: true, username: 'alice\r\nDELE 1' })
    expect((await failure(openPop3Session(cfg))).code).toBe('INVALID_PARAMS')
    expect(server.received).toEqual(['CAPA'])
  })
})
