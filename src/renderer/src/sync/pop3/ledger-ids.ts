/**
 * The ids on an account's POP3 ledger, kept in this worker between checks. Reading 10,000 ledger keys costs
 * 0.1–0.3 s of a check that finds nothing new; counting them costs far less. The kept set is always a
 * SUBSET of the ledger: it starts as a full read, and only ids whose rows are durably committed are added
 * to it (`have.add` after each commit). Ledger rows are never removed while the account exists (deleting
 * a message only marks its row), so while the ledger's count equals the set's size the two are equal; any
 * other count (another window's worker wrote while it was the writer, the store was replaced) means a full
 * read again. A subset could at worst make a check download a message it has (the commit drops it as
 * known); it can never skip one that is not stored.
 */
import type { MailDb } from '../../store/mail-db'
import { STORE_IDENTITY_KEY, type StoreIdentity } from '../../store/store-identity'

/** Keyed by store identity and account: a replaced store has another identity and starts empty. */
const kept = new Map<string, Set<string>>()

const keyOf = (storeId: string, accountId: string): string => `${storeId}\n${accountId}`

/**
 * The ledger's ids for the account, as a set the caller adds committed ids to. `storeId` is the identity
 * the caller read; it is read again in the same transaction as the count, so the count is of that store.
 */
export async function ledgerIds(db: MailDb, storeId: string, accountId: string): Promise<Set<string>> {
  const key = keyOf(storeId, accountId)
  const set = kept.get(key)
  const read = await db.transaction('r', [db.syncState, db.pop3Ledger], async () => {
    const identity = (await db.syncState.get(STORE_IDENTITY_KEY))?.value as StoreIdentity | undefined
    const rows = db.pop3Ledger.where('accountId').equals(accountId)
    if (set && identity?.id === storeId && (await rows.count()) === set.size) return null
    return { identity: identity?.id, keys: await rows.primaryKeys() }
  })
  if (read === null) return set!
  kept.delete(key)
  const fresh = new Set(read.keys.map((k) => (k as [string, string])[1]))
  // Kept only under the identity these rows were read with: another store's ids must never stand for ours.
  if (read.identity === storeId) kept.set(key, fresh)
  return fresh
}

/** The account's local data is gone (removed by the user): its ids must not be trusted again. */
export function forgetLedgerIds(accountId: string): void {
  for (const key of [...kept.keys()]) if (key.endsWith(`\n${accountId}`)) kept.delete(key)
}
