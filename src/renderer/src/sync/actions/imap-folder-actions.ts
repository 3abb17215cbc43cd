import type { ImapAction } from '../../../../shared/contract/imap'
import { MailError } from '../../../../shared/errors'
import type { MailDb, MailStore } from '../../store/mail-db'
import { folderId, newFolderRow, type FolderRow, type PendingActionRow } from '../../store/rows'
import { snippetsPendingKey } from '../imap/fill-snippets'
import { childPath, folderNameProblem, isInTree } from './folder-name'
import {
  countFolderMessages,
  deleteMessages,
  folderMessageIds,
  messageTables,
  moveFolderMessages,
} from '../../store/messages'

/**
 * Folder create / rename / delete on an IMAP account: applied to the cache at once and queued for the
 * server in the same durable transaction, like message actions (local-imap-actions.ts).
 *
 * A folder's id is derived from its path, so a rename re-keys the folder, its subfolders and their messages.
 * Queued message actions name folders by path too; rather than rewrite them, a folder that still has queued
 * actions (or whose subfolders do) cannot be renamed or deleted until they reached the server: the user is
 * told so, and nothing is half-done.
 */

type Tx = MailDb

const PROTECTED =
  'Inbox and the special folders (Sent, Drafts, Trash, Junk, Archive) cannot be renamed or deleted.'

/** Every folder path a queued action of the account still needs. */
function pathsInQueue(rows: readonly PendingActionRow[]): string[] {
  const paths: string[] = []
  for (const row of rows) {
    if (row.kind === 'append') paths.push((row.payload as { folder: string }).folder)
    if (row.kind !== 'imap') continue
    const action = row.payload as ImapAction
    if ('folder' in action) paths.push(action.folder)
    if (action.kind === 'move') paths.push(action.destination)
    if (action.kind === 'delete' && action.trash) paths.push(action.trash)
    if (action.kind === 'create-folder' || action.kind === 'delete-folder') paths.push(action.path)
    if (action.kind === 'rename-folder') paths.push(action.from, action.to)
    for (const ref of row.refs ?? []) paths.push(ref.path)
  }
  return paths
}

/**
 * Throws when queued actions still need the folder or a subfolder. Returns the queued creations of folders in
 * the tree when nothing else is queued for it: deleting such a folder just cancels its creation.
 */
async function assertNotBusy(db: Tx, folder: FolderRow, verb: string): Promise<PendingActionRow[]> {
  const queued = await db.pendingActions.where('accountId').equals(folder.accountId).toArray()
  const inTree = (p: string): boolean => isInTree(p, folder.path, folder.delimiter)
  const touching = queued.filter((row) => pathsInQueue([row]).some(inTree))
  const creations = touching.filter((row) => (row.payload as ImapAction).kind === 'create-folder')
  if (verb === 'deleted' && creations.length === touching.length) return creations
  if (touching.length > 0) {
    throw new MailError(
      'INVALID_PARAMS',
      `“${folder.name}” has changes that have not reached the server yet, so it cannot be ${verb} now. ` +
        'Try again once the account is back online and has synced.',
    )
  }
  return []
}

function isProtected(folder: FolderRow): boolean {
  return folder.specialUse !== null || folder.path.toUpperCase() === 'INBOX'
}

async function queueFolderAction(db: Tx, accountId: string, action: ImapAction): Promise<void> {
  await db.pendingActions.add({
    accountId,
    kind: 'imap',
    payload: action,
    messageIds: [],
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
  })
}

async function serverFolder(db: Tx, id: string): Promise<FolderRow> {
  const folder = await db.folders.get(id)
  if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists. It may have been removed.')
  return folder
}

/** The folder and its subfolders, parents first. */
async function subtree(db: Tx, folder: FolderRow): Promise<FolderRow[]> {
  const all = await db.folders.where('accountId').equals(folder.accountId).toArray()
  return all
    .filter((f) => isInTree(f.path, folder.path, folder.delimiter))
    .sort((a, b) => a.path.length - b.path.length)
}

function checkName(name: string, delimiter: string | null): void {
  const problem = folderNameProblem(name, delimiter)
  if (problem) throw new MailError('INVALID_PARAMS', problem)
}

async function assertFree(db: Tx, accountId: string, path: string): Promise<void> {
  // RFC 9051 §5.1: INBOX is case-insensitive, so "inbox" at the top level is the Inbox.
  const clash = path.toUpperCase() === 'INBOX' || (await db.folders.get(folderId(accountId, path)))
  if (clash)
    throw new MailError('INVALID_PARAMS', `A folder named “${path}” already exists. Choose another name.`)
}

async function accountDelimiter(db: Tx, accountId: string): Promise<string | null> {
  const any = await db.folders
    .where('accountId')
    .equals(accountId)
    .filter((f) => !f.local && f.delimiter !== null)
    .first()
  return any?.delimiter ?? '/'
}

export async function createFolderLocally(
  store: MailStore,
  accountId: string,
  parentPath: string | null,
  name: string,
): Promise<FolderRow> {
  const db = store.durable
  return db.transaction('rw', db.folders, db.pendingActions, async () => {
    const parent = parentPath === null ? undefined : await serverFolder(db, folderId(accountId, parentPath))
    const delimiter = parent ? parent.delimiter : await accountDelimiter(db, accountId)
    checkName(name, delimiter)
    const path = childPath(parentPath, name, delimiter)
    await assertFree(db, accountId, path)
    const row = newFolderRow({
      accountId,
      path,
      name: name.trim(),
      delimiter,
      parentPath,
      specialUse: null,
      local: false,
    })
    await db.folders.add(row)
    await queueFolderAction(db, accountId, { kind: 'create-folder', path })
    return row
  })
}

/**
 * Gives a folder (and its subfolders and their messages) a new path. Used by a rename and by its undo.
 * Sync state moves with the folder: the server keeps UIDVALIDITY and UIDs across a RENAME (RFC 9051 §6.3.6).
 */
export async function rekeyFolderTree(
  db: Tx,
  accountId: string,
  from: string,
  to: string,
  name: string,
  parentPath: string | null,
): Promise<void> {
  const root = await db.folders.get(folderId(accountId, from))
  if (!root) return
  for (const folder of await subtree(db, root)) {
    const path = to + folder.path.slice(from.length)
    const moved: FolderRow = {
      ...folder,
      id: folderId(accountId, path),
      path,
      ...(folder.id === root.id
        ? { name, parentPath }
        : { parentPath: folder.parentPath === null ? null : to + folder.parentPath.slice(from.length) }),
    }
    await db.folders.delete(folder.id)
    await db.folders.put(moved)
    await moveFolderMessages(db, folder.id, moved.id)
    const mark = await db.syncState.get(snippetsPendingKey(folder.id))
    if (mark) {
      await db.syncState.delete(mark.key)
      await db.syncState.put({ key: snippetsPendingKey(moved.id), value: mark.value })
    }
  }
}

/** Renames a folder, optionally moving it under another parent (`newParentPath`; null: top level). */
export async function renameFolderLocally(
  store: MailStore,
  id: string,
  newName: string,
  newParentPath?: string | null,
): Promise<FolderRow> {
  const db = store.durable
  return db.transaction(
    'rw',
    [db.folders, ...messageTables(db), db.pendingActions, db.syncState],
    async () => {
      const folder = await serverFolder(db, id)
      const tree = await subtree(db, folder)
      if (tree.some(isProtected)) throw new MailError('INVALID_PARAMS', PROTECTED)
      const parentPath = newParentPath === undefined ? folder.parentPath : newParentPath
      const parent =
        parentPath === null ? undefined : await serverFolder(db, folderId(folder.accountId, parentPath))
      if (parent && isInTree(parent.path, folder.path, folder.delimiter)) {
        throw new MailError(
          'INVALID_PARAMS',
          'A folder cannot be moved into itself or one of its subfolders.',
        )
      }
      const delimiter = parent?.delimiter ?? folder.delimiter
      checkName(newName, delimiter)
      const to = childPath(parentPath, newName, delimiter)
      if (to === folder.path) return folder
      await assertFree(db, folder.accountId, to)
      await assertNotBusy(db, folder, 'renamed')
      await rekeyFolderTree(db, folder.accountId, folder.path, to, newName.trim(), parentPath)
      await queueFolderAction(db, folder.accountId, { kind: 'rename-folder', from: folder.path, to })
      return (await db.folders.get(folderId(folder.accountId, to)))!
    },
  )
}

export interface FolderContents {
  folders: number
  messages: number
}

/** What deleting the folder would delete: it and its subfolders, and the messages they hold. */
export async function folderContents(db: Tx, id: string): Promise<FolderContents> {
  const folder = await serverFolder(db, id)
  const tree = await subtree(db, folder)
  let messages = 0
  for (const f of tree) messages += Math.max(f.total, await countFolderMessages(db, f.id))
  return { folders: tree.length, messages }
}

/** Deletes a folder with its subfolders and their messages, here at once and (queued) on the server. */
export async function deleteFolderLocally(store: MailStore, id: string): Promise<void> {
  const db = store.durable
  await db.transaction(
    'rw',
    [db.folders, ...messageTables(db), db.bodies, db.pendingActions, db.syncState],
    async () => {
      const folder = await serverFolder(db, id)
      const tree = await subtree(db, folder)
      if (tree.some(isProtected)) throw new MailError('INVALID_PARAMS', PROTECTED)
      const unsent = await assertNotBusy(db, folder, 'deleted')
      await db.pendingActions.bulkDelete(unsent.map((row) => row.id!))
      const neverSent = new Set(
        unsent.map((row) => (row.payload as Extract<ImapAction, { kind: 'create-folder' }>).path),
      )
      // Deepest first: IMAP DELETE of a folder with subfolders leaves it behind as a \Noselect container.
      for (const f of [...tree].reverse()) {
        const ids = await folderMessageIds(db, f.id)
        await db.bodies.bulkDelete(ids)
        await deleteMessages(db, ids)
        await db.syncState.delete(snippetsPendingKey(f.id))
        await db.folders.delete(f.id)
        if (!neverSent.has(f.path)) {
          await queueFolderAction(db, folder.accountId, { kind: 'delete-folder', path: f.path })
        }
      }
    },
  )
}

/**
 * The server refused a folder action: put the cache back as the server has it. A refused create removes
 * the folder (messages moved into it meanwhile come back with their own refused moves); a refused rename
 * renames back; a refused delete needs nothing here: the next sync lists the folder again and refetches it.
 */
export async function undoFolderAction(db: Tx, accountId: string, action: ImapAction): Promise<void> {
  if (action.kind === 'create-folder') {
    const row = await db.folders.get(folderId(accountId, action.path))
    if (row && row.uidValidity === null) await db.folders.delete(row.id)
  }
  if (action.kind === 'rename-folder') {
    const from = await db.folders.get(folderId(accountId, action.from))
    const to = await db.folders.get(folderId(accountId, action.to))
    if (to && !from) {
      const delimiter = to.delimiter ?? '/'
      const cut = action.from.lastIndexOf(delimiter)
      const parentPath = cut === -1 ? null : action.from.slice(0, cut)
      const name = cut === -1 ? action.from : action.from.slice(cut + delimiter.length)
      await rekeyFolderTree(db, accountId, action.to, action.from, name, parentPath)
    }
  }
}

/**
 * Folder paths the sync must not contradict while their actions wait in the queue: a folder created here
 * is not "gone" because the server does not list it yet, and one deleted or renamed away here is not
 * "new" because the server still lists it.
 */
export function queuedFolderPaths(
  rows: readonly PendingActionRow[],
  delimiter: string | null,
): { kept: string[]; hidden: string[] } {
  let kept: string[] = []
  let hidden: string[] = []
  const without = (list: string[], root: string): string[] =>
    list.filter((p) => !isInTree(p, root, delimiter))
  for (const row of rows) {
    if (row.kind !== 'imap') continue
    const action = row.payload as ImapAction
    if (action.kind === 'create-folder') {
      kept.push(action.path)
      hidden = hidden.filter((p) => p !== action.path)
    } else if (action.kind === 'delete-folder') {
      kept = without(kept, action.path)
      hidden.push(action.path)
    } else if (action.kind === 'rename-folder') {
      kept = without(kept, action.from)
      hidden = without(hidden, action.to)
      hidden.push(action.from)
      kept.push(action.to)
    }
  }
  return { kept, hidden }
}

export function inAny(path: string, roots: readonly string[], delimiter: string | null): boolean {
  return roots.some((r) => isInTree(path, r, delimiter))
}
