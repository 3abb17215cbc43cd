import type { Pop3ListingEntry } from '../../../../shared/contract/pop3'
import type { CoreApi } from '../engine/core-api'

/** A listing entry as `pop3.list` gives it: without its size when the caller asked for none. */
export type ListedEntry = Pick<Pop3ListingEntry, 'n' | 'id'> & { size?: number }

/**
 * The entries with their sizes: those the listing left out are asked for in one `pop3.sizes` call (only
 * for these messages: a check that finds nothing new asks nothing). A message gone from the maildrop in
 * between (another client's QUIT) is left out: it is no longer there to download.
 */
export async function withSizes(
  core: CoreApi,
  sessionId: string,
  entries: readonly ListedEntry[],
  opts: { signal?: AbortSignal } = {},
): Promise<Pop3ListingEntry[]> {
  const missing = entries.filter((e) => e.size === undefined).map((e) => e.n)
  const asked =
    missing.length === 0 ? [] : (await core.call('pop3.sizes', { sessionId, ns: missing }, opts)).sizes
  const size = new Map(asked.map((s) => [s.n, s.size]))
  return entries.flatMap((e) => {
    const octets = e.size ?? size.get(e.n)
    return octets === undefined ? [] : [{ n: e.n, id: e.id, size: octets }]
  })
}
