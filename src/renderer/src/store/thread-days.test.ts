import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS, type MailDb } from './mail-db'
import { folderId } from './rows'
import { testStores } from './test-stores'
import { dayOf } from './list-buckets'
import {
  countThreadsBetween,
  getThreadRows,
  readThreadsBetween,
  threadDateOrder,
  writeThreadRows,
  type ThreadChange,
} from './thread-days'
import type { ThreadRow } from './threads'
import { testThreadRows } from './test-thread-rows'

const stores = testStores('thread-days')
const inbox = folderId('a', 'INBOX')
const sent = folderId('a', 'Sent')

const at = (y: number, m: number, d: number, h = 0): number => Date.UTC(y, m, d, h)

function thread(threadId: string, date: number, folder = inbox): ThreadRow {
  return { folderId: folder, threadId, date, headId: date % 100_000, count: 1, unread: 1, flagged: 0 }
}

async function write(db: MailDb, changes: ThreadChange[]): Promise<void> {
  await db.transaction('rw', db.threadDays, () => writeThreadRows(db.threadDays, changes))
}

describe('thread rows in day records', () => {
  it('keeps a thread in the record of its newest message day, and moves it when that changes', async () => {
    const db = (await stores.freshStore()).fast
    const a = thread('a', at(2026, 0, 31, 23))
    const b = thread('b', at(2026, 0, 31, 1))
    const c = thread('c', at(2026, 1, 1), sent)
    await write(db, [
      { before: undefined, after: a },
      { before: undefined, after: b },
      { before: undefined, after: c },
    ])
    expect((await db.threadDays.toArray()).map((d) => [d.folderId, d.day, d.keys.length])).toEqual([
      [inbox, dayOf(a.date), 2],
      [sent, dayOf(c.date), 1],
    ])
    // A new message an hour later, past midnight, makes thread a's head a February one: a leaves its day.
    const a2 = { ...a, date: at(2026, 1, 1, 0), count: 2 }
    await write(db, [{ before: a, after: a2 }])
    expect(
      await getThreadRows(db.threadDays, [
        [inbox, 'a'],
        [inbox, 'b'],
        [inbox, 'c'],
        [sent, 'c'],
      ]),
    ).toEqual([a2, b, undefined, c])
    expect((await db.threadDays.get([inbox, dayOf(b.date)]))?.keys).toHaveLength(1)
    // The last thread of a day gone: so is the day's record.
    await write(db, [{ before: b, after: null }])
    expect(await db.threadDays.get([inbox, dayOf(b.date)])).toBeUndefined()
    expect(await testThreadRows(db).toArray()).toEqual([a2, c])
  })

  it('reads a range in date order across days, as far as asked, and counts it', async () => {
    const db = (await stores.freshStore()).fast
    // 120 threads two or three days apart over ten months, two of them on one date (ordered by thread id).
    const rows = Array.from({ length: 120 }, (_, i) =>
      thread(`t${String(i).padStart(3, '0')}`, at(2025, 3, 1 + (i * 5) / 2)),
    )
    rows.push(thread('same-date', rows[40]!.date))
    await write(
      db,
      rows.map((after) => ({ before: undefined, after })),
    )
    const oldest = [...rows].sort(threadDateOrder)
    const newest = [...oldest].reverse()
    const ranges: [number | null, number | null][] = [
      [null, null],
      [at(2025, 5, 1), at(2025, 7, 1)],
      [at(2025, 5, 14, 5), null],
      [null, rows[40]!.date],
      [rows[40]!.date, rows[40]!.date + 1],
      [at(2030, 0, 1), null],
    ]
    for (const [from, to] of ranges) {
      const inRange = (t: ThreadRow): boolean =>
        (from === null || t.date >= from) && (to === null || t.date < to)
      for (const limit of [1, 7, 50, 1000]) {
        expect(await readThreadsBetween(db.threadDays, inbox, { from, to, order: 'oldest', limit })).toEqual(
          oldest.filter(inRange).slice(0, limit),
        )
        expect(await readThreadsBetween(db.threadDays, inbox, { from, to, order: 'newest', limit })).toEqual(
          newest.filter(inRange).slice(0, limit),
        )
      }
      expect(await countThreadsBetween(db.threadDays, inbox, from, to)).toBe(rows.filter(inRange).length)
    }
    expect(await countThreadsBetween(db.threadDays, sent, null, null)).toBe(0)
  })

  it("upgrades a version-11 store's thread rows into day records with every field", async () => {
    const name = stores.freshName()
    const v11 = new Dexie(name)
    v11.version(11).stores(SCHEMA_VERSIONS.find((v) => v.version === 11)!.stores)
    const old = [
      thread('x', at(2024, 1, 29)),
      { ...thread('y', at(2024, 1, 1)), count: 3, unread: 2, flagged: 1, headId: 77 },
      thread('z', at(2026, 10, 27), sent),
    ]
    await v11.table('threads').bulkPut(old)
    v11.close()
    const db = await stores.openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(db.tables.map((t) => t.name)).not.toContain('threads')
    expect(await testThreadRows(db).toArray()).toEqual(old)
    expect(await db.threadDays.count()).toBe(3)
  })
})
