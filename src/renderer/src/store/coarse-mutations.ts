import {
  Dexie,
  RangeSet,
  type DBCore,
  type DBCoreTable,
  type IntervalTree,
  type Middleware,
  type ObservabilitySet,
} from 'dexie'

/**
 * Most key ranges one table index may report changed per transaction; more become the whole index.
 *
 * Dexie tells live queries what a transaction changed as key ranges per table and index, and sends them to every
 * other context of the origin: the sync worker's writes reach the page over a BroadcastChannel, and each of the
 * page's live queries merges them into its own set. A POP3 download batch named every UIDL and message id of
 * its ledger record that way (~35 KB of ranges per commit, 2.8 MB per 10,000 messages), and merging them cost
 * the page ~0.6 s of CPU per 10,000 messages (bench/pop3-store-profile.ts --page-prof). The whole index instead
 * wakes every query that reads it: more than needed, never less. A handful of changed keys (a flag, a few message
 * chunks) stays exact, so a reading pane that watches one chunk is not woken by every write of its folder.
 */
export const MAX_EXACT_RANGES = 64

/** What Dexie's observability middleware leaves on a write transaction (not in Dexie's DBCore types). */
interface ObservedTransaction {
  mutatedParts?: ObservabilitySet
}

/** True when `tree` holds more than `max` ranges (counts no further). */
function moreRangesThan(tree: IntervalTree, max: number): boolean {
  let n = 0
  const pending: IntervalTree[] = [tree]
  for (let node = pending.pop(); node; node = pending.pop()) {
    // A node is a range with subtrees; the empty set is `{ d: 0 }`.
    if (!('from' in node)) continue
    if (++n > max) return true
    if (node.l) pending.push(node.l)
    if (node.r) pending.push(node.r)
  }
  return false
}

/** `parts` with every index of more than `max` changed ranges widened to all of it (in place). */
function coarsen(parts: ObservabilitySet, max = MAX_EXACT_RANGES): ObservabilitySet {
  for (const [part, set] of Object.entries(parts)) {
    if (moreRangesThan(set, max)) parts[part] = new RangeSet(Dexie.minKey, Dexie.maxKey)
  }
  return parts
}

/**
 * A DBCore middleware above Dexie's observability layer: after each write it widens the ranges that layer
 * collected on the transaction, before the commit fires them (`storagemutated`) and broadcasts them.
 */
export const coarseMutations: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'coarse-mutations',
  // Above Dexie's observability middleware (level 0), so its `mutate` runs first.
  level: 5,
  create: (down) => ({
    ...down,
    table: (name: string): DBCoreTable => {
      const table = down.table(name)
      return {
        ...table,
        mutate: (req) =>
          table.mutate(req).then((res) => {
            const trans = req.trans as ObservedTransaction
            if (trans.mutatedParts) coarsen(trans.mutatedParts)
            return res
          }),
      }
    },
  }),
}
