import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { MailDb, openMailStore, SCHEMA_VERSIONS, type MailStore } from './mail-db'
import { DAY_MS } from './list-buckets'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'
import { threadDrift } from './threads'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

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
  const s = await openMailStore(`threads-${++counter}`)
  stores.push(s)
  return s.fast
}

async function drift(db: MailDb): Promise<unknown[]> {
  return threadDrift(
    await db.threads.toArray(),
    await db.threadBuckets.toArray(),
    await db.messages.toArray(),
  )
}

describe('thread rows kept by the store', () => {
  it('follow every write path, also when the newest message of a thread leaves it', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await db.messages.bulkAdd(
      Array.from({ length: 60 }, (_, i) => message(i % 4 ? inbox : archive, i + 1, `t${i % 9}`, day(i % 11))),
      { allKeys: true },
    )
    expect(await drift(db)).toEqual([])
    expect(await db.threads.count()).toBeGreaterThan(9)

    const heads = await db.threads
      .where('[folderId+date]')
      .between([inbox, Dexie.minKey], [inbox, Dexie.maxKey])
      .toArray()
    // A head marked read and flagged (stays the head), a head deleted, a head moved away, a head made older,
    // a head moved to another thread.
    await db.messages.update(heads[0]!.headId, { unread: 0, flagged: 1 })
    await db.messages.delete(heads[1]!.headId)
    await db.messages.update(heads[2]!.headId, { folderId: archive })
    const older = (await db.messages.get(heads[3]!.headId))!
    await db.messages.put({ ...older, date: day(-5) })
    await db.messages.update(heads[4]!.headId, { threadId: 'elsewhere' })
    expect(await drift(db)).toEqual([])

    // Bulk modify (with an object and with a function), a delete of a whole folder's part, parallel writes
    // in one transaction (two of them on one row), and a write of the newest message in a thread.
    await db.messages.where('folderId').equals(archive).limit(5).modify({ folderId: inbox })
    await db.messages
      .where('folderId')
      .equals(inbox)
      .modify((m) => {
        if (m.uid! % 3 === 0) m.threadId = 't1'
      })
    await db.messages.bulkDelete([ids[7]!, ids[8]!, 99_999])
    await db.transaction('rw', db.messages, async () => {
      await Promise.all([
        db.messages.update(ids[10]!, { flagged: 1 }),
        db.messages.update(ids[10]!, { date: day(40) }),
        db.messages.add(message(archive, 500, 't2', day(50))),
        db.messages.where('threadId').equals('t5').delete(),
      ])
    })
    expect(await drift(db)).toEqual([])

    await db.messages.where('folderId').equals(archive).delete()
    expect(await drift(db)).toEqual([])
    await db.messages.clear()
    expect(await db.threads.count()).toBe(0)
    expect(await db.threadBuckets.count()).toBe(0)
  })

  it('stay right for header batches: cached rows stored again beside new ones, and a bulk add that partly fails', async () => {
    const db = await freshStore()
    const day = (n: number): number => n * DAY_MS + 3600_000
    const ids = await db.messages.bulkAdd(
      Array.from({ length: 30 }, (_, i) => message(inbox, i + 1, `t${i % 6}`, day(i % 5))),
      { allKeys: true },
    )
    // One transaction, several batches (as a sync pass stores them): rows already cached come back with their
    // ids (one now newer, one older, one read), new rows join existing threads on later days (their thread
    // moves to another day's count) or start new ones, and one batch holds two rows of one new thread.
    await db.transaction('rw', db.messages, async () => {
      const cached = await db.messages.bulkGet([ids[0]!, ids[5]!, ids[6]!])
      await db.messages.bulkPut([
        { ...cached[0]!, date: day(20) },
        { ...cached[1]!, date: day(-3) },
        { ...cached[2]!, unread: 0 },
        message(inbox, 100, 't1', day(9)),
        message(inbox, 101, 'fresh', day(2)),
        message(inbox, 102, 'fresh', day(12), { flagged: 1 }),
      ])
      await db.messages.bulkPut([message(inbox, 103, 't2', day(1)), message(inbox, 104, 't3', day(30))])
    })
    expect(await drift(db)).toEqual([])
    expect((await db.threads.get([inbox, 'fresh']))?.count).toBe(2)

    // bulkAdd outside a transaction keeps the rows that succeeded; the thread rows count only those.
    await expect(
      db.messages.bulkAdd([
        message(inbox, 200, 'late', day(40)),
        message(inbox, 1, 't0', day(50)),
        message(inbox, 201, 't0', day(41)),
      ]),
    ).rejects.toThrow()
    expect(await drift(db)).toEqual([])
    expect((await db.threads.get([inbox, 't0']))?.date).toBe(day(41))
  })

  it('keep the thread list in newest-message order, with counts per thread', async () => {
    const db = await freshStore()
    await db.messages.bulkAdd([
      message(inbox, 1, 'a', 10),
      message(inbox, 2, 'b', 20, { unread: 0 }),
      message(inbox, 3, 'a', 30, { flagged: 1 }),
      message(inbox, 4, 'b', 5),
    ])
    const order = async (): Promise<unknown[]> =>
      (
        await db.threads
          .where('[folderId+date]')
          .between([inbox, Dexie.minKey], [inbox, Dexie.maxKey])
          .reverse()
          .toArray()
      ).map((t) => [t.threadId, t.date, t.count, t.unread, t.flagged])
    expect(await order()).toEqual([
      ['a', 30, 2, 2, 1],
      ['b', 20, 2, 1, 0],
    ])
    // Thread a's newest message goes: its next newest (date 10) now sorts it below b.
    await db.messages.where('[folderId+uid]').equals([inbox, 3]).delete()
    expect(await order()).toEqual([
      ['b', 20, 2, 1, 0],
      ['a', 10, 1, 1, 0],
    ])
    expect(await db.threadBuckets.toArray()).toEqual([
      { folderId: inbox, day: 0, all: 2, unread: 2, flagged: 0 },
    ])
  })

  it('reports thread rows that no longer match the messages (the check the lab suites run)', async () => {
    const db = await freshStore()
    await db.messages.bulkAdd([message(inbox, 1, 'a', 10), message(inbox, 2, 'a', 20)])
    expect(await drift(db)).toEqual([])
    // A write that bypasses the store's middleware leaves the thread behind.
    const bare = new Dexie(db.name)
    bare.version(db.verno).stores(SCHEMA_VERSIONS.at(-1)!.stores)
    await bare.table('messages').add(message(inbox, 3, 'a', 30))
    bare.close()
    expect(await drift(db)).toHaveLength(1)
  })

  it('are filled by the upgrade from version 6, which keeps rows, counts and queued actions', async () => {
    const name = `threads-upgrade-${++counter}`
    const v6 = new Dexie(name)
    v6.version(6).stores(SCHEMA_VERSIONS[5]!.stores)
    await v6
      .table('messages')
      .bulkAdd([
        message(inbox, 1, 'a', 10),
        message(inbox, 2, 'a', DAY_MS + 10, { flagged: 1 }),
        message(archive, 3, 'a', 20, { unread: 0 }),
      ])
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
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await db.messages.count()).toBe(3)
    expect(await db.listBuckets.get([inbox, 0])).toEqual(bucket)
    expect(await db.pendingActions.count()).toBe(1)
    expect(await drift(db)).toEqual([])
    expect(await db.threads.get([inbox, 'a'])).toMatchObject({
      count: 2,
      unread: 2,
      flagged: 1,
      date: DAY_MS + 10,
    })
    db.close()
  })
})
