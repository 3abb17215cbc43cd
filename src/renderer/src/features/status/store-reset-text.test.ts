import { describe, expect, it } from 'vitest'
import type { StoreResetRecord } from '../../sync/pop3/store-reset-record'
import { describeStoreReset } from './StoreNoticeBars'

const record = (patch: Partial<StoreResetRecord>): StoreResetRecord => ({
  accountId: 'p',
  resetAt: Date.UTC(2026, 10, 27, 9),
  storeCreatedAt: null,
  dataLoss: null,
  restored: 0,
  dropped: 0,
  outcome: 'restored',
  resolvedAt: Date.UTC(2026, 10, 27, 9),
  dismissedAt: null,
  ...patch,
})

describe('describeStoreReset', () => {
  it('a store trusted at once: all mail was on the server; says what only this computer had', () => {
    const text = describeStoreReset(record({}))
    expect(text).toContain('Nothing had ever been removed from the server')
    expect(text).toContain('folders you made for this account (their messages are back in the Inbox)')
    expect(text).not.toContain('safety copy')
  })

  it('a store restored from the safety copy says how many came back and how many could not', () => {
    const text = describeStoreReset(
      record({ restored: 20, dropped: 3, outcome: 'needs-user', resolvedAt: null }),
    )
    expect(text).toContain('20 messages that had already left the server were restored')
    expect(text).toContain('Up to 3 older messages')
  })
})
