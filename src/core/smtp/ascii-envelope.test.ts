import { describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { asciiEnvelope } from './smtp-session'

describe('asciiEnvelope (a server without SMTPUTF8)', () => {
  it('leaves ASCII addresses alone and writes IDN domains as their A-labels', () => {
    expect(
      asciiEnvelope({ from: 'me@example.org', to: ['info@bücher.example', 'x@日本.jp', 'y@ok.org'] }, 'h'),
    ).toEqual({
      from: 'me@example.org',
      to: ['info@xn--bcher-kva.example', 'x@xn--wgv71a.jp', 'y@ok.org'],
    })
  })

  it('refuses a non-ASCII local part with an error that names it, instead of mangling it', () => {
    let error: unknown
    try {
      asciiEnvelope({ from: 'me@example.org', to: ['jörg@example.org', 'ok@example.org'] }, 'smtp.example')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).code).toBe('CAPABILITY_MISSING')
    expect((error as MailError).message).toContain('jörg@example.org')
    expect((error as MailError).message).toContain('smtp.example')
    expect((error as MailError).message).not.toContain('ok@example.org')
  })
})
