import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS } from './mail-db'
import { folderId } from './rows'
import { testStores } from './test-stores'
import { getDayRows, readDayRows, SPAN_DAYS, writeDayRows } from './day-count-spans'
import type { ListBucketRow } from './list-buckets'

const stores = testStores('day-count-spans')
const inbox = folderId('a', 'INBOX')
const sent = folderId('a', 'Sent')

const row = (folder: string, day: number, all: number): ListBucketRow => ({
  folderId: folder,
  day,
  all,
  unread: all > 1 ? 1 : 0,
  flagged: day % 2,
})

describe('per-day counts in span records', () => {
  it('reads back what was written, day by day, across span edges and folders, and drops empty spans', async () => {
    const db = (await stores.freshStore()).fast
    const model = new Map<string, ListBucketRow>()
    const key = (folder: string, day: number): string => JSON.stringify([folder, day])
    // Days on both sides of span edges, negative days (before 1970) and far ones.
    const days = [-SPAN_DAYS - 1, -1, 0, 1, SPAN_DAYS - 1, SPAN_DAYS, 3 * SPAN_DAYS + 5, 20_000]
    let seed = 7
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) as number
    for (let round = 0; round < 40; round++) {
      const put: ListBucketRow[] = []
      const remove: [string, number][] = []
      for (let k = 0; k < 5; k++) {
        const folder = next(3) === 0 ? sent : inbox
        const day = days[next(days.length)]!
        if (
          put.some((p) => p.folderId === folder && p.day === day) ||
          remove.some(([f, d]) => f === folder && d === day)
        )
          continue
        if (next(3) === 0) remove.push([folder, day])
        else put.push(row(folder, day, 1 + next(9)))
      }
      await db.transaction('rw', db.listDayCounts, () => writeDayRows(db.listDayCounts, put, remove))
      for (const [f, d] of remove) model.delete(key(f, d))
      for (const p of put) model.set(key(p.folderId, p.day), p)
      const byKey = (a: ListBucketRow, b: ListBucketRow): number =>
        a.folderId.localeCompare(b.folderId) || a.day - b.day
      expect((await readDayRows(db.listDayCounts)).sort(byKey)).toEqual([...model.values()].sort(byKey))
      expect(await readDayRows(db.listDayCounts, sent)).toEqual(
        [...model.values()].filter((b) => b.folderId === sent).sort(byKey),
      )
      const asked: [string, number][] = days.map((d) => [inbox, d])
      expect(await getDayRows(db.listDayCounts, asked)).toEqual(asked.map(([f, d]) => model.get(key(f, d))))
    }
    // No record holds no day.
    expect((await db.listDayCounts.toArray()).every((s) => s.days.length > 0)).toBe(true)
    const spans = new Set(
      [...model.values()].map((b) => JSON.stringify([b.folderId, Math.floor(b.day / SPAN_DAYS)])),
    )
    expect(await db.listDayCounts.count()).toBe(spans.size)
  })

  it("upgrades a version-12 store's per-day rows of messages and threads into spans, counts kept", async () => {
    const name = stores.freshName()
    const v12 = new Dexie(name)
    v12.version(12).stores(SCHEMA_VERSIONS.find((v) => v.version === 12)!.stores)
    const list = [row(inbox, 3, 4), row(inbox, SPAN_DAYS + 3, 1), row(sent, 3, 2)]
    const threads = [row(inbox, 3, 2), row(inbox, SPAN_DAYS + 3, 1)]
    await v12.table('listBuckets').bulkPut(list)
    await v12.table('threadBuckets').bulkPut(threads)
    v12.close()
    const db = await stores.openNewest(name)
    expect(db.tables.map((t) => t.name)).not.toContain('listBuckets')
    expect(db.tables.map((t) => t.name)).not.toContain('threadBuckets')
    expect(await readDayRows(db.listDayCounts, inbox)).toEqual(list.slice(0, 2))
    expect(await readDayRows(db.listDayCounts, sent)).toEqual([list[2]])
    expect(await readDayRows(db.threadDayCounts)).toEqual(threads)
    expect(await db.listDayCounts.count()).toBe(3)
  })
})
