import type { ImapAction } from '../../../../shared/contract/imap'
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow, SpecialUse } from '../../store/rows'
import { deleteMessages, getStoredMessages, messageTables, putMessages } from '../../store/messages'

/**
 * User actions on IMAP mail, applied to the cache at once (the UI reacts instantly, online or not) and
 * queued for the server in the SAME durable transaction: an action the user saw happen is never lost, even
 * if the app is killed a moment later. The replayer (replay-imap-actions.ts) carries them out.
 */

type Tx = MailStore['durable']

function withFlags(row: MessageRow, add: readonly string[], remove: readonly string[]): MessageRow {
  const flags = [...new Set([...row.flags.filter((f) => !remove.includes(f)), ...add])]
  return {
    ...row,
    flags,
    unread: flags.includes('\\Seen') ? 0 : 1,
    flagged: flags.includes('\\Flagged') ? 1 : 0,
  }
}

/** Groups messages by folder; only messages the server knows (with a UID) can become server actions. */
function byFolder(rows: readonly MessageRow[]): Map<string, MessageRow[]> {
  const groups = new Map<string, MessageRow[]>()
  for (const row of rows) groups.set(row.folderId, [...(groups.get(row.folderId) ?? []), row])
  return groups
}

async function queue(db: Tx, accountId: string, action: ImapAction, messageIds: number[]): Promise<void> {
  await db.pendingActions.add({
    accountId,
    kind: 'imap',
    payload: action,
    messageIds,
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
  })
}

/**
 * Queues `action` for messages whose move to their current folder has not reached the server yet: they have
 * no UID here, only the server place they were moved from (`origin`). The replayer follows them as the
 * queued moves settle, so the flag, move or deletion reaches the message wherever it then is.
 */
async function queueFollowing(
  db: Tx,
  accountId: string,
  action: Extract<ImapAction, { uids: number[] }>,
  rows: readonly MessageRow[],
): Promise<void> {
  const refs: { path: string; uid: number }[] = []
  for (const row of rows) {
    if (row.uid !== null || !row.origin) continue
    const from = await db.folders.get(row.origin.folderId)
    if (from && !from.local) refs.push({ path: from.path, uid: row.origin.uid })
  }
  const [first] = refs
  if (!first) return
  await db.pendingActions.add({
    accountId,
    kind: 'imap',
    payload: {
      ...action,
      folder: first.path,
      uids: refs.filter((r) => r.path === first.path).map((r) => r.uid),
    },
    messageIds: rows.map((r) => r.id!),
    refs,
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
  })
}

async function loadRows(db: Tx, messageIds: readonly number[]): Promise<MessageRow[]> {
  const rows = await getStoredMessages(db, messageIds)
  if (rows.length === 0) throw new MailError('NOT_FOUND', 'These messages are no longer here.')
  return rows
}

async function folderOf(db: Tx, id: string): Promise<FolderRow> {
  const folder = await db.folders.get(id)
  if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
  return folder
}

export async function specialFolder(
  db: Tx,
  accountId: string,
  use: SpecialUse,
): Promise<FolderRow | undefined> {
  return db.folders
    .where('accountId')
    .equals(accountId)
    .filter((f) => f.specialUse === use)
    .first()
}

export async function setFlagsLocally(
  store: MailStore,
  messageIds: readonly number[],
  add: readonly string[],
  remove: readonly string[],
): Promise<void> {
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.folders, db.pendingActions], async () => {
    const rows = await loadRows(db, messageIds)
    await putMessages(
      db,
      rows.map((r) => withFlags(r, add, remove)),
    )
    for (const [folderId, group] of byFolder(rows)) {
      const known = group.filter((r) => r.uid !== null)
      const folder = await folderOf(db, folderId)
      if (folder.local) continue
      await queueFollowing(
        db,
        folder.accountId,
        { kind: 'flags', folder: '', uids: [], add: [...add], remove: [...remove] },
        group,
      )
      if (known.length === 0) continue
      const action: ImapAction = {
        kind: 'flags',
        folder: folder.path,
        uids: known.map((r) => r.uid!),
        add: [...add],
        remove: [...remove],
      }
      await queue(
        db,
        folder.accountId,
        action,
        known.map((r) => r.id!),
      )
    }
  })
}

/**
 * Moves messages to `target` locally (remembering where each came from) and queues the server move. With
 * `asDelete`, the server is asked to delete (to its Trash) rather than to move, which is the same thing
 * for a server that knows its Trash but lets core find it.
 */
export async function moveLocally(
  store: MailStore,
  messageIds: readonly number[],
  targetId: string,
): Promise<void> {
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.folders, db.pendingActions], async () => {
    const target = await folderOf(db, targetId)
    const rows = await loadRows(db, messageIds)
    for (const [folderId, group] of byFolder(rows)) {
      if (folderId === targetId) continue
      const source = await folderOf(db, folderId)
      if (source.accountId !== target.accountId) {
        throw new MailError(
          'INVALID_PARAMS',
          'Moving mail between accounts is not available yet. Copy it instead.',
        )
      }
      const known = group.filter((r) => r.uid !== null)
      await putMessages(
        db,
        group.map((r) => ({
          ...r,
          folderId: target.id,
          uid: null,
          origin: r.origin ?? (r.uid !== null ? { folderId: r.folderId, uid: r.uid } : undefined),
        })),
      )
      await queueFollowing(
        db,
        source.accountId,
        { kind: 'move', folder: '', uids: [], destination: target.path },
        group,
      )
      if (known.length > 0) {
        const action: ImapAction = {
          kind: 'move',
          folder: source.path,
          uids: known.map((r) => r.uid!),
          destination: target.path,
        }
        await queue(
          db,
          source.accountId,
          action,
          known.map((r) => r.id!),
        )
      }
    }
  })
}

/** Deletes for good, here and (queued) on the server: emptying Trash/Junk, or deleting inside them. */
export async function expungeLocally(store: MailStore, messageIds: readonly number[]): Promise<void> {
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.folders, db.pendingActions, db.bodies], async () => {
    const rows = await loadRows(db, messageIds)
    for (const [folderId, group] of byFolder(rows)) {
      const folder = await folderOf(db, folderId)
      const known = group.filter((r) => r.uid !== null)
      const ids = group.map((r) => r.id!)
      await db.bodies.bulkDelete(ids)
      await deleteMessages(db, ids)
      if (!folder.local) {
        // Emptying Trash right after moving mail there offline: those moves are still queued.
        await queueFollowing(db, folder.accountId, { kind: 'expunge', folder: '', uids: [] }, group)
      }
      if (known.length > 0 && !folder.local) {
        await queue(
          db,
          folder.accountId,
          { kind: 'expunge', folder: folder.path, uids: known.map((r) => r.uid!) },
          ids,
        )
      }
    }
  })
}
