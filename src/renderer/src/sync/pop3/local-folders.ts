/**
 * Local folders of POP3 accounts: their mail exists only in the store, so the folders do too. Inbox,
 * Sent, Drafts and Trash are created on the first check; users add their own with create-folder.
 */
import { MailError } from '../../../../shared/errors'
import type { MailDb } from '../../store/mail-db'
import { folderId, type FolderRow, type SpecialUse } from '../../store/rows'

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
  return {
    id: folderId(accountId, path),
    accountId,
    path,
    name,
    delimiter: LOCAL_DELIMITER,
    parentPath,
    specialUse,
    local: true,
    selectable: true,
    uidValidity: null,
    highestModseq: null,
    uidNext: null,
    total: 0,
    unread: 0,
    syncedAt: null,
  }
}

/** Creates the standard folders that are missing; returns the account's Inbox. Idempotent. */
export async function ensureLocalFolders(db: MailDb, accountId: string): Promise<FolderRow> {
  return db.transaction('rw', db.folders, async () => {
    const ids = STANDARD.map((f) => folderId(accountId, f.path))
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

/** A user folder under `parentPath` (null = top level). Names may not contain the delimiter. */
export async function createLocalFolder(
  db: MailDb,
  accountId: string,
  parentPath: string | null,
  name: string,
): Promise<FolderRow> {
  const clean = name.trim()
  if (!clean || clean.includes(LOCAL_DELIMITER) || clean.length > 200) {
    throw new MailError('INVALID_PARAMS', `A folder name must not be empty or contain "${LOCAL_DELIMITER}".`)
  }
  const path = parentPath === null ? clean : `${parentPath}${LOCAL_DELIMITER}${clean}`
  return db.transaction('rw', db.folders, async () => {
    if (parentPath !== null && !(await db.folders.get(folderId(accountId, parentPath)))) {
      throw new MailError('NOT_FOUND', 'The parent folder no longer exists.')
    }
    if (await db.folders.get(folderId(accountId, path))) {
      throw new MailError('INVALID_PARAMS', `A folder named "${clean}" already exists there.`)
    }
    const row = localFolderRow(accountId, path, clean, null, parentPath)
    await db.folders.add(row)
    return row
  })
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
