import { describe, expect, it } from 'vitest'
import { openPop3Session } from './open-session'
import { closedPort, failure, labConfig, useLab } from './test-support/pop3-lab'

const lab = useLab()

describe('POP3 login against the lab Dovecot', () => {
  it('logs in over implicit TLS (POP3S) with SASL PLAIN', async () => {
    const s = await openPop3Session(labConfig(lab(), 'dave'))
    expect(s.secure).toBe(true)
    expect(s.authMethod).toBe('SASL-PLAIN')
    expect(s.greeting).toMatch(/ready/i)
    // After login Dovecot advertises the TRANSACTION capabilities.
    expect(s.capabilities.uidl).toBe(true)
    expect(s.capabilities.top).toBe(true)
    expect(s.capabilities.stls).toBe(false)
    const st = await s.stat()
    expect(st.count).toBeGreaterThanOrEqual(0)
    await s.quit()
    expect(s.broken?.detail).toContain('closed by the client')
    expect((await failure(s.noop())).code).toBe('NETWORK')
  })

  it('logs in with STLS (RFC 2595) on the plain port', async () => {
    const s = await openPop3Session(labConfig(lab(), 'dave', { tls: 'starttls' }))
    expect(s.secure).toBe(true)
    expect(s.authMethod).toBe('SASL-PLAIN')
    await s.noop()
    await s.quit()
  })

  it('logs in without TLS only with allowPlaintext (Dovecot trusts loopback, so the client must refuse)', async () => {
    const refused = await failure(openPop3Session(labConfig(lab(), 'dave', { tls: 'none' })))
    expect(refused.code).toBe('TLS_REQUIRED')
    const s = await openPop3Session(labConfig(lab(), 'dave', { tls: 'none', allowPlaintext: true }))
    expect(s.secure).toBe(false)
    await s.quit()
  })

  it('a wrong password is AUTH_FAILED with an actionable message', async () => {
    const e = await failure(openPop3Session(labConfig(lab(), 'dave', { password: 'not-the-password' })))
    expect(e.code).toBe('AUTH_FAILED')
    expect(e.message).toContain('user name or password')
    expect(e.detail).toContain('[AUTH]')
  })

  it('a certificate not signed by a trusted CA is TLS_UNTRUSTED naming the host (both TLS modes)', async () => {
    const cfg = { ...labConfig(lab(), 'dave'), ca: undefined }
    const implicit = await failure(openPop3Session(cfg))
    expect(implicit.code).toBe('TLS_UNTRUSTED')
    expect(implicit.message).toContain('127.0.0.1')
    const stls = await failure(openPop3Session({ ...cfg, tls: 'starttls', port: lab().ports.pop3 }))
    expect(stls.code).toBe('TLS_UNTRUSTED')
  })

  it('TLS to the STLS port (wrong security setting) fails fast with a hint, not a hang', async () => {
    const started = Date.now()
    const e = await failure(openPop3Session(labConfig(lab(), 'dave', { port: lab().ports.pop3 })))
    expect(['NETWORK', 'TIMEOUT']).toContain(e.code)
    expect(Date.now() - started).toBeLessThan(6000)
  })

  it('a closed port is CONNECTION_REFUSED', async () => {
    const e = await failure(openPop3Session(labConfig(lab(), 'dave', { port: await closedPort() })))
    expect(e.code).toBe('CONNECTION_REFUSED')
    expect(e.message).toContain('refused')
  })

  it('an unknown host name is HOST_NOT_FOUND', async () => {
    const e = await failure(openPop3Session(labConfig(lab(), 'dave', { host: 'no-such-host.invalid' })))
    expect(e.code).toBe('HOST_NOT_FOUND')
  })
})
