import { describe, expect, it } from 'vitest'
import type { Pop3LedgerRow } from '../../store/rows'
import { resolveHeaderGenerations } from './header-generations'
import { planDeletions } from './retention'

const X = `#hdr:${'a'.repeat(64)}:120`

function row(uidl: string, deletedFromServerAt: number | null): Pop3LedgerRow {
  return {
    accountId: 'a',
    uidl,
    messageId: 1,
    storedAt: 0,
    deletedFromServerAt,
    fullStored: true,
    deletedLocallyAt: null,
    sha256: null,
  }
}

describe('resolveHeaderGenerations', () => {
  it('keeps an id the ledger does not know, or knows as still on the server', () => {
    const listing = [
      { n: 1, size: 120, id: X },
      { n: 2, size: 120, id: `${X}#2` },
    ]
    expect(resolveHeaderGenerations(listing, [])).toEqual(listing)
    expect(resolveHeaderGenerations(listing, [row(X, null)])).toEqual(listing)
  })

  it('gives a message whose id was already removed from the server the next generation', () => {
    const listing = [
      { n: 1, size: 120, id: X },
      { n: 2, size: 120, id: `${X}#2` },
    ]
    const ledger = [row(X, 5), row(`${X}~2`, 9), row(`${X}~3`, null), row(`${X}#2`, 7)]
    expect(resolveHeaderGenerations(listing, ledger).map((e) => e.id)).toEqual([`${X}~3`, `${X}#2~2`])
  })

  it('leaves UIDLs alone: servers never reuse them (RFC 1939 §7)', () => {
    const listing = [{ n: 1, size: 10, id: 'uidl-1' }]
    expect(resolveHeaderGenerations(listing, [row('uidl-1', 5)])).toEqual(listing)
  })

  it('keeps a twin ambiguous in every generation: never deleted from the server automatically', () => {
    const ids = [`${X}#2~2`, `${X}~2`]
    const plan = planDeletions(
      { kind: 'delete-after-days', days: 0 },
      ids.map((id) => row(id, null)),
      new Map(ids.map((id, i) => [id, i + 1])),
      1,
    )
    expect(plan.ids).toEqual([`${X}~2`])
  })
})
