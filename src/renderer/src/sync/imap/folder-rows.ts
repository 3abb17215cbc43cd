import type { FolderInfoWire } from '../../../../shared/model/imap'
import { folderId, type FolderRow, type SpecialUse } from '../../store/rows'

const SPECIAL: Record<NonNullable<FolderInfoWire['specialUse']>, SpecialUse> = {
  '\\Inbox': 'inbox',
  '\\Drafts': 'drafts',
  '\\Sent': 'sent',
  '\\Trash': 'trash',
  '\\Junk': 'junk',
  '\\Archive': 'archive',
  '\\All': 'all',
  '\\Flagged': 'flagged',
}

/**
 * The folder row for what the server listed, keeping the sync state (UIDVALIDITY, UIDNEXT, MODSEQ, count) of the
 * existing row: those say what the cache holds, and only a completed folder sync may move them.
 */
export function folderRowFrom(
  accountId: string,
  info: FolderInfoWire,
  existing: FolderRow | undefined,
): FolderRow {
  return {
    id: folderId(accountId, info.path),
    accountId,
    path: info.path,
    name: info.name,
    delimiter: info.delimiter,
    parentPath: info.parentPath,
    specialUse: info.specialUse ? SPECIAL[info.specialUse] : null,
    local: false,
    selectable: info.selectable,
    uidValidity: existing?.uidValidity ?? null,
    highestModseq: existing?.highestModseq ?? null,
    uidNext: existing?.uidNext ?? null,
    total: info.status?.messages ?? existing?.total ?? 0,
    unread: info.status?.unseen ?? existing?.unread ?? 0,
    syncedAt: existing?.syncedAt ?? null,
    syncedExists: existing?.syncedExists ?? null,
  }
}

/** True when both rows hold the same values (a stored row and one built from a listing). */
export function sameFolderRow(a: FolderRow, b: FolderRow | undefined): boolean {
  if (b === undefined) return false
  const keys = Object.keys(a) as (keyof FolderRow)[]
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
