/**
 * The one write the no-loss rule depends on: the raw bytes of a batch are appended to the account's body
 * file and flushed, then message rows (pointing at those bytes) + ledger rows + the file's committed length
 * go in ONE transaction on the strict-durability connection. When it resolves the bytes are on disk, and
 * only then may the caller DELE. A kill before the commit leaves neither row nor ledger entry (the bytes
 * past the committed length are cut off at the next start), so the message is simply downloaded again
 * next time; a kill after it leaves all of them, so it never is.
 */
import { lendThreadCache, type FolderThreadCache } from '../../store/derived-rows'
import type { MailStore } from '../../store/mail-db'
import type { MessageRow, Pop3LedgerRow } from '../../store/rows'
import { bumpCounts } from './local-folders'
import { summarizeMessage } from './mime/message-summary'
import { addMessages, messageTables } from '../../store/messages'
import { damagedMessages } from './verify-downloaded'
import { addLedgerRows, boundLedger, ledgerRows } from '../../store/pop3-ledger'

export interface DownloadedMessage {
  /** The ledger id: UIDL, or a header hash on servers without UIDL. */
  id: string
  /** Exactly the bytes the server sent (after dot-unstuffing): CRLF line ends as RFC 5322 has them. */
  raw: Uint8Array
  /** The server's size (LIST), which for headers-only messages is more than `raw` holds. */
  size: number
  sha256: string | null
  /** False for messages above the size limit, stored as TOP (header + first lines). */
  full: boolean
}

/** RFC 5322 §3.6.4 thread key, as the IMAP path computes it: the thread root, else the parent, else itself. */
function threadKey(s: ReturnType<typeof summarizeMessage>, fallback: string): string {
  return (s.references[0] ?? s.inReplyTo ?? s.messageId ?? fallback).toLowerCase()
}

/** The list row for a message stored in a local folder (POP3 download or import). */
export function localMessageRow(
  accountId: string,
  folderId: string,
  raw: Uint8Array,
  size: number,
  uidl: string | null,
  bodyState: MessageRow['bodyState'],
  now: number,
): MessageRow {
  const s = summarizeMessage(raw)
  // A missing or absurd Date: the time it arrived here is the best guess of when it was sent.
  const date = s.date !== null && s.date < now + 7 * 86_400_000 ? s.date : now
  return {
    accountId,
    folderId,
    uid: null,
    uidl,
    messageId: s.messageId,
    threadId: threadKey(s, `local:${uidl ?? now}`),
    date,
    from: s.from,
    to: s.to,
    cc: s.cc,
    subject: s.subject,
    snippet: s.snippet,
    flags: [],
    unread: 1,
    flagged: 0,
    size,
    hasAttachments: s.hasAttachments ? 1 : 0,
    bodyState,
  }
}

/**
 * The list rows of a batch of downloaded messages. Parsing is CPU work: a download does it while the
 * previous batch's transaction is still being committed, off the path the commits take one after another.
 */
export function downloadedRows(
  accountId: string,
  inboxId: string,
  batch: readonly DownloadedMessage[],
  now: number,
): MessageRow[] {
  return batch.map((m) =>
    localMessageRow(accountId, inboxId, m.raw, m.size, m.id, m.full ? 'full' : 'headers-only', now),
  )
}

/** What a commit needs besides the bytes, worked out ahead of it (`prepareDownloaded`). */
export interface PreparedBatch {
  now: number
  rows: MessageRow[]
  /** The messages whose bytes are not the ones core hashed (verify-downloaded.ts). */
  damaged: Promise<Set<DownloadedMessage>>
}

/**
 * Parses a batch and checks its bytes against core's hashes. A download prepares batch k+1 while batch k
 * commits; the hashing runs off this thread (WebCrypto), beside the parse.
 */
export function prepareDownloaded(
  accountId: string,
  inboxId: string,
  batch: readonly DownloadedMessage[],
  now = Date.now(),
): PreparedBatch {
  const damaged = damagedMessages(batch)
  // Awaited by the commit; marked handled so a failure is not reported as unhandled meanwhile.
  damaged.catch(() => undefined)
  return { now, rows: downloadedRows(accountId, inboxId, batch, now), damaged }
}

export interface CommittedBatch {
  /** Local ids of the messages newly stored. */
  ids: number[]
  /**
   * Ledger ids of messages whose bytes did not match core's sha256: nothing of them was stored, so no
   * ledger row exists that could let retention DELE them (verify-downloaded.ts).
   */
  damaged: string[]
}

/**
 * Stores a batch of downloaded messages into `inboxId`. A message whose id is already on the ledger is
 * never stored twice: the ledger's index of account and id is unique, so adding its ledger entry fails
 * inside the transaction that adds its message row, and that transaction stores nothing. Such a batch is
 * then stored again without the ids the ledger holds. Messages whose bytes are not the ones core hashed are
 * left out and named in `damaged`.
 */
export async function commitDownloaded(
  store: MailStore,
  accountId: string,
  inboxId: string,
  batch: readonly DownloadedMessage[],
  /** From `prepareDownloaded` with this same batch; prepared here if not given. */
  prepared?: PreparedBatch,
  /** The Inbox's thread rows, kept by a download of many messages (see FolderThreadCache). */
  threads?: FolderThreadCache,
): Promise<CommittedBatch> {
  if (batch.length === 0) return { ids: [], damaged: [] }
  // Parsing is CPU work: done before the transaction opens so it holds the database as briefly as possible.
  const { now, rows, damaged: checked } = prepared ?? prepareDownloaded(accountId, inboxId, batch)
  const bad = await checked
  // One already stored does not matter: its stored bytes were checked when they came.
  const damaged = await notOnLedger(
    store,
    accountId,
    batch.filter((m) => bad.has(m)).map((m) => m.id),
  )
  const candidates = batch
    .map((m, i) => ({ m, row: rows[i]! }))
    .filter((x) => !bad.has(x.m))
    .filter((x, i, all) => all.findIndex((y) => y.m.id === x.m.id) === i)
  if (candidates.length === 0) return { ids: [], damaged }
  // Callers pass ids the ledger did not hold when their check read it, so the first try reads no ledger
  // entry (two reads per message cost ~1 s of a 10,000-message download): the ledger's unique index is
  // the guard.
  try {
    return { ids: await storeBatch(store, accountId, inboxId, candidates, now, false, threads), damaged }
  } catch (error) {
    if (!(error instanceof AlreadyOnLedger)) throw error
  }
  return { ids: await storeBatch(store, accountId, inboxId, candidates, now, true, threads), damaged }
}

/** A ledger row of the batch was there already: the transaction that would have added it stored nothing. */
class AlreadyOnLedger extends Error {}

/** Only a key that is there already: a full disk (QuotaExceededError) is not a reason to try again. */
const isKeyConflict = (error: unknown): boolean => error instanceof Error && error.name === 'ConstraintError'

/** The ids of `ids` that have no ledger row. */
async function notOnLedger(store: MailStore, accountId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await ledgerRows(store.durable, accountId, ids)
  return ids.filter((_, i) => rows[i] === undefined)
}

/**
 * The bytes are flushed to the body file before the transaction that points rows and ledger at them.
 * `readLedger`: leave out, inside the transaction, the ids the ledger holds; otherwise one the ledger holds
 * makes the whole transaction fail with `AlreadyOnLedger` (its bytes are given back or stay unreferenced).
 */
function storeBatch(
  store: MailStore,
  accountId: string,
  inboxId: string,
  candidates: readonly { m: DownloadedMessage; row: MessageRow }[],
  now: number,
  readLedger: boolean,
  threads: FolderThreadCache | undefined,
): Promise<number[]> {
  const db = store.durable
  const tables = [...messageTables(db), db.pop3LedgerBatches, db.folders, db.bodyFiles]
  return store.bodies.withAppended(
    accountId,
    candidates.map((x) => x.m.raw),
    (appended) =>
      db.transaction('rw', tables, async (tx) => {
        if (threads) lendThreadCache(tx.idbtrans, threads)
        // Bound to this transaction: it stays in it after any await.
        const ledgerTable = boundLedger()
        const known = readLedger
          ? await ledgerRows(
              ledgerTable,
              accountId,
              candidates.map((x) => x.m.id),
            )
          : []
        const unique = candidates
          .map((x, i) => ({ ...x, ref: appended.refs[i]! }))
          .filter((_, i) => known[i] === undefined)
        if (unique.length === 0) return []
        const ids = (await addMessages(
          db,
          unique.map((x) => ({ ...x.row, body: x.ref })),
        )) as number[]
        const ledger: Pop3LedgerRow[] = unique.map((x, i) => ({
          accountId,
          uidl: x.m.id,
          messageId: ids[i]!,
          storedAt: now,
          deletedFromServerAt: null,
          fullStored: x.m.full,
          deletedLocallyAt: null,
          sha256: x.m.sha256,
        }))
        try {
          await addLedgerRows(ledgerTable, accountId, ledger)
        } catch (error) {
          // Thrown on, it aborts the transaction: the message rows added above go with it.
          throw isKeyConflict(error) ? new AlreadyOnLedger('already on the ledger', { cause: error }) : error
        }
        await appended.commitIn(db)
        await bumpCounts(db, inboxId, unique.length, unique.length)
        return ids
      }),
  )
}
