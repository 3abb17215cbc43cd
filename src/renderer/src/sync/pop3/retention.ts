/**
 * Which downloaded messages to remove from the server, per the account's policy. Pure: given the ledger
 * and this session's listing, it names message numbers. The caller sends these DELEs only after every
 * ledger row involved was committed with the message bytes (strict durability), and they take effect
 * only at QUIT (RFC 1939 §6).
 */
import type { Pop3Retention } from '../../../../shared/model/account'
import type { Pop3LedgerRow } from '../../store/rows'

const DAY_MS = 86_400_000

/**
 * Ids of header-hash twins (`#hdr:…#2`, also in a later generation `#hdr:…#2~3`): their identity is
 * ambiguous, so they are never removed automatically.
 */
const AMBIGUOUS = /^#hdr:.*#\d+(~\d+)?$/

export interface DeletionPlan {
  /** Message numbers to DELE in this session. */
  dele: number[]
  /** Ledger ids behind `dele`, to mark deletedFromServerAt after a successful QUIT. */
  ids: string[]
  /** Ledger ids the server no longer lists (removed by us in an earlier session, or by another client). */
  goneFromServer: string[]
}

export function planDeletions(
  policy: Pop3Retention,
  ledger: readonly Pop3LedgerRow[],
  listing: ReadonlyMap<string, number>,
  now: number,
): DeletionPlan {
  const plan: DeletionPlan = { dele: [], ids: [], goneFromServer: [] }
  for (const row of ledger) {
    if (row.deletedFromServerAt !== null) continue
    const n = listing.get(row.uidl)
    if (n === undefined) {
      plan.goneFromServer.push(row.uidl)
      continue
    }
    // The rule everything else rests on: only a message whose full bytes are stored may leave the server.
    if (!row.fullStored || AMBIGUOUS.test(row.uidl)) continue
    if (wanted(policy, row, now)) {
      plan.dele.push(n)
      plan.ids.push(row.uidl)
    }
  }
  return plan
}

function wanted(policy: Pop3Retention, row: Pop3LedgerRow, now: number): boolean {
  switch (policy.kind) {
    case 'leave':
      return false
    case 'delete-after-days':
      return row.storedAt <= now - policy.days * DAY_MS
    case 'delete-when-deleted-locally':
      return row.deletedLocallyAt !== null
  }
}
