import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS, type MailDb } from './mail-db'
import { DAY_MS } from './list-buckets'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'
import { testStores } from './test-stores'
import { threadDrift } from './threads'
import type { MessageChunkRow } from './messages/chunk-layout'
import {
  addMessages,
  allMessages,
  deleteMessages,
  folderMessages,
  getMessage,
  getMessages,
  messageIdsByUids,
  messageTables,
  moveFolderMessages,
  putMessages,
  threadMessageIdsIn,
  updateMessage,
} from './messages'
import { testThreadRows } from './test-thread-rows'
import { testDayCounts } from './test-day-counts'

const stores = testStores('threads')

const inbox = folderId('a', 'INBOX')
const archive = folderId('a', 'Archive')

function message(
  folder: string,
  uid: number,
  thread: string,
  date: number,
  patch: Partial<MessageRow> = {},
): MessageRow {
  return testMessageRow(uid, {
    folderId: folder,
    threadId: thread,
    date,
    subject: `m${uid}`,
    unread: 1,
    ...patch,
  })
}

async function freshStore(): Promise<MailDb> {
  return (await stores.freshStore()).fast
}

async function drift(db: MailDb): Promise<unknown[]> {
  return threadDrift(
    await testThreadRows(db).toArray(),
    await testDayCounts(db.threadDayCounts).toArray(),
    await allMessages(db),
  )
}

/** The folder's thread rows, oldest head first. */
function threadsOf(db: MailDb, folder: string): Promise<{ headId: number; threadId: string }[]> {
  return testThreadRows(db).byDate(folder)
}

describe('thread rows kept by the store', () => {
  it('follow every write path, also when the newest message of a thread leaves it', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await addMessages(
      db,
      Array.from({ length: 60 }, (_, i) => message(i % 4 ? inbox : archive, i + 1, `t${i % 9}`, day(i % 11))),
    )
    expect(await drift(db)).toEqual([])
    expect(await testThreadRows(db).count()).toBeGreaterThan(9)

    const heads = await threadsOf(db, inbox)
    // A head marked read and flagged (stays the head), a head deleted, a head moved away, a head made older,
    // a head moved to another thread.
    await updateMessage(db, heads[0]!.headId, { unread: 0, flagged: 1 })
    await deleteMessages(db, [heads[1]!.headId])
    await updateMessage(db, heads[2]!.headId, { folderId: archive })
    const older = (await getMessage(db, heads[3]!.headId))!
    await putMessages(db, [{ ...older, date: day(-5) }])
    await updateMessage(db, heads[4]!.headId, { threadId: 'elsewhere' })
    expect(await drift(db)).toEqual([])

    // Moves of single rows, thread changes over a folder, a delete of several (one not stored), parallel writes
    // in one transaction (two of them on one row, one deleting a whole thread), and a write of the newest
    // message in a thread.
    for (const m of (await folderMessages(db, archive)).slice(0, 5))
      await updateMessage(db, m.id!, { folderId: inbox })
    for (const m of await folderMessages(db, inbox))
      if (m.uid! % 3 === 0) await updateMessage(db, m.id!, { threadId: 't1' })
    await deleteMessages(db, [ids[7]!, ids[8]!, 99_999])
    const t5 = [
      ...(await threadMessageIdsIn(db, inbox, 't5')),
      ...(await threadMessageIdsIn(db, archive, 't5')),
    ]
    expect(t5.length).toBeGreaterThan(0)
    await db.transaction('rw', messageTables(db), async () => {
      await Promise.all([
        updateMessage(db, ids[10]!, { flagged: 1 }),
        updateMessage(db, ids[10]!, { date: day(40) }),
        addMessages(db, [message(archive, 500, 't2', day(50))]),
        deleteMessages(db, t5),
      ])
    })
    expect(await getMessage(db, ids[10]!)).toMatchObject({ flagged: 1, date: day(40) })
    expect(await drift(db)).toEqual([])
    expect((await testThreadRows(db).toArray()).filter((t) => t.threadId === 't5')).toEqual([])

    // A folder renamed: its threads go with it.
    await moveFolderMessages(db, archive, folderId('a', 'Old'))
    expect(await drift(db)).toEqual([])
    expect(await threadsOf(db, archive)).toEqual([])
    await deleteMessages(
      db,
      (await folderMessages(db, folderId('a', 'Old'))).map((m) => m.id!),
    )
    expect(await drift(db)).toEqual([])
    await deleteMessages(
      db,
      (await allMessages(db)).map((m) => m.id!),
    )
    expect(await testThreadRows(db).count()).toBe(0)
    expect(await testDayCounts(db.threadDayCounts).count()).toBe(0)
  })

  it('stay right for header batches: cached rows stored again beside new ones, and an add that is refused', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await addMessages(
      db,
      Array.from({ length: 30 }, (_, i) => message(inbox, i + 1, `t${i % 6}`, day(i % 5))),
    )
    // One transaction, several batches (as a sync pass stores them): rows already cached come back with their
    // ids (one now newer, one older, one read), new rows join existing threads on later days (their thread
    // moves to another day's count) or start new ones, and one batch holds two rows of one new thread.
    await db.transaction('rw', messageTables(db), async () => {
      const cached = await getMessages(db, [ids[0]!, ids[5]!, ids[6]!])
      await putMessages(db, [
        { ...cached[0]!, date: day(20) },
        { ...cached[1]!, date: day(-3) },
        { ...cached[2]!, unread: 0 },
        message(inbox, 100, 't1', day(9)),
        message(inbox, 101, 'fresh', day(2)),
        message(inbox, 102, 'fresh', day(12), { flagged: 1 }),
      ])
      await putMessages(db, [message(inbox, 103, 't2', day(1)), message(inbox, 104, 't3', day(30))])
    })
    expect(await drift(db)).toEqual([])
    expect((await testThreadRows(db).get([inbox, 'fresh']))?.count).toBe(2)
    expect(await messageIdsByUids(db, inbox, [1, 6, 7])).toEqual(
      expect.arrayContaining([ids[0], ids[5], ids[6]]),
    )

    // An add holding a UID the folder has is refused whole; the thread rows count none of it.
    const t0 = await testThreadRows(db).get([inbox, 't0'])
    await expect(
      addMessages(db, [
        message(inbox, 200, 'late', day(40)),
        message(inbox, 1, 't0', day(50)),
        message(inbox, 201, 't0', day(41)),
      ]),
    ).rejects.toThrow(/ConstraintError|UID 1/)
    expect(await drift(db)).toEqual([])
    expect(await testThreadRows(db).get([inbox, 'late'])).toBeUndefined()
    expect(await testThreadRows(db).get([inbox, 't0'])).toEqual(t0)
    await addMessages(db, [message(inbox, 201, 't0', day(41))])
    expect(await drift(db)).toEqual([])
    expect((await testThreadRows(db).get([inbox, 't0']))?.date).toBe(day(41))
  })

  it('keep the thread list in newest-message order, with counts per thread', async () => {
    const db = await freshStore()
    const ids = await addMessages(db, [
      message(inbox, 1, 'a', 10),
      message(inbox, 2, 'b', 20, { unread: 0 }),
      message(inbox, 3, 'a', 30, { flagged: 1 }),
      message(inbox, 4, 'b', 5),
    ])
    const order = async (): Promise<unknown[]> =>
      (await testThreadRows(db).byDate(inbox))
        .reverse()
        .map((t) => [t.threadId, t.date, t.count, t.unread, t.flagged])
    expect(await order()).toEqual([
      ['a', 30, 2, 2, 1],
      ['b', 20, 2, 1, 0],
    ])
    // Thread a's newest message goes: its next newest (date 10) now sorts it below b.
    await deleteMessages(db, await messageIdsByUids(db, inbox, [3]))
    expect(await order()).toEqual([
      ['b', 20, 2, 1, 0],
      ['a', 10, 1, 1, 0],
    ])
    expect((await testThreadRows(db).get([inbox, 'a']))?.headId).toBe(ids[0])
    expect(await testDayCounts(db.threadDayCounts).toArray()).toEqual([
      { folderId: inbox, day: 0, all: 2, unread: 2, flagged: 0 },
    ])
  })

  it('report thread rows that no longer match the messages (the check the lab suites run)', async () => {
    const db = await freshStore()
    await addMessages(db, [message(inbox, 1, 'a', 10), message(inbox, 2, 'a', 20)])
    expect(await drift(db)).toEqual([])
    // A write that bypasses the store's functions (a row pushed into a chunk by hand) leaves the thread behind.
    const bare = new Dexie(db.name)
    bare.version(db.verno).stores(SCHEMA_VERSIONS.at(-1)!.stores)
    const chunks = bare.table<MessageChunkRow>('messageChunks')
    const [chunk] = await chunks.toArray()
    await chunks.put({ ...chunk!, rows: [{ ...message(inbox, 3, 'a', 30), id: 3 }, ...chunk!.rows] })
    bare.close()
    expect(await drift(db)).toHaveLength(1)
  })

  it('are filled by the upgrade from version 6, and the move into chunks keeps rows, ids, counts and queued actions', async () => {
    const name = stores.freshName()
    const v6 = new Dexie(name)
    v6.version(6).stores(SCHEMA_VERSIONS[5]!.stores)
    const ids = (await v6
      .table('messages')
      .bulkAdd(
        [
          message(inbox, 1, 'a', 10),
          message(inbox, 2, 'a', DAY_MS + 10, { flagged: 1 }),
          message(archive, 3, 'a', 20, { unread: 0 }),
        ],
        { allKeys: true },
      )) as number[]
    const bucket = { folderId: inbox, day: 0, all: 1, unread: 1, flagged: 0 }
    await v6.table('listBuckets').put(bucket)
    await v6.table('pendingActions').add({
      accountId: 'a',
      kind: 'imap',
      payload: { x: 1 },
      messageIds: [1],
      createdAt: 5,
      attempts: 0,
      lastError: null,
    })
    v6.close()
    const db = await stores.openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect((await allMessages(db)).map((m) => m.id)).toEqual(ids)
    expect(await testDayCounts(db.listDayCounts).get([inbox, 0])).toEqual(bucket)
    expect(await db.pendingActions.count()).toBe(1)
    expect(await drift(db)).toEqual([])
    expect(await testThreadRows(db).get([inbox, 'a'])).toMatchObject({
      count: 2,
      unread: 2,
      flagged: 1,
      date: DAY_MS + 10,
      headId: ids[1],
    })
    // The thread head is found by its id after the move into chunks, and writes keep the rows in step.
    expect((await getMessage(db, ids[1]!))?.uid).toBe(2)
    await deleteMessages(db, [ids[1]!])
    expect(await drift(db)).toEqual([])
    expect((await testThreadRows(db).get([inbox, 'a']))?.headId).toBe(ids[0])
  })
})
