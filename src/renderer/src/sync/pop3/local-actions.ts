/**
 * UI commands on mail in local folders (every POP3 account's mail; imported archives). Nothing is queued
 * for a server: the store is the mail, so each command is one transaction on the durable connection.
 * Deleting from Trash for good records that on the POP3 ledger in the same transaction, which is what the
 * 'delete-when-deleted-locally' policy acts on in the next check.
 */
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { boundLedger, changeLedgerRowsOfMessages } from '../../store/pop3-ledger'
import type { WorkerCommand } from '../commands'
import type { CoreApi } from '../engine/core-api'
import { loadFullPop3Message } from './load-full-message'
import { transferMessages } from '../transfer/transfer-messages'
import {
  bumpCounts,
  createLocalFolder,
  localFolderByUse,
  planLocalFolderDelete,
  localSubtree,
  renameLocalFolder,
} from './local-folders'
import {
  deleteMessages,
  folderMessageIds,
  folderMessages,
  getMessage,
  getStoredMessages,
  messageTables,
  updateMessage,
} from '../../store/messages'

/** `replay`: accounts whose offline queue grew, to be replayed now (when online). */
export type LocalOutcome = { handled: false } | { handled: true; result: unknown; replay?: string[] }

const NOT_HANDLED: LocalOutcome = { handled: false }

async function localRows(store: MailStore, ids: readonly number[]): Promise<MessageRow[] | undefined> {
  const rows = await getStoredMessages(store.durable, ids)
  const folders = await store.durable.folders.bulkGet([...new Set(rows.map((r) => r.folderId))])
  const local = new Set(folders.filter((f) => f?.local).map((f) => f!.id))
  const inLocal = rows.filter((r) => local.has(r.folderId))
  if (inLocal.length === 0) return undefined
  if (inLocal.length !== rows.length) {
    throw new MailError(
      'INVALID_PARAMS',
      'Local mail and server mail cannot be changed in one step. Select one kind.',
    )
  }
  return inLocal
}

/** Carries out `command` if it concerns local folders; `handled: false` leaves it to the IMAP path. */
export async function runLocalCommand(
  store: MailStore,
  core: CoreApi,
  command: WorkerCommand,
): Promise<LocalOutcome> {
  const db = store.durable
  switch (command.kind) {
    case 'set-flags': {
      const rows = await localRows(store, command.messageIds)
      if (!rows) return NOT_HANDLED
      await setFlags(store, rows, command.add, command.remove)
      return { handled: true, result: null }
    }
    case 'move': {
      const rows = await localRows(store, command.messageIds)
      const target = await db.folders.get(command.toFolderId)
      if (rows && target?.local && rows.every((r) => r.accountId === target.accountId)) {
        await moveMessages(store, rows, target.id)
        return { handled: true, result: null }
      }
      // To another account (an IMAP folder: APPEND through the queue; another account's local folder).
      const transfer = await transferMessages(store, command.messageIds, command.toFolderId, 'move')
      return transfer ? { handled: true, result: transfer, replay: transfer.queuedFor } : NOT_HANDLED
    }
    case 'archive': {
      const rows = await localRows(store, command.messageIds)
      if (!rows) return NOT_HANDLED
      throw new MailError(
        'NOT_FOUND',
        'Local folders have no Archive. Create a folder and move the messages there.',
      )
    }
    case 'delete': {
      const rows = await localRows(store, command.messageIds)
      if (!rows) return NOT_HANDLED
      for (const accountId of new Set(rows.map((r) => r.accountId))) {
        const trash = await localFolderByUse(db, accountId, 'trash')
        const mine = rows.filter((r) => r.accountId === accountId)
        await deleteForGood(
          store,
          mine.filter((r) => r.folderId === trash.id).map((r) => r.id!),
        )
        await moveMessages(
          store,
          mine.filter((r) => r.folderId !== trash.id),
          trash.id,
        )
      }
      return { handled: true, result: null }
    }
    case 'empty-folder': {
      const folder = await db.folders.get(command.folderId)
      if (!folder?.local) return NOT_HANDLED
      if (folder.specialUse !== 'trash') {
        throw new MailError(
          'INVALID_PARAMS',
          'Only Trash can be emptied. Select the messages and delete them instead.',
        )
      }
      await deleteForGood(store, await folderMessageIds(db, folder.id))
      return { handled: true, result: null }
    }
    case 'load-body': {
      const message = await getMessage(db, command.messageId)
      const folder = message ? await db.folders.get(message.folderId) : undefined
      if (!message || !folder?.local) return NOT_HANDLED
      if (message.bodyState === 'headers-only') await loadFullPop3Message(store, core, message)
      return { handled: true, result: null }
    }
    case 'create-folder': {
      const account = await db.accounts.get(command.accountId)
      if (account?.kind !== 'pop3') return NOT_HANDLED
      const row = await createLocalFolder(db, command.accountId, command.parentPath, command.name)
      return { handled: true, result: { folderId: row.id } }
    }
    case 'rename-folder': {
      const folder = await db.folders.get(command.folderId)
      if (!folder?.local) return NOT_HANDLED
      await renameLocalFolder(db, folder.id, command.newName, command.newParentPath)
      return { handled: true, result: null }
    }
    case 'delete-folder': {
      const folder = await db.folders.get(command.folderId)
      if (!folder?.local) return NOT_HANDLED
      return { handled: true, result: await deleteLocalFolder(store, folder.id) }
    }
    case 'copy': {
      const transfer = await transferMessages(store, command.messageIds, command.toFolderId, 'copy')
      return transfer ? { handled: true, result: transfer, replay: transfer.queuedFor } : NOT_HANDLED
    }
    default:
      return NOT_HANDLED
  }
}

async function setFlags(
  store: MailStore,
  rows: readonly MessageRow[],
  add: string[],
  remove: string[],
): Promise<void> {
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.folders], async () => {
    for (const row of rows) {
      const flags = [...new Set([...row.flags.filter((f) => !remove.includes(f)), ...add])]
      const unread = flags.includes('\\Seen') ? 0 : 1
      const flagged = flags.includes('\\Flagged') ? 1 : 0
      await updateMessage(db, row.id!, { flags, unread, flagged })
      await bumpCounts(db, row.folderId, 0, unread - row.unread)
    }
  })
}

async function moveMessages(
  store: MailStore,
  rows: readonly MessageRow[],
  toFolderId: string,
): Promise<void> {
  if (rows.length === 0) return
  const db = store.durable
  await db.transaction('rw', [...messageTables(db), db.folders], async () => {
    if (!(await db.folders.get(toFolderId))) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
    for (const row of rows) {
      if (row.folderId === toFolderId) continue
      await updateMessage(db, row.id!, { folderId: toFolderId })
      await bumpCounts(db, row.folderId, -1, -row.unread)
      await bumpCounts(db, toFolderId, 1, row.unread)
    }
  })
}

export interface FolderDeleted {
  folders: number
  /** Messages moved to the account's Trash. */
  movedToTrash: number
  /** Messages deleted for good (the folder was inside Trash). */
  deleted: number
}

/**
 * Deletes a user folder and its subfolders in one durable transaction. Their messages go to the account's
 * Trash (where the user can still get them back), or, for a folder inside Trash, are deleted for good
 * like any delete from Trash (and recorded on the POP3 ledger the same way).
 */
export async function deleteLocalFolder(store: MailStore, id: string): Promise<FolderDeleted> {
  const db = store.durable
  return db.transaction(
    'rw',
    [...messageTables(db), db.bodies, db.pop3LedgerBatches, db.folders],
    async () => {
      const plan = await planLocalFolderDelete(db, id)
      const tree = await localSubtree(db, plan.folder)
      const trash = await localFolderByUse(db, plan.folder.accountId, 'trash')
      const out: FolderDeleted = { folders: tree.length, movedToTrash: 0, deleted: 0 }
      for (const folder of tree) {
        const rows = await folderMessages(db, folder.id)
        if (plan.forGood) {
          await deleteForGood(
            store,
            rows.map((r) => r.id!),
          )
          out.deleted += rows.length
        } else {
          await moveMessages(store, rows, trash.id)
          out.movedToTrash += rows.length
        }
        await db.folders.delete(folder.id)
      }
      return out
    },
  )
}

/**
 * Deletes local copies for good and, in the same durable transaction, records that on their ledger rows:
 * the rows stay (so the message is never downloaded again) and tell the next check the user's intent.
 */
export async function deleteForGood(store: MailStore, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  const db = store.durable
  const now = Date.now()
  await db.transaction(
    'rw',
    [...messageTables(db), db.bodies, db.pop3LedgerBatches, db.folders],
    async () => {
      const ledger = boundLedger()
      const rows = await getStoredMessages(db, ids)
      for (const row of rows) await bumpCounts(db, row.folderId, -1, -row.unread)
      await changeLedgerRowsOfMessages(ledger, ids, { deletedLocallyAt: now })
      await db.bodies.bulkDelete([...ids])
      await deleteMessages(db, ids)
    },
  )
}
