import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** Which messages the list shows: one folder, or several merged by date (the unified Inbox). */
export interface ListSpec {
  folderIds: readonly string[]
  filter: 'all' | 'unread' | 'flagged'
  order: 'newest' | 'oldest'
}

const FLAG_INDEX = { unread: '[folderId+unread+date]', flagged: '[folderId+flagged+date]' } as const

/**
 * A folder's messages (all, or only unread / flagged) between two dates (ms, `from` inclusive, `to`
 * exclusive), as one index range: [folderId+date] or [folderId+flag+date] (schema version 4).
 */
function byDate(
  db: MailDb,
  folderId: string,
  filter: ListSpec['filter'],
  from: number | null,
  to: number | null,
) {
  const lo = from ?? Dexie.minKey
  const hi = to ?? Dexie.maxKey
  if (filter === 'all') {
    return db.messages.where('[folderId+date]').between([folderId, lo], [folderId, hi], true, false)
  }
  return db.messages.where(FLAG_INDEX[filter]).between([folderId, 1, lo], [folderId, 1, hi], true, false)
}

function ordered(db: MailDb, folderId: string, spec: ListSpec) {
  const range = byDate(db, folderId, spec.filter, null, null)
  return spec.order === 'newest' ? range.reverse() : range
}

/**
 * Rows `offset … offset+limit` of the list, read straight from an index range: never the whole folder, and
 * IndexedDB skips `offset` entries natively (cursor.advance), filtered or not.
 * Several folders: each contributes its first offset+limit rows, merged by date.
 */
export async function readWindow(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
  /** The list's length, when known: a window in the second half is then read from the other end. */
  total?: number,
): Promise<MessageRow[]> {
  if (spec.folderIds.length === 1) {
    const folder = spec.folderIds[0]!
    if (total !== undefined && offset > total / 2) {
      // IndexedDB steps over skipped entries one by one: from the far end, the end of the list is as
      // cheap as its top (the middle still costs half the list).
      const count = Math.max(0, Math.min(limit, total - offset))
      const flipped: ListSpec = { ...spec, order: spec.order === 'newest' ? 'oldest' : 'newest' }
      const rows = await ordered(db, folder, flipped)
        .offset(total - offset - count)
        .limit(count)
        .toArray()
      return rows.reverse()
    }
    return ordered(db, folder, spec).offset(offset).limit(limit).toArray()
  }
  const parts = await Promise.all(
    spec.folderIds.map((id) =>
      ordered(db, id, spec)
        .limit(offset + limit)
        .toArray(),
    ),
  )
  const sign = spec.order === 'newest' ? -1 : 1
  return parts
    .flat()
    .sort((a, b) => sign * (a.date - b.date) || (a.id ?? 0) - (b.id ?? 0))
    .slice(offset, offset + limit)
}

/** Primary keys of rows `offset … offset+limit`: for Shift+click ranges that reach rows not on screen. */
export async function readWindowIds(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
): Promise<number[]> {
  if (spec.folderIds.length === 1) {
    const keys = await ordered(db, spec.folderIds[0]!, spec).offset(offset).limit(limit).primaryKeys()
    return keys.filter((k): k is number => k !== undefined)
  }
  const rows = await readWindow(db, spec, offset, limit)
  return rows.map((r) => r.id!)
}

/**
 * How many rows fall in [from, to) per folder and filter, counted inside IndexedDB over one index range. Used
 * for the total (from = to = null) and for the date groups.
 */
export async function countRange(
  db: MailDb,
  spec: ListSpec,
  from: number | null,
  to: number | null,
): Promise<number> {
  const counts = await Promise.all(spec.folderIds.map((id) => byDate(db, id, spec.filter, from, to).count()))
  return counts.reduce((a, b) => a + b, 0)
}
