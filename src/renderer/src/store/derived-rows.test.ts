import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS, type MailDb } from './mail-db'
import { bucketDeltas, bucketDrift, DAY_MS, type ListBucketRow } from './list-buckets'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'
import { testStores } from './test-stores'
import type { MessageChunkRow } from './messages/chunk-layout'
import {
  addMessages,
  allMessages,
  countFolderMessages,
  deleteMessages,
  folderMessageIds,
  getMessage,
  messageTables,
  moveFolderMessages,
  putMessages,
  readFolderByDate,
  updateMessage,
} from './messages'
import { testThreadRows } from './test-thread-rows'
import { testDayCounts } from './test-day-counts'

const stores = testStores('buckets')

const inbox = folderId('a', 'INBOX')
const archive = folderId('a', 'Archive')

function message(folder: string, uid: number, date: number, patch: Partial<MessageRow> = {}): MessageRow {
  return testMessageRow(uid, { folderId: folder, date, subject: `m${uid}`, unread: 1, ...patch })
}

/** The buckets as they should be: counted from the messages themselves. */
async function counted(db: MailDb): Promise<ListBucketRow[]> {
  return sorted(bucketDeltas([], await allMessages(db)))
}
const sorted = (rows: ListBucketRow[]): ListBucketRow[] =>
  [...rows].sort((a, b) => a.folderId.localeCompare(b.folderId) || a.day - b.day)

async function kept(db: MailDb): Promise<ListBucketRow[]> {
  return sorted(await testDayCounts(db.listDayCounts).toArray())
}

async function freshStore(): Promise<MailDb> {
  return (await stores.freshStore()).fast
}

describe('list buckets kept by the store', () => {
  it('follow add, put, update, move, delete and delete-all, in and out of explicit transactions', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await addMessages(
      db,
      Array.from({ length: 40 }, (_, i) => message(i % 3 ? inbox : archive, i + 1, day(i % 7))),
    )
    expect(await kept(db)).toEqual(await counted(db))
    expect(await testDayCounts(db.listDayCounts).count()).toBeGreaterThan(7)

    // Flags, a move of single rows, a date change (put of the whole row), a delete (one id not stored).
    await updateMessage(db, ids[0]!, { unread: 0, flagged: 1 })
    for (const id of (await folderMessageIds(db, archive)).slice(0, 3))
      await updateMessage(db, id, { folderId: inbox })
    const row = (await getMessage(db, ids[5]!))!
    await putMessages(db, [{ ...row, date: day(30) }])
    await deleteMessages(db, [ids[7]!, ids[8]!, 99_999])
    // Writes that touch no counted field (they must not be lost either), one with a function per row.
    for (const m of await readFolderByDate(db, inbox, { filter: 'all' }))
      if (m.uid! % 2 === 0) await updateMessage(db, m.id!, { unread: 0 })
    await updateMessage(db, ids[9]!, { snippet: 'filled later' })
    expect((await getMessage(db, ids[9]!))?.snippet).toBe('filled later')
    await db.transaction('rw', messageTables(db), async () => {
      // Parallel writes in one transaction, two of them to the same row.
      await Promise.all([
        updateMessage(db, ids[10]!, { flagged: 1 }),
        updateMessage(db, ids[10]!, { unread: 0 }),
        addMessages(db, [message(archive, 500, day(2))]),
      ])
    })
    expect(await getMessage(db, ids[10]!)).toMatchObject({ flagged: 1, unread: 0 })
    expect(await kept(db)).toEqual(await counted(db))

    // A folder renamed: every row and count moves with it.
    const moved = await moveFolderMessages(db, archive, folderId('a', 'Old'))
    expect(moved).toBeGreaterThan(0)
    expect(await countFolderMessages(db, archive)).toBe(0)
    expect(await kept(db)).toEqual(await counted(db))
    expect((await kept(db)).some((b) => b.folderId === archive)).toBe(false)

    await deleteMessages(
      db,
      (await allMessages(db)).map((m) => m.id!),
    )
    expect(await allMessages(db)).toEqual([])
    expect(await testDayCounts(db.listDayCounts).count()).toBe(0)
  })

  it('report counts that no longer match the rows (the check the lab suites run on their stores)', async () => {
    const db = await freshStore()
    await addMessages(db, [message(inbox, 1, 10), message(inbox, 2, DAY_MS * 3)])
    expect(bucketDrift(await testDayCounts(db.listDayCounts).toArray(), await allMessages(db))).toEqual([])
    // A write that bypasses the store's functions (a row pushed into a chunk by hand) leaves the counts behind.
    const bare = new Dexie(db.name)
    bare.version(db.verno).stores(SCHEMA_VERSIONS.at(-1)!.stores)
    const chunks = bare.table<MessageChunkRow>('messageChunks')
    const [chunk] = await chunks.toArray()
    await chunks.put({ ...chunk!, rows: [...chunk!.rows, { ...message(inbox, 3, 10), id: 3 }] })
    bare.close()
    expect(bucketDrift(await testDayCounts(db.listDayCounts).toArray(), await allMessages(db))).toEqual([
      {
        expected: { folderId: inbox, day: 0, all: 2, unread: 2, flagged: 0 },
        kept: { folderId: inbox, day: 0, all: 1, unread: 1, flagged: 0 },
      },
    ])
  })

  it('leave out a row whose date is not a number, which is stored and listed as the oldest', async () => {
    const db = await freshStore()
    const [nan, dated] = await addMessages(db, [message(inbox, 1, Number.NaN), message(inbox, 2, DAY_MS)])
    expect(await countFolderMessages(db, inbox)).toBe(2)
    expect(await testDayCounts(db.listDayCounts).toArray()).toEqual([
      { folderId: inbox, day: 1, all: 1, unread: 1, flagged: 0 },
    ])
    expect(
      (await readFolderByDate(db, inbox, { filter: 'all', newestFirst: true })).map((m) => m.id),
    ).toEqual([dated, nan])
    // A date range leaves it out; its flags, a real date and a delete keep the counts right.
    expect((await readFolderByDate(db, inbox, { filter: 'all', from: 0 })).map((m) => m.id)).toEqual([dated])
    await updateMessage(db, nan!, { flagged: 1 })
    expect(await kept(db)).toEqual(await counted(db))
    await updateMessage(db, nan!, { date: 2 * DAY_MS })
    expect(await kept(db)).toEqual(await counted(db))
    expect(await testDayCounts(db.listDayCounts).count()).toBe(2)
    await updateMessage(db, nan!, { date: Number.NaN })
    await deleteMessages(db, [nan!])
    expect(await kept(db)).toEqual(await counted(db))
  })

  it('roll back with the rows when the transaction fails', async () => {
    const db = await freshStore()
    const [first] = await addMessages(db, [message(inbox, 1, DAY_MS)])
    const before = await kept(db)
    await expect(
      db.transaction('rw', messageTables(db), async () => {
        await addMessages(db, [message(inbox, 2, DAY_MS), message(archive, 9, 5 * DAY_MS)])
        await updateMessage(db, first!, { flagged: 1, date: 3 * DAY_MS })
        await moveFolderMessages(db, archive, folderId('a', 'Elsewhere'))
        // Same folder and UID: refused, and the transaction aborts.
        await addMessages(db, [message(inbox, 1, DAY_MS)])
      }),
    ).rejects.toThrow(/ConstraintError|UID 1/)
    expect(before).toEqual([{ folderId: inbox, day: 1, all: 1, unread: 1, flagged: 0 }])
    expect(await kept(db)).toEqual(before)
    expect((await allMessages(db)).map((m) => [m.id, m.uid, m.flagged, m.date])).toEqual([
      [first, 1, 0, DAY_MS],
    ])
    expect(await db.messageFolders.count()).toBe(1)
    expect(await testThreadRows(db).count()).toBe(1)
  })

  it('count nothing of an add that is refused (a duplicate UID refuses the whole call)', async () => {
    const db = await freshStore()
    await addMessages(db, [message(inbox, 1, DAY_MS)])
    await expect(
      addMessages(db, [message(inbox, 2, DAY_MS), message(inbox, 1, DAY_MS), message(inbox, 3, DAY_MS)]),
    ).rejects.toThrow(/ConstraintError|UID 1/)
    expect(await countFolderMessages(db, inbox)).toBe(1)
    expect(await kept(db)).toEqual(await counted(db))
    expect(await kept(db)).toEqual([{ folderId: inbox, day: 1, all: 1, unread: 1, flagged: 0 }])
  })

  it('are filled by the upgrade from version 4 and stay right through the move into chunks', async () => {
    const name = stores.freshName()
    const v4 = new Dexie(name)
    v4.version(4).stores(SCHEMA_VERSIONS[3]!.stores)
    const ids = (await v4
      .table('messages')
      .bulkAdd(
        [
          message(inbox, 1, 10),
          message(inbox, 2, DAY_MS + 10, { flagged: 1 }),
          message(archive, 3, 20, { unread: 0 }),
        ],
        { allKeys: true },
      )) as number[]
    v4.close()
    const db = await stores.openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await kept(db)).toEqual([
      { folderId: archive, day: 0, all: 1, unread: 0, flagged: 0 },
      { folderId: inbox, day: 0, all: 1, unread: 1, flagged: 0 },
      { folderId: inbox, day: 1, all: 1, unread: 1, flagged: 1 },
    ])
    expect((await allMessages(db)).map((m) => m.id)).toEqual(ids)
    expect((await readFolderByDate(db, inbox, { filter: 'flagged' })).map((m) => m.id)).toEqual([ids[1]])
    // Writes after the upgrade keep the counts the upgrade made.
    await updateMessage(db, ids[2]!, { folderId: inbox })
    await addMessages(db, [message(archive, 4, 2 * DAY_MS)])
    expect(await kept(db)).toEqual(await counted(db))
  })
})
