/**
 * The POP3 ledger (what each POP3 account has downloaded, by UIDL: rows.ts `Pop3LedgerRow`), stored as ONE
 * record per committed batch (schema version 11): a download adds 250 entries in one `add` instead of 250
 * records, which cost ~1 s of a 10,000-message download (bench/idb-ledger-cost.ts). Everything else reads
 * and changes entries through this module, as rows.
 *
 * A batch record lists its entries' keys (`ledgerKey`: account and UIDL) in a UNIQUE multi-entry index, so
 * IndexedDB itself refuses a record naming an id the ledger holds: the duplicate guard of a download needs no
 * read. Its messages' ids are in a second multi-entry index (a local delete finds its entry by message).
 */
import { Dexie, type Table, type Transaction } from 'dexie'
import type { Pop3LedgerRow } from './rows'

export type Pop3LedgerEntry = Omit<Pop3LedgerRow, 'accountId'>

export interface Pop3LedgerBatchRow {
  accountId: string
  /**
   * Names the batch within the account: the first entry's message id (ids are never given twice, so two
   * batches cannot share it). Batches the upgrade to version 11 made are numbered below zero.
   */
  seq: number
  /** `ledgerKey` of each entry, in entry order. */
  keys: string[]
  /** Each entry's message id, in entry order. */
  messageIds: number[]
  entries: Pop3LedgerEntry[]
}

/** The ledger's table as every store connection and transaction names it. */
export interface LedgerTables {
  pop3LedgerBatches: Table<Pop3LedgerBatchRow, [string, number]>
}

/**
 * The ledger's table of the transaction this is called in (synchronously, at its start): it stays in that
 * transaction after any await (store/messages/bound-tables.ts says why `db.pop3LedgerBatches` may not).
 */
export function boundLedger(): LedgerTables {
  return {
    pop3LedgerBatches: Dexie.currentTransaction.table(
      'pop3LedgerBatches',
    ) as LedgerTables['pop3LedgerBatches'],
  }
}

/** Dexie's declaration of the table (schema version 11). */
export const POP3_LEDGER_SCHEMA = '[accountId+seq], &*keys, *messageIds'

const SEP = '\u0000'

/** An entry's key in the unique index: the account and the UIDL, joined by NUL, which neither contains. */
export const ledgerKey = (accountId: string, uidl: string): string => `${accountId}${SEP}${uidl}`

const accountKeys = (accountId: string): [string, string] => [
  `${accountId}${SEP}`,
  `${accountId}${SEP}\uffff`,
]

/** The batch record for entries committed together (all of one account). */
export function ledgerBatch(
  accountId: string,
  rows: readonly Pop3LedgerRow[],
  seq?: number,
): Pop3LedgerBatchRow {
  const entries = rows.map(({ accountId: _, ...entry }) => entry)
  return {
    accountId,
    seq: seq ?? rows[0]!.messageId,
    keys: rows.map((r) => ledgerKey(accountId, r.uidl)),
    messageIds: rows.map((r) => r.messageId).filter((id) => typeof id === 'number'),
    entries,
  }
}

/**
 * Adds the rows (one account's, with message ids) as one batch. Rejects with Dexie's ConstraintError, and
 * adds nothing, if the ledger holds any of their ids already.
 */
export async function addLedgerRows(
  db: LedgerTables,
  accountId: string,
  rows: readonly Pop3LedgerRow[],
): Promise<void> {
  if (rows.length === 0) return
  await db.pop3LedgerBatches.add(ledgerBatch(accountId, rows))
}

/** The records holding any of these keys, each once. */
async function batchesWithKeys(
  db: LedgerTables,
  index: 'keys' | 'messageIds',
  keys: readonly (string | number)[],
): Promise<Pop3LedgerBatchRow[]> {
  if (keys.length === 0) return []
  // Keys first: a record comes once per matching key of a multi-entry index, and a record is 250 entries.
  const found = await db.pop3LedgerBatches
    .where(index)
    .anyOf([...keys])
    .primaryKeys()
  const unique = [...new Map(found.map((k) => [`${k[0]}${SEP}${k[1]}`, k])).values()]
  return (await db.pop3LedgerBatches.bulkGet(unique)).filter((b): b is Pop3LedgerBatchRow => b !== undefined)
}

const rowOf = (b: Pop3LedgerBatchRow, e: Pop3LedgerEntry): Pop3LedgerRow => ({
  accountId: b.accountId,
  ...e,
})

/** The account's rows for these UIDLs, in their order (undefined where the ledger has none): like bulkGet. */
export async function ledgerRows(
  db: LedgerTables,
  accountId: string,
  uidls: readonly string[],
): Promise<(Pop3LedgerRow | undefined)[]> {
  const batches = await batchesWithKeys(
    db,
    'keys',
    uidls.map((u) => ledgerKey(accountId, u)),
  )
  const byUidl = new Map<string, Pop3LedgerRow>()
  for (const b of batches) for (const e of b.entries) byUidl.set(e.uidl, rowOf(b, e))
  return uidls.map((u) => byUidl.get(u))
}

/** Every row of the account. */
export async function accountLedger(db: LedgerTables, accountId: string): Promise<Pop3LedgerRow[]> {
  const batches = await accountBatches(db, accountId).toArray()
  return batches.flatMap((b) => b.entries.map((e) => rowOf(b, e)))
}

const accountBatches = (db: LedgerTables, accountId: string) =>
  db.pop3LedgerBatches
    .where('[accountId+seq]')
    .between([accountId, -Infinity], [accountId, Infinity], true, true)

/** The account's UIDLs, from index keys alone (no record is read). */
export async function accountLedgerIds(db: LedgerTables, accountId: string): Promise<string[]> {
  const [low, high] = accountKeys(accountId)
  const keys = (await db.pop3LedgerBatches.where('keys').between(low, high).keys()) as string[]
  return keys.map((k) => k.slice(low.length))
}

/** How many rows the account has (index keys counted, no record read). */
export function countAccountLedger(db: LedgerTables, accountId: string): Promise<number> {
  const [low, high] = accountKeys(accountId)
  return db.pop3LedgerBatches.where('keys').between(low, high).count()
}

/** The row of a stored message, if it came by POP3. */
export async function ledgerRowOfMessage(
  db: LedgerTables,
  messageId: number,
): Promise<Pop3LedgerRow | undefined> {
  const b = await db.pop3LedgerBatches.where('messageIds').equals(messageId).first()
  const e = b?.entries.find((x) => x.messageId === messageId)
  return b && e ? rowOf(b, e) : undefined
}

type Changes = Partial<
  Pick<Pop3LedgerEntry, 'deletedFromServerAt' | 'deletedLocallyAt' | 'fullStored' | 'sha256' | 'storedAt'>
>

async function change(
  db: LedgerTables,
  batches: readonly Pop3LedgerBatchRow[],
  picks: (b: Pop3LedgerBatchRow, e: Pop3LedgerEntry) => boolean,
  changes: Changes,
): Promise<number> {
  let changed = 0
  const put: Pop3LedgerBatchRow[] = []
  for (const b of batches) {
    let hit = false
    const entries = b.entries.map((e) => {
      if (!picks(b, e)) return e
      hit = true
      changed++
      return { ...e, ...changes }
    })
    if (hit) put.push({ ...b, entries })
  }
  await db.pop3LedgerBatches.bulkPut(put)
  return changed
}

/** Changes the account's rows for these UIDLs; returns how many there were. */
export async function changeLedgerRows(
  db: LedgerTables,
  accountId: string,
  uidls: readonly string[],
  changes: Changes,
): Promise<number> {
  const wanted = new Set(uidls)
  const batches = await batchesWithKeys(
    db,
    'keys',
    uidls.map((u) => ledgerKey(accountId, u)),
  )
  return change(db, batches, (b, e) => b.accountId === accountId && wanted.has(e.uidl), changes)
}

/** Changes the rows of these messages (any account's); returns how many there were. */
export async function changeLedgerRowsOfMessages(
  db: LedgerTables,
  messageIds: readonly number[],
  changes: Changes,
): Promise<number> {
  const wanted = new Set(messageIds)
  const batches = await batchesWithKeys(db, 'messageIds', messageIds)
  return change(db, batches, (_, e) => wanted.has(e.messageId), changes)
}

/** Removes the account's ledger (the account is being removed). */
export async function deleteAccountLedger(db: LedgerTables, accountId: string): Promise<void> {
  await accountBatches(db, accountId).delete()
}

/** Entries per record the upgrade writes: a download's later batch size. */
const UPGRADE_BATCH = 250

/**
 * Schema version 11's upgrade: each account's rows of the old `pop3Ledger` table (a record per message)
 * into batch records of up to 250, numbered below zero so no download's batch (numbered by a message id)
 * can meet them. Every field stays.
 */
export async function moveLedgerIntoBatches(tx: Transaction): Promise<void> {
  const rows = (await tx.table('pop3Ledger').toArray()) as Pop3LedgerRow[]
  const byAccount = new Map<string, Pop3LedgerRow[]>()
  for (const r of rows) {
    const list = byAccount.get(r.accountId)
    if (list) list.push(r)
    else byAccount.set(r.accountId, [r])
  }
  const batches: Pop3LedgerBatchRow[] = []
  for (const [accountId, list] of byAccount) {
    for (let at = 0; at < list.length; at += UPGRADE_BATCH) {
      batches.push(ledgerBatch(accountId, list.slice(at, at + UPGRADE_BATCH), -1 - at / UPGRADE_BATCH))
    }
  }
  await tx.table('pop3LedgerBatches').bulkAdd(batches)
}
