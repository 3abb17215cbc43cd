/**
 * Servers without UIDL give each message an id made from its header block and size (core's
 * header-identity.ts). Unlike a UIDL (RFC 1939 §7: never reused), such an id comes back whenever a message
 * with the same headers and size arrives again, e.g. a machine-sent notice. Once the ledger has recorded
 * that its message left the server, a listed message with that id is a different message: new mail, which
 * must be downloaded under an id of its own, not taken for the one already stored (and, under a deletion
 * policy, deleted from the server without ever being stored).
 *
 * Each such arrival gets the next generation: `<id>~2`, `<id>~3`, …; the listing is rewritten so the rest of
 * the check (download, ledger, retention) only ever sees ids that name one message.
 */
import type { Pop3ListingEntry } from '../../../../shared/contract/pop3'
import type { Pop3LedgerRow } from '../../store/rows'

const HEADER_HASH = '#hdr:'

export function isHeaderHashId(id: string): boolean {
  return id.startsWith(HEADER_HASH)
}

const generation = (id: string, g: number): string => (g === 1 ? id : `${id}~${g}`)

/**
 * The listing with each header-hash id moved past the generations the ledger knows were removed from the
 * server. `ledger` holds the account's ledger rows for header-hash ids (all of them: such servers are old
 * and small, and listing them already costs a TOP per message).
 */
export function resolveHeaderGenerations(
  listing: readonly Pop3ListingEntry[],
  ledger: readonly Pop3LedgerRow[],
): Pop3ListingEntry[] {
  const rows = new Map(ledger.map((r) => [r.uidl, r]))
  return listing.map((entry) => {
    if (!isHeaderHashId(entry.id)) return entry
    let g = 1
    for (;;) {
      const row = rows.get(generation(entry.id, g))
      if (row === undefined || row.deletedFromServerAt === null) break
      g++
    }
    return g === 1 ? entry : { ...entry, id: generation(entry.id, g) }
  })
}
