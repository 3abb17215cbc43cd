/**
 * A message copied or moved from a local folder into an IMAP folder travels as a queued APPEND. The queued
 * row carries its own copy of the bytes, so the copy happens even if the local message is deleted before the
 * queue runs (offline, say). A move keeps the local message until the server confirmed the APPEND; then, in
 * one durable transaction, the queue row goes and so does the local message. A kill between the two leaves
 * the row, and its replay finds the message on the server (`imap.append` searches first: by Message-ID, or for a
 * message without one by its size and then its bytes), so the server gets it exactly once and the local copy is
 * removed exactly then.
 */
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { MessageRow, PendingActionRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { bumpCounts } from '../pop3/local-folders'
import { deleteMessage, getMessage, messageTables } from '../../store/messages'

export interface AppendAction {
  /** The IMAP folder's path. */
  folder: string
  raw: Uint8Array
  messageId: string | null
  flags: ('\\Seen' | '\\Flagged' | '\\Answered')[]
  internalDate: number | null
  /** For a move: the local message to remove once the APPEND is confirmed, if it is still where it was. */
  removeAfter: { messageId: number; folderId: string } | null
  /** For messages to the user ("Copying “Lunch” to Archive"). */
  subject: string
}

const KEPT_FLAGS = ['\\Seen', '\\Flagged', '\\Answered'] as const
const MESSAGE_ID = /^<[^<>\r\n]+>$/

export function appendActionFor(
  row: MessageRow,
  raw: Uint8Array,
  folderPath: string,
  move: boolean,
): AppendAction {
  const messageId = row.messageId === null ? null : `<${row.messageId.replace(/^<|>$/g, '')}>`
  return {
    folder: folderPath,
    raw,
    messageId: messageId !== null && MESSAGE_ID.test(messageId) && messageId.length <= 998 ? messageId : null,
    flags: KEPT_FLAGS.filter((f) => row.flags.includes(f)),
    internalDate: Number.isFinite(row.date) ? row.date : null,
    removeAfter: move ? { messageId: row.id!, folderId: row.folderId } : null,
    subject: row.subject,
  }
}

/**
 * Carries out one queued APPEND. Returns normally when it is settled (appended, or found already there);
 * throws the core's MailError otherwise, leaving the row queued — the caller decides whether to retry later
 * or to drop it.
 */
export async function replayAppend(store: MailStore, core: CoreApi, row: PendingActionRow): Promise<void> {
  const action = row.payload as AppendAction
  await core.call('imap.append', {
    accountId: row.accountId,
    folder: action.folder,
    // A copy: the RPC may transfer (detach) the buffer it sends.
    raw: action.raw.slice(),
    messageId: action.messageId,
    flags: action.flags,
    internalDate: action.internalDate,
  })
  await settleAppend(store, row)
}

/** The server has the message: the queue row goes, and for a move the local message with it. */
export async function settleAppend(store: MailStore, row: PendingActionRow): Promise<void> {
  const action = row.payload as AppendAction
  const db = store.durable
  await db.transaction('rw', [db.pendingActions, ...messageTables(db), db.bodies, db.folders], async () => {
    const source = action.removeAfter
    const local = source ? await getMessage(db, source.messageId) : undefined
    // Moved on to another folder meanwhile: the user kept it on purpose, so it stays.
    if (source && local && local.folderId === source.folderId) {
      await db.bodies.delete(source.messageId)
      await deleteMessage(db, source.messageId)
      await bumpCounts(db, local.folderId, -1, -local.unread)
    }
    await db.pendingActions.delete(row.id!)
  })
}

/** The server refused for good: the row goes; a moved message simply stays where it is. */
export async function dropAppend(store: MailStore, row: PendingActionRow): Promise<string> {
  const action = row.payload as AppendAction
  await store.durable.pendingActions.delete(row.id!)
  const what = action.subject ? `“${action.subject}”` : 'a message'
  const kept = action.removeAfter ? ' The message was kept in its local folder.' : ''
  return `Copying ${what} to ${action.folder} was refused by the server.${kept}`
}

export function assertAppendable(row: MessageRow): void {
  if (row.bodyState !== 'full') {
    throw new MailError(
      'INVALID_PARAMS',
      `“${row.subject || 'A message'}” is not fully downloaded yet. Open it first, then copy it.`,
    )
  }
}
