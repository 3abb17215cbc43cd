import type { ImapAction } from '../../../../shared/contract/imap'
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import { folderId, type PendingActionRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { dropAppend, replayAppend } from '../transfer/append-action'
import { undoFolderAction } from './imap-folder-actions'
import { deleteMessage, getMessages, messageTables, updateMessage } from '../../store/messages'

/** Errors that mean "not now" (the action stays queued, in order); anything else means "never". */
const RETRY_LATER = new Set([
  'NETWORK',
  'TIMEOUT',
  'TRANSPORT_CLOSED',
  'CONNECTION_REFUSED',
  'HOST_NOT_FOUND',
  'CANCELLED',
])

export interface ReplayReport {
  applied: number
  gone: number
  /** `action` is null for a refused APPEND of a local message. */
  refused: { action: ImapAction | null; error: string }[]
}

/**
 * Sends an account's queued actions to the server, oldest first, each exactly once in effect: an action is
 * removed from the queue only after the server carried it out, and every action is idempotent (a replay
 * after a crash finds the messages already moved, "gone", and does nothing). Rules when the server
 * disagrees:
 * - messages already gone (deleted or moved by another device): the action is dropped; the next folder
 *   sync shows the server's truth;
 * - the server refuses (e.g. the target folder was deleted elsewhere): the action is dropped, moved messages
 *   go back where they were, and the refusal is reported so the UI can say what happened.
 * A connection problem stops the replay; the rest waits, in order, for the next pass.
 */
export async function replayImapActions(
  store: MailStore,
  core: CoreApi,
  accountId: string,
): Promise<ReplayReport> {
  const report: ReplayReport = { applied: 0, gone: 0, refused: [] }
  const db = store.durable
  const pending = await db.pendingActions.where('accountId').equals(accountId).sortBy('id')
  for (const queued of pending) {
    if (queued.kind === 'append') {
      // A local message copied or moved to this account (transfer/append-action.ts).
      try {
        await replayAppend(store, core, queued)
        report.applied++
      } catch (error) {
        if (error instanceof MailError && RETRY_LATER.has(error.code)) {
          await db.pendingActions.update(queued.id!, {
            attempts: queued.attempts + 1,
            lastError: error.message,
          })
          throw error
        }
        const reason = error instanceof Error ? error.message : String(error)
        report.refused.push({ action: null, error: `${await dropAppend(store, queued)} ${reason}` })
      }
      continue
    }
    if (queued.kind !== 'imap') continue
    // Re-read: settling an earlier move may have updated where this action's messages are (`refs`).
    const row = await db.pendingActions.get(queued.id!)
    if (!row) continue
    for (const action of stepsOf(row)) {
      let result
      try {
        result = await core.call('imap.apply', { accountId, action })
      } catch (error) {
        if (error instanceof MailError && RETRY_LATER.has(error.code)) {
          await db.pendingActions.update(row.id!, { attempts: row.attempts + 1, lastError: error.message })
          throw error
        }
        const reason = error instanceof Error ? error.message : String(error)
        report.refused.push({
          action,
          error: `${describe(action)} was refused by the server and undone here: ${reason}`,
        })
        await undo(store, accountId, row, action)
        continue
      }
      if (result.applied) report.applied++
      if (result.gone.length > 0 || !result.applied) report.gone++
      await settle(store, accountId, row, action, result.uidMap ?? null, result.gone)
    }
    await db.pendingActions.delete(row.id!)
  }
  return report
}

/**
 * The server commands a queued row stands for: its payload, or, for an action that follows messages
 * through queued moves, one command per folder they are in now. A follow-up move skips messages already in
 * its destination (a retry after the connection dropped half-way).
 */
function stepsOf(row: PendingActionRow): ImapAction[] {
  const action = row.payload as ImapAction
  if (!row.refs) return [action]
  if (!('uids' in action)) return []
  const byPath = new Map<string, number[]>()
  for (const ref of row.refs) byPath.set(ref.path, [...(byPath.get(ref.path) ?? []), ref.uid])
  const steps: ImapAction[] = []
  for (const [path, uids] of byPath) {
    if (action.kind === 'move' && path === action.destination) continue
    steps.push({ ...action, folder: path, uids })
  }
  return steps
}

/**
 * After a move reached the server, queued actions that follow the moved messages (`refs`) point at their new
 * place: the destination and the UID COPYUID gave. Without a UID map they cannot be followed and are dropped
 * (the next sync shows the server's state).
 */
async function followMove(
  db: MailStore['durable'],
  accountId: string,
  action: Extract<ImapAction, { kind: 'move' }>,
  uidMap: Map<number, number>,
): Promise<void> {
  const rows = await db.pendingActions.where('accountId').equals(accountId).toArray()
  for (const row of rows) {
    if (!row.refs?.some((r) => r.path === action.folder && action.uids.includes(r.uid))) continue
    const refs = row.refs.flatMap((ref) => {
      if (ref.path !== action.folder || !action.uids.includes(ref.uid)) return [ref]
      const uid = uidMap.get(ref.uid)
      return uid === undefined ? [] : [{ path: action.destination, uid }]
    })
    await db.pendingActions.update(row.id!, { refs })
  }
}

/** After the server did it: placeholders of moved messages get their new UID (or make way for the sync). */
async function settle(
  store: MailStore,
  accountId: string,
  row: PendingActionRow,
  action: ImapAction,
  uidMap: [number, number][] | null,
  gone: number[],
): Promise<void> {
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.pendingActions, db.bodies], async () => {
    if (action.kind === 'move') {
      const source = folderId(accountId, action.folder)
      const destination = folderId(accountId, action.destination)
      const placeholders = await getMessages(db, row.messageIds)
      const mapped = new Map(uidMap ?? [])
      for (const message of placeholders) {
        if (!message?.origin || message.origin.folderId !== source || message.uid !== null) continue
        if (!action.uids.includes(message.origin.uid)) continue
        const newUid = mapped.get(message.origin.uid)
        const isGone = gone.includes(message.origin.uid)
        if (newUid !== undefined && !isGone && message.folderId === destination) {
          // RFC 4315 COPYUID: we know the message's UID at its destination, so the row simply becomes it.
          await updateMessage(db, message.id!, { uid: newUid, origin: undefined })
        } else if (newUid !== undefined && !isGone) {
          // Moved on (or back) here meanwhile: that move is queued and follows it from where it is now.
          await updateMessage(db, message.id!, { origin: { folderId: destination, uid: newUid } })
        } else {
          // Gone, or the server gave no UID map: drop the placeholder; the destination's sync brings the
          // message back with its real UID, so it is never shown twice.
          await db.bodies.delete(message.id!)
          await deleteMessage(db, message.id!)
        }
      }
      await followMove(db, accountId, action, mapped)
    }
  })
}

/** The server refused: put moved messages back and make the next sync re-read flags from the server. */
async function undo(
  store: MailStore,
  accountId: string,
  row: PendingActionRow,
  action: ImapAction,
): Promise<void> {
  const db = store.durable
  await db.transaction(
    'rw',
    [...messageTables(db), db.folders, db.pendingActions, db.syncState],
    async () => {
      if (action.kind === 'move' || action.kind === 'delete') {
        const source = folderId(accountId, action.folder)
        for (const message of await getMessages(db, row.messageIds)) {
          if (message?.origin?.folderId === source && action.uids.includes(message.origin.uid))
            await updateMessage(db, message.id!, {
              folderId: message.origin.folderId,
              uid: message.origin.uid,
              origin: undefined,
            })
        }
      }
      if (action.kind === 'flags') {
        // Without a modseq the next sync compares every flag with the server, so the refused change is undone.
        await db.folders.update(folderId(accountId, action.folder), { highestModseq: null })
      }
      await undoFolderAction(db, accountId, action)
    },
  )
}

function describe(action: ImapAction): string {
  const n = 'uids' in action ? action.uids.length : 0
  const messages = n === 1 ? '1 message' : `${n} messages`
  switch (action.kind) {
    case 'flags':
      return `Changing the flags of ${messages} in ${action.folder}`
    case 'move':
      return `Moving ${messages} from ${action.folder} to ${action.destination}`
    case 'delete':
      return `Deleting ${messages} in ${action.folder}`
    case 'expunge':
      return `Permanently deleting ${messages} in ${action.folder}`
    case 'create-folder':
      return `Creating the folder ${action.path}`
    case 'rename-folder':
      return `Renaming the folder ${action.from}`
    case 'delete-folder':
      return `Deleting the folder ${action.path}`
  }
}
