/**
 * Copy and move across the line between local folders and server folders, or between accounts. Moves inside
 * one IMAP account go through the IMAP queue (local-imap-actions.ts) and moves inside one account's local
 * folders are a row update (pop3/local-actions.ts); everything else comes here.
 */
import { MailError } from '../../../../shared/errors'
import { readBodies } from '../../store/bodies/body-store'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import { bumpCounts } from '../pop3/local-folders'
import { appendActionFor, assertAppendable } from './append-action'
import { addMessages, getMessages, messageTables, updateMessage } from '../../store/messages'

export interface TransferResult {
  /** Messages now in the target (local targets), or queued for the server (IMAP targets). */
  copied: number
  queued: number
  /** Accounts whose offline queue grew. */
  queuedFor: string[]
}

type Mode = 'copy' | 'move'

/** Carries out the transfer, or returns undefined when it is a plain IMAP action for the IMAP path. */
export async function transferMessages(
  store: MailStore,
  messageIds: readonly number[],
  toFolderId: string,
  mode: Mode,
): Promise<TransferResult | undefined> {
  const db = store.durable
  const target = await db.folders.get(toFolderId)
  if (!target) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
  const rows = (await getMessages(db, [...messageIds])).filter((r) => r !== undefined)
  if (rows.length === 0) throw new MailError('NOT_FOUND', 'These messages are no longer here.')
  const folders = await db.folders.bulkGet([...new Set(rows.map((r) => r.folderId))])
  const local = new Set(folders.filter((f) => f?.local).map((f) => f!.id))
  const fromLocal = rows.every((r) => local.has(r.folderId))
  if (!fromLocal && rows.some((r) => local.has(r.folderId))) {
    throw new MailError(
      'INVALID_PARAMS',
      'Local mail and server mail cannot be copied in one step. Select one kind.',
    )
  }
  if (!target.selectable) {
    throw new MailError('INVALID_PARAMS', `${target.name} holds only folders, not messages. Choose another.`)
  }
  const sameAccount = rows.every((r) => r.accountId === target.accountId)

  // Server mail moved to a folder of its own account is a plain IMAP MOVE. A copy, even within the account,
  // is an APPEND of the stored bytes: replayed after a crash it finds its first upload by Message-ID, so the
  // folder never gets it twice (a UID COPY replayed would).
  if (!fromLocal && !target.local && mode === 'move' && sameAccount) return undefined
  if (!fromLocal && mode === 'move') {
    throw new MailError(
      'INVALID_PARAMS',
      'Moving server mail to another account is not available yet. Copy it instead.',
    )
  }
  if (target.local) return copyIntoLocal(store, rows, target, mode)
  return queueAppends(store, rows, target, mode)
}

async function fullBodies(store: MailStore, rows: readonly MessageRow[]): Promise<Uint8Array[]> {
  for (const row of rows) assertAppendable(row)
  const bodies = await readBodies(store.durable, rows)
  return bodies.map((raw, i) => {
    if (!raw) {
      throw new MailError(
        'NOT_FOUND',
        `“${rows[i]!.subject || 'A message'}” is not stored on this computer, so it cannot be copied.`,
      )
    }
    return raw
  })
}

/** Local target: copies are new rows with the same bytes; a move of local mail re-homes the rows instead. */
async function copyIntoLocal(
  store: MailStore,
  rows: readonly MessageRow[],
  target: FolderRow,
  mode: Mode,
): Promise<TransferResult> {
  const db = store.durable
  const moving = rows.filter((r) => r.folderId !== target.id)
  // A copy of bytes in a body file points at the same bytes (they are never rewritten in place); bytes
  // stored before the body files are read first (no other read may run inside the transaction) and
  // copied as the source has them.
  for (const row of rows) if (mode === 'copy') assertAppendable(row)
  const legacy = mode === 'copy' ? rows.filter((r) => r.body === undefined) : []
  const legacyRaws = new Map<number, Uint8Array>()
  if (legacy.length > 0) {
    const raws = await fullBodies(store, legacy)
    legacy.forEach((r, i) => legacyRaws.set(r.id!, raws[i]!))
  }
  await db.transaction('rw', [...messageTables(db), db.bodies, db.folders], async () => {
    if (mode === 'move') {
      // Only local mail gets here (server mail is refused above). Its POP3 ledger row stays with the
      // account that downloaded it, so the message is never downloaded twice.
      for (const row of moving) {
        await updateMessage(db, row.id!, { folderId: target.id, accountId: target.accountId })
        await bumpCounts(db, row.folderId, -1, -row.unread)
        await bumpCounts(db, target.id, 1, row.unread)
      }
      return
    }
    const now = Date.now()
    // The byte reference is taken from the rows as they are in this transaction: one read before it may
    // point into a file that compaction has emptied and deleted since (store/bodies/compact-bodies.ts).
    const current = await getMessages(
      db,
      rows.map((r) => r.id!),
    )
    const copies: MessageRow[] = rows.map((r, i) => {
      const fresh = current[i]
      if (!fresh || (r.body && !fresh.body)) {
        throw new MailError(
          'NOT_FOUND',
          `“${r.subject || 'A message'}” was deleted while it was being copied. Nothing was copied.`,
        )
      }
      const { id: _id, origin: _origin, body: _body, ...rest } = r
      return {
        ...rest,
        ...(r.body ? { body: fresh.body } : {}),
        accountId: target.accountId,
        folderId: target.id,
        uid: null,
        uidl: null,
      }
    })
    const ids = (await addMessages(db, copies)) as number[]
    await db.bodies.bulkAdd(
      ids.flatMap((messageId, i) => {
        const raw = legacyRaws.get(rows[i]!.id!)
        return raw ? [{ messageId, raw, storedAt: now }] : []
      }),
    )
    await bumpCounts(
      db,
      target.id,
      ids.length,
      copies.reduce((n, c) => n + c.unread, 0),
    )
  })
  return { copied: mode === 'move' ? moving.length : rows.length, queued: 0, queuedFor: [] }
}

/** IMAP target: one queued APPEND per message, written with the bytes in one durable transaction. */
async function queueAppends(
  store: MailStore,
  rows: readonly MessageRow[],
  target: FolderRow,
  mode: Mode,
): Promise<TransferResult> {
  const db = store.durable
  const raws = await fullBodies(store, rows)
  const now = Date.now()
  await db.pendingActions.bulkAdd(
    rows.map((row, i) => ({
      accountId: target.accountId,
      kind: 'append' as const,
      payload: appendActionFor(row, raws[i]!, target.path, mode === 'move'),
      messageIds: [row.id!],
      createdAt: now,
      attempts: 0,
      lastError: null,
    })),
  )
  return { copied: 0, queued: rows.length, queuedFor: [target.accountId] }
}
