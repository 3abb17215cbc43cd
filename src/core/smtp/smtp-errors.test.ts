import { describe, expect, it } from 'vitest'
import { isPolicyRefusal, toSmtpMailError } from './smtp-errors'

const nodemailerError = (fields: Record<string, unknown>): Error => Object.assign(new Error('x'), fields)

describe('toSmtpMailError', () => {
  it('maps every refused recipient to RECIPIENT_REJECTED with one reply per line', () => {
    const error = toSmtpMailError(
      nodemailerError({
        code: 'EENVELOPE',
        responseCode: 550,
        rejectedErrors: [
          { recipient: 'a@x', response: '550 5.1.1 <a@x>: User unknown' },
          { recipient: 'b@x', response: '550 5.1.1 <b@x>: User unknown' },
        ],
      }),
      'smtp.x',
    )
    expect(error.code).toBe('RECIPIENT_REJECTED')
    expect(error.message).toContain('a@x, b@x')
    expect(error.detail).toBe('a@x: 550 5.1.1 <a@x>: User unknown\nb@x: 550 5.1.1 <b@x>: User unknown')
  })

  it('tells a relay/policy refusal (RFC 3463 x.7.x) from an unknown user', () => {
    expect(isPolicyRefusal('554 5.7.1 <a@y>: Relay access denied')).toBe(true)
    expect(isPolicyRefusal('454 4.7.1 <a@y>: Relay access denied')).toBe(true)
    expect(isPolicyRefusal('550 5.1.1 <a@y>: User unknown')).toBe(false)
    const error = toSmtpMailError(
      nodemailerError({
        code: 'EENVELOPE',
        responseCode: 554,
        rejectedErrors: [{ recipient: 'a@y', response: '554 5.7.1 <a@y>: Relay access denied' }],
      }),
      'smtp.x',
    )
    expect(error.code).toBe('RELAY_DENIED')
  })

  it('maps 552 at any stage to MESSAGE_TOO_LARGE and keeps the reply as detail', () => {
    const error = toSmtpMailError(
      nodemailerError({
        code: 'EMESSAGE',
        responseCode: 552,
        response: '552 5.3.4 Message size exceeds fixed limit',
      }),
      'smtp.x',
    )
    expect(error.code).toBe('MESSAGE_TOO_LARGE')
    expect(error.detail).toMatch(/^552 5\.3\.4/)
  })

  it('keeps a 4xx reply first in the detail of SERVER_ERROR, so callers can retry later', () => {
    const error = toSmtpMailError(
      nodemailerError({ code: 'EMESSAGE', responseCode: 451, response: '451 4.3.0 Try again later' }),
      'smtp.x',
    )
    expect(error.code).toBe('SERVER_ERROR')
    expect(error.detail).toMatch(/^451 /)
  })

  it('maps a handshake against the wrong TLS mode to TLS_REQUIRED, untrusted certificates to TLS_UNTRUSTED', () => {
    const wrongVersion = nodemailerError({
      code: 'ESOCKET',
      message: 'SSL routines:ssl3_get_record:wrong version number',
    })
    expect(toSmtpMailError(wrongVersion, 'h').code).toBe('TLS_REQUIRED')
    const selfSigned = nodemailerError({
      code: 'ESOCKET',
      message: 'self-signed certificate in certificate chain',
    })
    expect(toSmtpMailError(selfSigned, 'h').code).toBe('TLS_UNTRUSTED')
  })
})
