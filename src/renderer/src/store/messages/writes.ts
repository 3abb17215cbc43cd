import { Dexie, type UpdateSpec } from 'dexie'
import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'
import { sortDate, type StoredRow } from './chunk-layout'
import type { BoundTables } from './bound-tables'
import { noteDeletedBodies } from '../bodies/freed-bytes'
import { storedRowsById } from './by-id'
import { FolderEdit, writing } from './folder-chunks'
import { allocateIds, assignIds, foldersOfIds } from './id-ranges'

/*
 * Every write of message rows. Each runs in the caller's transaction when there is one (its scope must hold
 * `messageTables(db)`), rewrites the chunks it touches and the folders' directories, and keeps the per-day
 * counts and thread rows in step (FolderEdit.save).
 */

/** The edits of one write, one per folder it touches, saved together at the end. */
class Edits {
  private readonly byFolder = new Map<string, Promise<FolderEdit>>()
  constructor(private readonly t: BoundTables) {}

  of(folderId: string, accountId: string): Promise<FolderEdit> {
    let e = this.byFolder.get(folderId)
    if (!e) {
      e = FolderEdit.open(this.t, folderId, accountId)
      this.byFolder.set(folderId, e)
    }
    return e
  }

  async save(): Promise<void> {
    for (const e of this.byFolder.values()) await (await e).save()
  }
}

/** Groups by a key, keeping first-seen order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const t of items) {
    const k = key(t)
    const list = out.get(k)
    if (list) list.push(t)
    else out.set(k, [t])
  }
  return out
}

/** Stores new messages; returns their ids in the order given. */
export function addMessages(db: MailDb, rows: readonly MessageRow[]): Promise<number[]> {
  return writing(db, (t) => addRows(t, rows))
}

/** addMessages inside a write already queued (`writing` must not be entered twice: it would wait on itself). */
async function addRows(t: BoundTables, rows: readonly MessageRow[]): Promise<number[]> {
  const stored: StoredRow[] = new Array(rows.length)
  const given: StoredRow[] = []
  const byFolder = groupBy(
    rows.map((r, i) => ({ r, i })),
    ({ r }) => r.folderId,
  )
  for (const [folderId, items] of byFolder) {
    const fresh = items.filter(({ r }) => r.id === undefined)
    const ids = fresh.length > 0 ? await allocateIds(t, folderId, fresh.length) : []
    fresh.forEach(({ r, i }, k) => (stored[i] = { ...r, id: ids[k]! }))
    for (const { r, i } of items) {
      if (r.id !== undefined) {
        stored[i] = r as StoredRow
        given.push(stored[i])
      }
    }
  }
  if (given.length > 0) {
    // The old table refused an add whose key was stored (a put replaces); so does this one.
    const taken = await storedRowsById(
      t,
      given.map((r) => r.id),
    )
    const held = given.find((r) => taken.has(r.id))
    if (held) throw new Dexie.ConstraintError(`message ${held.id} is already stored`)
    for (const [folderId, list] of groupBy(given, (r) => r.folderId))
      await assignIds(
        t,
        list.map((r) => r.id),
        folderId,
      )
  }
  const edits = new Edits(t)
  for (const [folderId, items] of byFolder) {
    const edit = await edits.of(folderId, items[0]!.r.accountId)
    await edit.add(items.map(({ i }) => stored[i]!))
  }
  await edits.save()
  return stored.map((r) => r.id)
}

/** Stores a new message; returns its id. */
export async function addMessage(db: MailDb, row: MessageRow): Promise<number> {
  return (await addMessages(db, [row]))[0]!
}

/**
 * Replaces stored rows by the given ones (by id; a row may change folder, date, anything) and adds given
 * rows that are not stored. Removes first, then adds, so a row keeping its UID does not clash with itself.
 */
async function replaceRows(t: BoundTables, rows: readonly StoredRow[]): Promise<void> {
  const where = await foldersOfIds(
    t,
    rows.map((r) => r.id),
  )
  const edits = new Edits(t)
  for (const [folderId, list] of groupBy(
    rows.filter((r) => where.has(r.id)),
    (r) => where.get(r.id)!,
  )) {
    const edit = await edits.of(folderId, list[0]!.accountId)
    await edit.remove(new Set(list.map((r) => r.id)))
  }
  for (const [folderId, list] of groupBy(rows, (r) => r.folderId)) {
    const edit = await edits.of(folderId, list[0]!.accountId)
    await edit.add(list)
    const moved = list.filter((r) => where.get(r.id) !== folderId).map((r) => r.id)
    if (moved.length > 0) await assignIds(t, moved, folderId)
  }
  await edits.save()
}

/** Stores rows whole: a row with an id replaces the stored one, one without is added. */
export function putMessages(db: MailDb, rows: readonly MessageRow[]): Promise<void> {
  return writing(db, async (t) => {
    const withId = rows.filter((r): r is StoredRow => r.id !== undefined)
    const without = rows.filter((r) => r.id === undefined)
    if (withId.length > 0) await replaceRows(t, withId)
    if (without.length > 0) await addRows(t, without)
  })
}

/** The row after an update: a field set to undefined is removed, a dotted path sets a nested field. */
function applied(row: StoredRow, changes: UpdateSpec<MessageRow>): StoredRow {
  const next = structuredClone(row)
  for (const [path, value] of Object.entries(changes as Record<string, unknown>)) {
    // Dexie's own rule for update(): undefined removes the field.
    if (path !== 'id') Dexie.setByKeyPath(next, path, value)
  }
  return next
}

/** A row that keeps its folder, its place in list order and its UID can be replaced where it is. */
const keepsPlace = (row: StoredRow, next: StoredRow): boolean =>
  next.folderId === row.folderId && sortDate(next.date) === sortDate(row.date) && next.uid === row.uid

/**
 * Changes fields of many messages in one write (each message's chunk read and written once, however many of
 * its rows change); returns how many were stored. Changes naming one id twice apply in order.
 */
export function updateMessages(
  db: MailDb,
  updates: readonly { id: number; changes: UpdateSpec<MessageRow> }[],
): Promise<number> {
  return writing(db, async (t) => {
    const merged = new Map<number, UpdateSpec<MessageRow>>()
    for (const { id, changes } of updates) merged.set(id, { ...merged.get(id), ...changes })
    const where = await foldersOfIds(t, [...merged.keys()])
    const edits = new Edits(t)
    const elsewhere: StoredRow[] = []
    let stored = 0
    for (const [folderId, ids] of groupBy([...where.keys()], (id) => where.get(id)!)) {
      const edit = await edits.of(folderId, '')
      const found = await edit.find(new Set(ids))
      for (const [id, row] of found) {
        const next = applied(row, merged.get(id)!)
        stored++
        if (keepsPlace(row, next)) edit.replace(row, next)
        else elsewhere.push(next)
      }
    }
    await edits.save()
    if (elsewhere.length > 0) await replaceRows(t, elsewhere)
    return stored
  })
}

/** Changes fields of one message; returns 1 if it was stored, 0 if not. */
export function updateMessage(db: MailDb, id: number, changes: UpdateSpec<MessageRow>): Promise<number> {
  return updateMessages(db, [{ id, changes }])
}

export function deleteMessages(db: MailDb, ids: readonly number[]): Promise<void> {
  return writing(db, async (t) => {
    const where = await foldersOfIds(t, ids)
    const edits = new Edits(t)
    for (const [folderId, list] of groupBy([...where.keys()], (id) => where.get(id)!)) {
      const edit = await edits.of(folderId, '')
      noteDeletedBodies(db.name, await edit.remove(new Set(list)))
    }
    await edits.save()
  })
}

export function deleteMessage(db: MailDb, id: number): Promise<void> {
  return deleteMessages(db, [id])
}

/** Every message of `fromFolderId` now belongs to `toFolderId` (a folder renamed or moved); returns how many. */
export function moveFolderMessages(db: MailDb, fromFolderId: string, toFolderId: string): Promise<number> {
  return writing(db, async (t) => {
    if (fromFolderId === toFolderId) return 0
    const from = await FolderEdit.open(t, fromFolderId, '')
    const ids = new Set(from.dir.chunks.length > 0 ? await allIdsOf(from) : [])
    if (ids.size === 0) return 0
    const rows = await from.remove(ids)
    await from.save()
    const to = await FolderEdit.open(t, toFolderId, rows[0]!.accountId)
    await to.add(rows.map((r) => ({ ...r, folderId: toFolderId })))
    await to.save()
    await assignIds(t, [...ids], toFolderId)
    return rows.length
  })
}

/** Every id a folder holds (its chunks are loaded into the edit). */
async function allIdsOf(edit: FolderEdit): Promise<number[]> {
  await edit.load(edit.dir.chunks)
  return edit.dir.chunks.flatMap((c) => edit.chunk(c).rows.map((r) => r.id))
}
