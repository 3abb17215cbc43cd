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
import { accountLedgerIds, countAccountLedger } from '../../store/pop3-ledger'

/**
 * Keyed by store identity and account; each set is trusted only on the database connection it was read
 * on: a connection belongs to one database for its whole life (a store deleted and created again, even
 * under the same name, is reached through a new connection), so the count below is of the same store.
 */
const kept = new Map<string, { connection: ReturnType<MailDb['backendDB']>; ids: Set<string> }>()

const keyOf = (storeId: string, accountId: string): string => `${storeId}\n${accountId}`

/**
 * The ledger's ids for the account, as a set the caller adds committed ids to. Reads the ledger only (not
 * syncState): a read of syncState would wait behind a progress write queued behind the page's reads, and
 * every ledger write behind it.
 */
export async function ledgerIds(db: MailDb, storeId: string, accountId: string): Promise<Set<string>> {
  const key = keyOf(storeId, accountId)
  const entry = kept.get(key)
  const read = await db.transaction('r', db.pop3LedgerBatches, async () => {
    const connection = db.backendDB()
    if (
      entry !== undefined &&
      entry.connection === connection &&
      (await countAccountLedger(db, accountId)) === entry.ids.size
    )
      return null
    return { connection, keys: await accountLedgerIds(db, accountId) }
  })
  if (read === null) return entry!.ids
  const ids = new Set(read.keys)
  kept.set(key, { connection: read.connection, ids })
  return ids
}

/** The account's local data is gone (removed by the user): its ids must not be trusted again. */
export function forgetLedgerIds(accountId: string): void {
  for (const key of [...kept.keys()]) if (key.endsWith(`\n${accountId}`)) kept.delete(key)
}
