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
  MAX_PART_THREADS,
  MIN_PART_THREADS,
  readThreadRows,
  readThreadsBetween,
  threadDateOrder,
  writeThreadRows,
  type ThreadChange,
  type ThreadDayRow,
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

  it('splits a day of many threads into parts by date and keeps every read right through any change', async () => {
    const db = (await stores.freshStore()).fast
    // Three days of one folder and one of another; a quarter of the threads share one millisecond (mail
    // without a Date header, dated at its download), so parts must also split between equal dates.
    const day1 = at(2026, 4, 10)
    const shared = day1 + 3_600_000
    let seed = 11
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) as number
    const dateIn = (): number => {
      const pick = next(8)
      if (pick < 2) return shared
      if (pick === 2) return day1 - 1 - next(86_400_000) // the day before
      if (pick === 3) return day1 + 86_400_000 + next(86_400_000) // the day after
      return day1 + next(86_400_000)
    }
    const model = new Map<string, ThreadRow>()
    const key = (t: ThreadRow): string => `${t.folderId} ${t.threadId}`
    let made = 0
    for (let round = 0; round < 30; round++) {
      const changes: ThreadChange[] = []
      const ids = new Set<string>()
      // Mostly new threads (as a download), then moves within and across days, and removals.
      const size = round < 12 ? 150 : 60
      for (let k = 0; k < size; k++) {
        const existing = [...model.values()]
        const kind = round < 12 || existing.length === 0 ? 0 : next(3)
        if (kind === 0) {
          const t = thread(`n${made++}`, dateIn(), next(10) === 0 ? sent : inbox)
          changes.push({ before: undefined, after: t })
          model.set(key(t), t)
          continue
        }
        const before = existing[next(existing.length)]!
        if (ids.has(key(before))) continue
        ids.add(key(before))
        const after = kind === 1 ? { ...before, date: dateIn(), count: before.count + 1 } : null
        changes.push({ before, after })
        if (after) model.set(key(after), after)
        else model.delete(key(before))
      }
      await write(db, changes)
      if (round % 6 !== 5) continue

      const records = await db.threadDays.toArray()
      expect(await readThreadRows(db.threadDays)).toHaveLength(model.size)
      // Each thread is found by its key (a sample: reads through the multi-entry index are slow in Node).
      const sample = [...model.values()].filter(() => next(10) === 0)
      expect(
        await getThreadRows(
          db.threadDays,
          sample.map((t) => [t.folderId, t.threadId]),
        ),
      ).toEqual(sample)
      for (const r of records) {
        expect(r.threads.length).toBeLessThanOrEqual(MAX_PART_THREADS)
        expect(Math.floor(r.day)).toBe(r.threads.length > 0 ? dayOf(r.threads[0]!.date) : r.day)
        // A further part is never empty; a day's first record is, only while it lists parts.
        if (r.day !== Math.floor(r.day)) expect(r.threads.length).toBeGreaterThan(0)
        else if (r.threads.length === 0) expect(r.parts?.length).toBeGreaterThan(0)
      }
      for (const folder of [inbox, sent]) {
        const mine = [...model.values()].filter((t) => t.folderId === folder)
        const oldest = mine.sort(threadDateOrder)
        const ranges: [number | null, number | null][] = [
          [null, null],
          [shared, shared + 1],
          [day1, day1 + 86_400_000],
          [shared + 1, null],
          [null, shared],
        ]
        for (const [from, to] of ranges) {
          const inRange = (t: ThreadRow): boolean =>
            (from === null || t.date >= from) && (to === null || t.date < to)
          const want = oldest.filter(inRange)
          for (const limit of [150, 10_000]) {
            expect(
              await readThreadsBetween(db.threadDays, folder, { from, to, order: 'oldest', limit }),
            ).toEqual(want.slice(0, limit))
            expect(
              await readThreadsBetween(db.threadDays, folder, { from, to, order: 'newest', limit }),
            ).toEqual([...want].reverse().slice(0, limit))
          }
          expect(await countThreadsBetween(db.threadDays, folder, from, to)).toBe(want.length)
        }
      }
    }
    // The busy day did split, and between threads of one millisecond too.
    const first = await db.threadDays.get([inbox, dayOf(day1)])
    expect(first?.parts?.length).toBeGreaterThan(3)
    expect(first!.parts!.filter((p) => p.start[0] === shared).length).toBeGreaterThan(1)

    // Most of the day's mail deleted, a batch at a time: its parts merge back as they shrink.
    const doomed = [...model.values()].filter((_, i) => i % 40 !== 0)
    for (let i = 0; i < doomed.length; i += 100) {
      await write(
        db,
        doomed.slice(i, i + 100).map((before) => ({ before, after: null })),
      )
    }
    for (const t of doomed) model.delete(key(t))
    const left = [...model.values()].sort(threadDateOrder)
    expect(await testThreadRows(db).byDate(inbox)).toEqual(left.filter((t) => t.folderId === inbox))
    const records = await db.threadDays.toArray()
    for (const day of new Set(records.map((r) => Math.floor(r.day)))) {
      const ofDay = records.filter((r) => r.folderId === inbox && Math.floor(r.day) === day)
      const threads = ofDay.reduce((n, r) => n + r.threads.length, 0)
      // No two records in a row both hold fewer than MIN_PART_THREADS.
      expect(ofDay.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(threads / MIN_PART_THREADS))
    }
  })

  it('rewrites only the part a change falls in, however big its day', async () => {
    const db = (await stores.freshStore()).fast
    const day = at(2026, 4, 10)
    const rows = Array.from({ length: 2_000 }, (_, i) => thread(`t${i}`, day + i * 40_000))
    for (let i = 0; i < rows.length; i += 250) {
      await write(
        db,
        rows.slice(i, i + 250).map((after) => ({ before: undefined, after })),
      )
    }
    const snapshot = async (): Promise<Map<number, string>> =>
      new Map((await db.threadDays.toArray()).map((r: ThreadDayRow) => [r.day, JSON.stringify(r)]))
    const before = await snapshot()
    expect(before.size).toBeGreaterThan(2_000 / MAX_PART_THREADS)
    // A new message in an old thread of the day: it moves from an early part to the last.
    const moved = { ...rows[5]!, date: day + 86_000_000, count: 2 }
    await write(db, [{ before: rows[5], after: moved }])
    const after = await snapshot()
    const rewritten = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k)
    expect(rewritten).toHaveLength(2)
    expect(await testThreadRows(db).get([inbox, 't5'])).toEqual(moved)

    // A part left with fewer than MIN_PART_THREADS goes into the one before it, which no change touched.
    const parts = (await db.threadDays.get([inbox, dayOf(day)]))!.parts!
    const [before5, part6] = [parts[4]!.key, parts[5]!.key]
    const shrinking = (await db.threadDays.get([inbox, part6]))!.threads
    const kept = shrinking.slice(0, MIN_PART_THREADS - 1)
    await write(
      db,
      shrinking.slice(MIN_PART_THREADS - 1).map((before) => ({ before, after: null })),
    )
    expect(await db.threadDays.get([inbox, part6])).toBeUndefined()
    const merged = (await db.threadDays.get([inbox, before5]))!.threads
    expect(merged).toEqual(expect.arrayContaining(kept))
    expect(await testThreadRows(db).count()).toBe(rows.length - shrinking.length + kept.length)
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
