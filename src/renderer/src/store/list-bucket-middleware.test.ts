import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { MailDb, openMailStore, SCHEMA_VERSIONS, type MailStore } from './mail-db'
import { bucketDeltas, bucketDrift, DAY_MS, type ListBucketRow } from './list-buckets'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = folderId('a', 'INBOX')
const archive = folderId('a', 'Archive')

function message(folder: string, uid: number, date: number, patch: Partial<MessageRow> = {}): MessageRow {
  return testMessageRow(uid, { folderId: folder, date, subject: `m${uid}`, unread: 1, ...patch })
}

/** The buckets as they should be: counted from the messages themselves. */
async function counted(db: MailDb): Promise<ListBucketRow[]> {
  return sorted(bucketDeltas([], await db.messages.toArray()))
}
const sorted = (rows: ListBucketRow[]): ListBucketRow[] =>
  [...rows].sort((a, b) => a.folderId.localeCompare(b.folderId) || a.day - b.day)

async function freshStore(): Promise<MailDb> {
  const s = await openMailStore(`buckets-${++counter}`)
  stores.push(s)
  return s.fast
}

describe('list buckets kept by the store', () => {
  it('follows add, put, update, modify, delete and clear, in and out of explicit transactions', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await db.messages.bulkAdd(
      Array.from({ length: 40 }, (_, i) => message(i % 3 ? inbox : archive, i + 1, day(i % 7))),
      { allKeys: true },
    )
    expect(sorted(await db.listBuckets.toArray())).toEqual(await counted(db))

    // Flags (update), a move (modify with an object), a date change (put of the whole row), a delete.
    await db.messages.update(ids[0]!, { unread: 0, flagged: 1 })
    await db.messages.where('folderId').equals(archive).limit(3).modify({ folderId: inbox })
    const row = (await db.messages.get(ids[5]!))!
    await db.messages.put({ ...row, date: day(30) })
    await db.messages.bulkDelete([ids[7]!, ids[8]!, 99_999])
    // A modify with a function, and writes that touch no counted field (they must not be lost either).
    await db.messages
      .where('folderId')
      .equals(inbox)
      .modify((m) => {
        if (m.uid! % 2 === 0) m.unread = 0
      })
    await db.messages.update(ids[9]!, { snippet: 'filled later' })
    await db.transaction('rw', db.messages, async () => {
      // Parallel writes in one transaction, one of them to the same row.
      await Promise.all([
        db.messages.update(ids[10]!, { flagged: 1 }),
        db.messages.update(ids[10]!, { unread: 0 }),
        db.messages.add(message(archive, 500, day(2))),
      ])
    })
    expect(sorted(await db.listBuckets.toArray())).toEqual(await counted(db))

    await db.messages.where('folderId').equals(archive).delete()
    expect(sorted(await db.listBuckets.toArray())).toEqual(await counted(db))
    await db.messages.clear()
    expect(await db.listBuckets.count()).toBe(0)
  })

  it('reports counts that no longer match the rows (the check the lab suites run on their stores)', async () => {
    const db = await freshStore()
    await db.messages.bulkAdd([message(inbox, 1, 10), message(inbox, 2, DAY_MS * 3)])
    expect(bucketDrift(await db.listBuckets.toArray(), await db.messages.toArray())).toEqual([])
    // A write that bypasses the store's middleware (another connection without it) leaves the counts behind.
    const bare = new Dexie(db.name)
    bare.version(db.verno).stores(SCHEMA_VERSIONS.at(-1)!.stores)
    await bare.table('messages').add(message(archive, 3, 10))
    bare.close()
    expect(bucketDrift(await db.listBuckets.toArray(), await db.messages.toArray())).toEqual([
      { expected: { folderId: archive, day: 0, all: 1, unread: 1, flagged: 0 }, kept: null },
    ])
  })

  it('leaves out a row whose date is not a number (no list index holds it) instead of failing its write', async () => {
    const db = await freshStore()
    await db.messages.bulkAdd([message(inbox, 1, Number.NaN), message(inbox, 2, DAY_MS)])
    expect(await db.messages.count()).toBe(2)
    expect(await db.listBuckets.toArray()).toEqual([
      { folderId: inbox, day: 1, all: 1, unread: 1, flagged: 0 },
    ])
  })

  it('rolls back with the rows when the transaction fails', async () => {
    const db = await freshStore()
    await db.messages.add(message(inbox, 1, DAY_MS))
    await expect(
      db.transaction('rw', db.messages, async () => {
        await db.messages.add(message(inbox, 2, DAY_MS))
        // Same folder and UID: the unique index refuses it and the transaction aborts.
        await db.messages.add(message(inbox, 1, DAY_MS))
      }),
    ).rejects.toThrow()
    expect(await db.listBuckets.toArray()).toEqual([
      { folderId: inbox, day: 1, all: 1, unread: 1, flagged: 0 },
    ])
  })

  it('counts only the rows a bulk add actually stored', async () => {
    const db = await freshStore()
    await db.messages.add(message(inbox, 1, DAY_MS))
    await expect(
      db.messages.bulkAdd([message(inbox, 2, DAY_MS), message(inbox, 1, DAY_MS), message(inbox, 3, DAY_MS)]),
    ).rejects.toThrow()
    // bulkAdd outside a transaction keeps the rows that succeeded.
    expect(await db.messages.count()).toBe(3)
    expect(sorted(await db.listBuckets.toArray())).toEqual(await counted(db))
  })

  it('is filled by the upgrade from version 4', async () => {
    const name = `buckets-upgrade-${++counter}`
    const v4 = new Dexie(name)
    v4.version(4).stores(SCHEMA_VERSIONS[3]!.stores)
    await v4
      .table('messages')
      .bulkAdd([
        message(inbox, 1, 10),
        message(inbox, 2, DAY_MS + 10, { flagged: 1 }),
        message(archive, 3, 20, { unread: 0 }),
      ])
    v4.close()
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(sorted(await db.listBuckets.toArray())).toEqual([
      { folderId: archive, day: 0, all: 1, unread: 0, flagged: 0 },
      { folderId: inbox, day: 0, all: 1, unread: 1, flagged: 0 },
      { folderId: inbox, day: 1, all: 1, unread: 1, flagged: 1 },
    ])
    db.close()
  })
})
