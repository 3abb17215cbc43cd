import { describe, expect, it } from 'vitest'
import type { Pop3LedgerRow } from '../../store/rows'
import { planDeletions } from './retention'

const NOW = Date.UTC(2026, 10, 27)
const DAY = 86_400_000

function row(uidl: string, over: Partial<Pop3LedgerRow> = {}): Pop3LedgerRow {
  return {
    accountId: 'a',
    uidl,
    messageId: 1,
    storedAt: NOW - 10 * DAY,
    deletedFromServerAt: null,
    fullStored: true,
    deletedLocallyAt: null,
    sha256: null,
    ...over,
  }
}

const listing = new Map([
  ['old', 1],
  ['new', 2],
  ['local-del', 3],
  ['headers', 4],
  ['#hdr:abc:10#2', 5],
  ['done', 6],
])
const ledger = [
  row('old'),
  row('new', { storedAt: NOW - DAY }),
  row('local-del', { storedAt: NOW, deletedLocallyAt: NOW }),
  row('headers', { fullStored: false, deletedLocallyAt: NOW }),
  row('#hdr:abc:10#2', { deletedLocallyAt: NOW }),
  row('done', { deletedFromServerAt: NOW - DAY }),
  row('vanished'),
]

describe('planDeletions', () => {
  it('leave: deletes nothing, but notices what the server no longer has', () => {
    expect(planDeletions({ kind: 'leave' }, ledger, listing, NOW)).toEqual({
      dele: [],
      ids: [],
      goneFromServer: ['vanished'],
    })
  })

  it('delete-after-days: only fully stored messages stored at least N days ago', () => {
    const plan = planDeletions({ kind: 'delete-after-days', days: 7 }, ledger, listing, NOW)
    expect(plan.dele).toEqual([1])
    expect(plan.ids).toEqual(['old'])
    expect(planDeletions({ kind: 'delete-after-days', days: 0 }, ledger, listing, NOW).ids).toEqual([
      'old',
      'new',
      'local-del',
    ])
  })

  // Core holds the bytes it RETRs only under "0 days" (holdsRetrievedBytes in core/services/pop3-service.ts):
  // it relies on a message stored by this very check never being removed in it under N >= 1 days.
  it('delete-after-days: a message stored by this check leaves in the same check only with 0 days', () => {
    const fresh = [row('just-stored', { storedAt: NOW })]
    const listed = new Map([['just-stored', 1]])
    expect(planDeletions({ kind: 'delete-after-days', days: 0 }, fresh, listed, NOW).ids).toEqual([
      'just-stored',
    ])
    expect(planDeletions({ kind: 'delete-after-days', days: 1 }, fresh, listed, NOW).ids).toEqual([])
  })

  it('delete-when-deleted-locally: only those deleted for good, never headers-only or ambiguous ones', () => {
    const plan = planDeletions({ kind: 'delete-when-deleted-locally' }, ledger, listing, NOW)
    expect(plan.ids).toEqual(['local-del'])
    expect(plan.dele).toEqual([3])
  })
})
