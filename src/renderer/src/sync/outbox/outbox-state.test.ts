import { describe, expect, it } from 'vitest'
import { backoffDelay, MAX_SERVER_RETRIES, recoveredState, replyCodeOf, verdictFor } from './outbox-state'

describe('outbox state machine', () => {
  it('retries offline errors forever before the commit, and fails permanent ones', () => {
    expect(verdictFor({ code: 'CONNECTION_REFUSED', message: '' }, false, 99)).toBe('retry')
    expect(verdictFor({ code: 'TRANSPORT_CLOSED', message: '' }, false, 1)).toBe('retry')
    expect(verdictFor({ code: 'DISK_FULL', message: '' }, false, 7)).toBe('retry')
    for (const code of ['AUTH_FAILED', 'RECIPIENT_REJECTED', 'RELAY_DENIED', 'TLS_UNTRUSTED'] as const) {
      expect(verdictFor({ code, message: '' }, false, 1)).toBe('failed')
    }
    expect(
      verdictFor({ code: 'MESSAGE_TOO_LARGE', message: '', detail: '552 5.3.4 too big' }, false, 1),
    ).toBe('failed')
  })

  it('retries a 4xx a few times, then asks the user', () => {
    const busy = { code: 'SERVER_ERROR' as const, message: '', detail: '451 4.3.0 later' }
    expect(verdictFor(busy, false, 1)).toBe('retry')
    expect(verdictFor(busy, false, MAX_SERVER_RETRIES)).toBe('failed')
  })

  it('after the commit only a server answer proves the message was not taken', () => {
    expect(verdictFor({ code: 'TRANSPORT_CLOSED', message: '' }, true, 1)).toBe('unknown')
    expect(verdictFor({ code: 'TIMEOUT', message: '', detail: 'Timeout' }, true, 1)).toBe('unknown')
    expect(verdictFor({ code: 'MESSAGE_TOO_LARGE', message: '', detail: '552 5.3.4' }, true, 1)).toBe(
      'failed',
    )
    expect(verdictFor({ code: 'SERVER_ERROR', message: '', detail: '451 4.3.0' }, true, 1)).toBe('retry')
  })

  it('recovers a row the app died with: before the commit it is resent, after it the user decides', () => {
    expect(recoveredState({ state: 'sending', phase: 'connecting' })).toEqual({
      state: 'queued',
      phase: null,
    })
    expect(recoveredState({ state: 'sending', phase: 'committing' })).toEqual({
      state: 'unknown',
      phase: null,
    })
    expect(recoveredState({ state: 'failed', phase: null })).toEqual({ state: 'failed', phase: null })
  })

  it('backs off by attempt and reads reply codes from details', () => {
    expect(backoffDelay(1)).toBe(2_000)
    expect(backoffDelay(50)).toBe(60_000)
    expect(replyCodeOf({ code: 'SERVER_ERROR', message: '', detail: '554-5.7.1 no' })).toBe(554)
    expect(replyCodeOf({ code: 'NETWORK', message: '', detail: 'socket hang up' })).toBeNull()
  })
})
