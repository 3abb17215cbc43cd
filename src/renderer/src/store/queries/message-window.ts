import { Dexie } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/** Which messages the list shows: one folder, or several merged by date (the unified Inbox). */
export interface ListSpec {
  folderIds: readonly string[]
  filter: 'all' | 'unread' | 'flagged'
  order: 'newest' | 'oldest'
}

/** A folder's messages between two dates (ms, `from` inclusive, `to` exclusive) from the [folderId+date] index. */
function byDate(db: MailDb, folderId: string, from: number | null, to: number | null) {
  return db.messages
    .where('[folderId+date]')
    .between([folderId, from ?? Dexie.minKey], [folderId, to ?? Dexie.maxKey], true, false)
}

const FILTERS = {
  unread: (m: MessageRow) => m.unread === 1,
  flagged: (m: MessageRow) => m.flagged === 1,
} as const

type MessageCollection = ReturnType<typeof byDate>

function ordered(collection: MessageCollection, spec: ListSpec): MessageCollection {
  const sorted = spec.order === 'newest' ? collection.reverse() : collection
  return spec.filter === 'all' ? sorted : sorted.filter(FILTERS[spec.filter])
}

/**
 * Rows `offset … offset+limit` of the list, read straight from the [folderId+date] index: never the whole
 * folder. Unfiltered, IndexedDB skips `offset` entries natively (cursor.advance); filtered, Dexie walks the
 * skipped rows (a [folderId+unread+date] index would make that native too).
 * Several folders: each contributes its first offset+limit rows, merged by date.
 */
export async function readWindow(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
): Promise<MessageRow[]> {
  if (spec.folderIds.length === 1) {
    return ordered(byDate(db, spec.folderIds[0]!, null, null), spec)
      .offset(offset)
      .limit(limit)
      .toArray()
  }
  const parts = await Promise.all(
    spec.folderIds.map((id) =>
      ordered(byDate(db, id, null, null), spec)
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
  if (spec.folderIds.length === 1 && spec.filter === 'all') {
    const keys = await ordered(byDate(db, spec.folderIds[0]!, null, null), spec)
      .offset(offset)
      .limit(limit)
      .primaryKeys()
    return keys.filter((k): k is number => k !== undefined)
  }
  const rows = await readWindow(db, spec, offset, limit)
  return rows.map((r) => r.id!)
}

/**
 * How many rows fall in [from, to) per folder and filter. Used for the total (from = to = null) and for the
 * date groups, whose ranges are recent and therefore small. Unfiltered and single-flag counts use index
 * ranges (counted inside IndexedDB); filtered date ranges walk only that range.
 */
export async function countRange(
  db: MailDb,
  spec: ListSpec,
  from: number | null,
  to: number | null,
): Promise<number> {
  const counts = await Promise.all(
    spec.folderIds.map((id) => {
      if (spec.filter === 'all') return byDate(db, id, from, to).count()
      if (from === null && to === null) {
        const index = spec.filter === 'unread' ? '[folderId+unread]' : '[folderId+flagged]'
        return db.messages.where(index).equals([id, 1]).count()
      }
      return byDate(db, id, from, to).filter(FILTERS[spec.filter]).count()
    }),
  )
  return counts.reduce((a, b) => a + b, 0)
}
