/**
 * Local folders of POP3 accounts: their mail exists only in the store, so the folders do too. Inbox,
 * Sent, Drafts and Trash are created on the first check; users add their own with create-folder.
 */
import { MailError } from '../../../../shared/errors'
import type { MailDb } from '../../store/mail-db'
import { folderId, newFolderRow, type FolderRow, type SpecialUse } from '../../store/rows'
import { folderSubtree, isInFolderTree } from '../actions/folder-subtree'
import { countFolderMessages } from '../../store/messages'

export const LOCAL_DELIMITER = '/'

const STANDARD: readonly { path: string; name: string; specialUse: SpecialUse }[] = [
  { path: 'INBOX', name: 'Inbox', specialUse: 'inbox' },
  { path: 'Sent', name: 'Sent', specialUse: 'sent' },
  { path: 'Drafts', name: 'Drafts', specialUse: 'drafts' },
  { path: 'Trash', name: 'Trash', specialUse: 'trash' },
]

export function localFolderRow(
  accountId: string,
  path: string,
  name: string,
  specialUse: SpecialUse | null,
  parentPath: string | null,
): FolderRow {
  return newFolderRow({
    accountId,
    path,
    name,
    delimiter: LOCAL_DELIMITER,
    parentPath,
    specialUse,
    local: true,
  })
}

/** Creates the standard folders that are missing; returns the account's Inbox. Idempotent. */
export async function ensureLocalFolders(db: MailDb, accountId: string): Promise<FolderRow> {
  const ids = STANDARD.map((f) => folderId(accountId, f.path))
  // Every check calls this: when the folders exist (all but the first time) a read is enough, and a
  // read-write transaction would queue behind the page's reads of the folder tree.
  const found = await db.folders.bulkGet(ids)
  if (found.every((f) => f !== undefined)) return found[0]!
  return db.transaction('rw', db.folders, async () => {
    const existing = await db.folders.bulkGet(ids)
    const missing = STANDARD.filter((_, i) => existing[i] === undefined)
    if (missing.length > 0) {
      await db.folders.bulkAdd(
        missing.map((f) => localFolderRow(accountId, f.path, f.name, f.specialUse, null)),
      )
    }
    return existing[0] ?? localFolderRow(accountId, 'INBOX', 'Inbox', 'inbox', null)
  })
}

/** The account's local folder with this role (Trash for deletes), created if missing. */
export async function localFolderByUse(db: MailDb, accountId: string, use: SpecialUse): Promise<FolderRow> {
  await ensureLocalFolders(db, accountId)
  const path = STANDARD.find((f) => f.specialUse === use)?.path
  const row = path === undefined ? undefined : await db.folders.get(folderId(accountId, path))
  if (!row) throw new MailError('NOT_FOUND', 'That folder does not exist for this account.')
  return row
}

function checkName(name: string): string {
  const clean = name.trim()
  if (!clean || clean.includes(LOCAL_DELIMITER) || clean.length > 200) {
    throw new MailError(
      'INVALID_PARAMS',
      `A folder name must not be empty, longer than 200 characters or contain "${LOCAL_DELIMITER}".`,
    )
  }
  return clean
}

const sameName = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0

/** Refuses a name a sibling already shows (names are what the user sees; paths only identify). */
async function checkFreeName(
  db: MailDb,
  accountId: string,
  parentPath: string | null,
  name: string,
  except: string | null,
): Promise<void> {
  const siblings = await db.folders
    .where('accountId')
    .equals(accountId)
    .filter((f) => f.parentPath === parentPath && f.id !== except)
    .toArray()
  if (siblings.some((f) => sameName(f.name, name))) {
    throw new MailError(
      'INVALID_PARAMS',
      `A folder named "${name}" already exists there. Choose another name.`,
    )
  }
}

/**
 * A user folder under `parentPath` (null = top level). A local folder's path is its identity (messages
 * refer to it) and never changes; renaming changes only the name shown. So a new folder may get a path
 * that differs from its name when an older folder, since renamed, still holds that path.
 */
export async function createLocalFolder(
  db: MailDb,
  accountId: string,
  parentPath: string | null,
  name: string,
): Promise<FolderRow> {
  const clean = checkName(name)
  return db.transaction('rw', db.folders, async () => {
    if (parentPath !== null && !(await db.folders.get(folderId(accountId, parentPath)))) {
      throw new MailError('NOT_FOUND', 'The parent folder no longer exists.')
    }
    await checkFreeName(db, accountId, parentPath, clean, null)
    const base = parentPath === null ? clean : `${parentPath}${LOCAL_DELIMITER}${clean}`
    let path = base
    for (let n = 2; await db.folders.get(folderId(accountId, path)); n++) path = `${base} ${n}`
    const row = localFolderRow(accountId, path, clean, null, parentPath)
    await db.folders.add(row)
    return row
  })
}

function assertUserFolder(folder: FolderRow | undefined, verb: string): FolderRow {
  if (!folder?.local) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
  if (folder.specialUse !== null) {
    throw new MailError(
      'INVALID_PARAMS',
      `${folder.name} is one of the account's standard folders; it cannot be ${verb}.`,
    )
  }
  return folder
}

/**
 * Renames a user folder and, with `newParentPath` (null: the top level), moves it under another folder of
 * the account. Only the row changes: the path stays (see createLocalFolder), so no message is touched and
 * the subfolders follow by their parent links.
 */
export async function renameLocalFolder(
  db: MailDb,
  id: string,
  newName: string,
  newParentPath?: string | null,
): Promise<FolderRow> {
  const clean = checkName(newName)
  return db.transaction('rw', db.folders, async () => {
    const folder = assertUserFolder(await db.folders.get(id), 'renamed')
    const parentPath = newParentPath === undefined ? folder.parentPath : newParentPath
    if (parentPath !== folder.parentPath) await checkNewParent(db, folder, parentPath)
    if (folder.name !== clean || parentPath !== folder.parentPath) {
      await checkFreeName(db, folder.accountId, parentPath, clean, folder.id)
    }
    await db.folders.update(id, { name: clean, parentPath })
    return { ...folder, name: clean, parentPath }
  })
}

/** A new place must be a folder of the same account and not the folder itself or one below it. */
async function checkNewParent(db: MailDb, folder: FolderRow, parentPath: string | null): Promise<void> {
  if (parentPath === null) return
  const parent = await db.folders.get(folderId(folder.accountId, parentPath))
  if (!parent?.local) throw new MailError('NOT_FOUND', 'The folder to move it into no longer exists.')
  const all = await db.folders.where('accountId').equals(folder.accountId).toArray()
  if (isInFolderTree(parent, folder, all)) {
    throw new MailError('INVALID_PARAMS', 'A folder cannot be moved into itself or one of its subfolders.')
  }
}

/** The folder and every folder below it, the folder first. */
export async function localSubtree(db: MailDb, folder: FolderRow): Promise<FolderRow[]> {
  return folderSubtree(folder, await db.folders.where('accountId').equals(folder.accountId).toArray())
}

export interface FolderDeletePlan {
  folder: FolderRow
  /** Folders removed with it (its subfolders), not counting itself. */
  subfolders: number
  /** Messages in it and its subfolders. */
  messages: number
  /** True inside Trash: the messages are deleted for good instead of moved to Trash. */
  forGood: boolean
}

/** What deleting a local folder would do, for the confirmation the UI shows first. */
export async function planLocalFolderDelete(db: MailDb, id: string): Promise<FolderDeletePlan> {
  const folder = assertUserFolder(await db.folders.get(id), 'deleted')
  const all = await db.folders.where('accountId').equals(folder.accountId).toArray()
  const tree = folderSubtree(folder, all)
  let messages = 0
  for (const f of tree) messages += await countFolderMessages(db, f.id)
  const trash = await localFolderByUse(db, folder.accountId, 'trash')
  return {
    folder,
    subfolders: tree.length - 1,
    messages,
    forGood: isInFolderTree(folder, trash, all),
  }
}

/** Adjusts a folder's cached counts (kept in the row: counting on demand is slow on big folders). */
export async function bumpCounts(db: MailDb, id: string, total: number, unread: number): Promise<void> {
  if (total === 0 && unread === 0) return
  await db.folders
    .where('id')
    .equals(id)
    .modify((f) => {
      f.total = Math.max(0, f.total + total)
      f.unread = Math.max(0, f.unread + unread)
    })
}
