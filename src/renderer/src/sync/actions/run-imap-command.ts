import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { WorkerCommand } from '../commands'
import { createFolderLocally, deleteFolderLocally, renameFolderLocally } from './imap-folder-actions'
import { expungeLocally, moveLocally, setFlagsLocally, specialFolder } from './local-imap-actions'
import { folderMessageIds, getStoredMessages } from '../../store/messages'

export type MessageCommand = Extract<
  WorkerCommand,
  { kind: 'set-flags' | 'move' | 'delete' | 'archive' | 'empty-folder' }
>

export type FolderCommand = Extract<
  WorkerCommand,
  { kind: 'create-folder' | 'rename-folder' | 'delete-folder' }
>

/**
 * Carries out a folder command on an IMAP account in the cache (and queues it for the server). Returns the
 * account to replay, and for a new or renamed folder its id (the UI selects it).
 */
export async function runImapFolderCommand(
  store: MailStore,
  command: FolderCommand,
): Promise<{ accountId: string; folderId: string | null }> {
  if (command.kind === 'create-folder') {
    const row = await createFolderLocally(store, command.accountId, command.parentPath, command.name)
    return { accountId: row.accountId, folderId: row.id }
  }
  const folder = await store.durable.folders.get(command.folderId)
  if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists. It may have been removed.')
  if (command.kind === 'rename-folder') {
    const row = await renameFolderLocally(store, folder.id, command.newName, command.newParentPath)
    return { accountId: row.accountId, folderId: row.id }
  }
  await deleteFolderLocally(store, folder.id)
  return { accountId: folder.accountId, folderId: null }
}

/**
 * Carries out a message command on IMAP mail in the cache (and queues it for the server). Returns the
 * accounts whose queue grew, so the engine can replay them right away when online.
 */
export async function runImapCommand(store: MailStore, command: MessageCommand): Promise<string[]> {
  const db = store.durable
  if (command.kind === 'empty-folder') {
    const folder = await db.folders.get(command.folderId)
    if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
    if (folder.specialUse !== 'trash' && folder.specialUse !== 'junk') {
      throw new MailError(
        'INVALID_PARAMS',
        'Only Trash and Junk can be emptied. Select the messages and delete them instead.',
      )
    }
    const ids = await folderMessageIds(db, folder.id)
    if (ids.length > 0) await expungeLocally(store, ids)
    return [folder.accountId]
  }
  const rows = await getStoredMessages(db, command.messageIds)
  if (rows.length === 0) throw new MailError('NOT_FOUND', 'These messages are no longer here.')
  const accounts = [...new Set(rows.map((r) => r.accountId))]
  switch (command.kind) {
    case 'set-flags':
      await setFlagsLocally(store, command.messageIds, command.add, command.remove)
      break
    case 'move':
      await moveLocally(store, command.messageIds, command.toFolderId)
      break
    case 'archive':
    case 'delete':
      for (const accountId of accounts) {
        const ids = rows.filter((r) => r.accountId === accountId).map((r) => r.id!)
        const target = await specialFolder(db, accountId, command.kind === 'archive' ? 'archive' : 'trash')
        if (command.kind === 'archive') {
          if (!target)
            throw new MailError(
              'NOT_FOUND',
              'This account has no Archive folder. Create one, or move the messages.',
            )
          await moveLocally(store, ids, target.id)
          continue
        }
        // Delete moves to Trash; inside Trash (or Junk, or an account without Trash) it deletes for good.
        const junk = await specialFolder(db, accountId, 'junk')
        const inBin = rows.filter(
          (r) => ids.includes(r.id!) && (!target || r.folderId === target.id || r.folderId === junk?.id),
        )
        const toTrash = ids.filter((id) => !inBin.some((r) => r.id === id))
        if (inBin.length > 0)
          await expungeLocally(
            store,
            inBin.map((r) => r.id!),
          )
        if (toTrash.length > 0 && target) await moveLocally(store, toTrash, target.id)
      }
      break
  }
  return accounts
}
