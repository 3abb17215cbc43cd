import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie, RangeSet, type ObservabilitySet } from 'dexie'
import { testStores } from './test-stores'
import { MAX_EXACT_RANGES } from './coarse-mutations'
import type { MailDb } from './mail-db'

const { freshStore } = testStores('coarse')

/** The parts each commit of `write` reported to live queries (what the sync worker broadcasts). */
async function reported(write: () => Promise<unknown>): Promise<ObservabilitySet[]> {
  const seen: ObservabilitySet[] = []
  const listener = (parts: ObservabilitySet): void => void seen.push(parts)
  Dexie.on('storagemutated', listener)
  try {
    await write()
  } finally {
    Dexie.on.storagemutated.unsubscribe(listener)
  }
  return seen
}

/** The changed ranges of one index (Dexie keeps them as plain trees). */
const changed = (parts: ObservabilitySet, part: string): RangeSet => RangeSet(parts[part] ?? { d: 0 })
const rangesOf = (parts: ObservabilitySet, part: string): number => [...changed(parts, part)].length

/** One POP3 ledger batch record of `n` entries: one record, `n` keys in each of its multi-entry indexes. */
function ledgerBatch(db: MailDb, n: number, first: number): Promise<unknown> {
  const ids = Array.from({ length: n }, (_, i) => first + i * 2)
  return db.pop3LedgerBatches.put({
    accountId: 'a1',
    seq: first,
    keys: ids.map((id) => `a1\u0000uidl-${id}`),
    messageIds: ids,
    entries: [],
  })
}

describe('what a write tells live queries', () => {
  it('names an index with many changed keys as a whole, and a few keys exactly', async () => {
    const { fast: db } = await freshStore()
    const index = `idb://${db.name}/pop3LedgerBatches/keys`
    const [many] = await reported(() => ledgerBatch(db, 250, 1000))
    // One range over everything, where Dexie alone names each of the 250 UIDLs.
    expect(rangesOf(many!, index)).toBe(1)
    expect(changed(many!, index).hasKey('a1\u0000something-never-written')).toBe(true)
    // The primary key (one record) stays exact.
    expect(changed(many!, `idb://${db.name}/pop3LedgerBatches/`).hasKey(['a1', 1000])).toBe(true)
    expect(changed(many!, `idb://${db.name}/pop3LedgerBatches/`).hasKey(['a1', 999])).toBe(false)

    const [few] = await reported(() => ledgerBatch(db, 3, 5000))
    expect(rangesOf(few!, index)).toBe(3)
    expect(changed(few!, index).hasKey('a1\u0000uidl-5002')).toBe(true)
    expect(changed(few!, index).hasKey('a1\u0000uidl-5001')).toBe(false)

    // At the limit: still exact.
    const [edge] = await reported(() => ledgerBatch(db, MAX_EXACT_RANGES, 9000))
    expect(rangesOf(edge!, index)).toBe(MAX_EXACT_RANGES)
  })
})
