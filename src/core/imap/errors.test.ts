import { describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { assertRequiredCapabilities } from './capabilities'
import { toMailError } from './errors'

const ctx = { host: 'imap.example.com', port: 993 }
const code = (err: unknown): string => toMailError(err, ctx).code

describe('toMailError', () => {
  it('maps Node and imapflow errors to MailError codes', () => {
    expect(code(Object.assign(new Error('x'), { authenticationFailed: true }))).toBe('AUTH_FAILED')
    expect(code(Object.assign(new Error('x'), { code: 'EAI_AGAIN' }))).toBe('HOST_NOT_FOUND')
    expect(code(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('CONNECTION_REFUSED')
    expect(code(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe('TLS_UNTRUSTED')
    expect(code(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toBe(
      'TLS_UNTRUSTED',
    )
    expect(code(Object.assign(new Error('Server does not support STARTTLS'), { tlsFailed: true }))).toBe(
      'TLS_REQUIRED',
    )
    expect(code(Object.assign(new Error('x'), { code: 'GREETING_TIMEOUT' }))).toBe('TIMEOUT')
    expect(code(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('NETWORK')
    expect(
      code(Object.assign(new Error('x'), { responseStatus: 'NO', serverResponseCode: 'TRYCREATE' })),
    ).toBe('NOT_FOUND')
    expect(code(Object.assign(new Error('x'), { responseStatus: 'NO', responseText: 'Quota' }))).toBe(
      'SERVER_ERROR',
    )
  })

  it('names the host in the message and keeps the technical part in detail', () => {
    const err = toMailError(
      Object.assign(new Error('self-signed'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      ctx,
    )
    expect(err.message).toContain('imap.example.com')
    expect(err.detail).toContain('SELF_SIGNED_CERT_IN_CHAIN')
  })

  it('requires only IMAP4rev1 or IMAP4rev2', () => {
    expect(() => assertRequiredCapabilities(new Map([['IMAP4rev1', true]]), 'h')).not.toThrow()
    expect(() => assertRequiredCapabilities(new Map([['IMAP4rev2', true]]), 'h')).not.toThrow()
    const err = (() => {
      try {
        assertRequiredCapabilities(new Map([['POP3', true]]), 'h')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(MailError)
    expect((err as MailError).code).toBe('CAPABILITY_MISSING')
  })
})
