import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { closeThreadCache, openThreadCache } from '../../store/derived-rows'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId, type FolderRow, type MessageRow } from '../../store/rows'
import { testMessageRow } from '../../store/test-message-row'
import { threadDrift, threadKey } from '../../store/threads'
import { storeHeaderBatch } from './store-header-batch'
import { testHeaderRecord, testImapInbox } from './test-header-record'
import {
  addMessage,
  allMessages,
  deleteMessage,
  messageAtUid,
  messageTables,
  updateMessage,
} from '../../store/messages'
import { testThreadRows } from '../../store/test-thread-rows'
import { testDayCounts } from '../../store/test-day-counts'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function setup(): Promise<{ store: MailStore; folder: FolderRow }> {
  const store = await openMailStore(`store-header-batch-${++counter}`)
  stores.push(store)
  const folder = testImapInbox()
  await store.fast.folders.put(folder)
  return { store, folder }
}

function header(uid: number, snippet: string | null = `text ${uid}`): HeaderRecordWire {
  return testHeaderRecord(uid, { snippet })
}

const uidsOf = async (store: MailStore): Promise<number[]> =>
  (await allMessages(store.fast)).map((m) => m.uid!).sort((a, b) => a - b)

describe('storeHeaderBatch', () => {
  it('stores a batch with snippets', async () => {
    const { store, folder } = await setup()
    expect(await storeHeaderBatch(store, folder, [header(3), header(2), header(1)])).toBe(3)
    expect(await uidsOf(store)).toEqual([1, 2, 3])
    const row = await messageAtUid(store.fast, folder.id, 2)
    expect(row?.snippet).toBe('text 2')
  })

  it('updates cached UIDs of a batch fetched again in place (no duplicate, no loss)', async () => {
    const { store, folder } = await setup()
    await storeHeaderBatch(store, folder, [header(5), header(4)])
    const cached = await messageAtUid(store.fast, folder.id, 4)
    const body = { file: 'a1.0', offset: 0, length: 10 }
    await updateMessage(store.fast, cached!.id!, { bodyState: 'full', body })
    const added = await storeHeaderBatch(store, folder, [header(6), header(5, null), header(4)])
    expect(added).toBe(1)
    expect(await uidsOf(store)).toEqual([4, 5, 6])
    const after = await messageAtUid(store.fast, folder.id, 4)
    expect(after?.id).toBe(cached!.id)
    expect(after?.bodyState).toBe('full')
    // Where its stored bytes are stays too: without it the reader would look in the old bodies table.
    expect(after?.body).toEqual(body)
    // A batch without snippets keeps the one already stored.
    const five = await messageAtUid(store.fast, folder.id, 5)
    expect(five?.snippet).toBe('text 5')
  })

  it('updates cached rows of a sparse batch (UIDs far apart) and leaves the rows between alone', async () => {
    const { store, folder } = await setup()
    await storeHeaderBatch(store, folder, [header(10), header(500), header(1000)])
    await storeHeaderBatch(store, folder, [header(200)])
    const added = await storeHeaderBatch(store, folder, [header(1000, 'new text'), header(10), header(2000)])
    expect(added).toBe(1)
    expect(await uidsOf(store)).toEqual([10, 200, 500, 1000, 2000])
    const row = await messageAtUid(store.fast, folder.id, 1000)
    expect(row?.snippet).toBe('new text')
  })
})

/** A header in thread `root`, dated `uid` hours into 2026 (so older UIDs are older), read when `seen`. */
function threaded(uid: number, root: string, seen = false): HeaderRecordWire {
  const date = new Date(Date.UTC(2026, 0, 1) + uid * 3600_000).toUTCString()
  return { ...header(uid), date, references: [`<${root}@test>`], flags: seen ? ['\\Seen'] : [] }
}

/** Newest first, as a first pass fetches them: UIDs high..low, in threads r0..r4, every third one read. */
const batch = (high: number, low: number): HeaderRecordWire[] =>
  Array.from({ length: high - low + 1 }, (_, i) => high - i).map((uid) =>
    threaded(uid, `r${uid % 5}`, uid % 3 === 0),
  )

async function drift(store: MailStore): Promise<unknown[]> {
  const { fast } = store
  return threadDrift(
    await testThreadRows(fast).toArray(),
    await testDayCounts(fast.threadDayCounts).toArray(),
    await allMessages(fast),
  )
}

describe('storeHeaderBatch with a pass cache of thread rows', () => {
  it('keeps the thread rows right across batches into an empty folder, and holds what it wrote', async () => {
    const { store, folder } = await setup()
    const cache = openThreadCache(folder.id)
    try {
      // A thread row nothing counts (as if written behind the store's back): the cache of an empty folder
      // does not read it, so the batch's upkeep writes the thread from the messages alone. Dated on the day
      // of the thread's newest message (UID 100), so it sits in the day record the upkeep rewrites
      // (thread-days.ts).
      await testThreadRows(store.fast).put({
        folderId: folder.id,
        threadId: '<r0@test>',
        date: Date.UTC(2026, 0, 1) + 100 * 3600_000,
        headId: 1,
        count: 7,
        unread: 7,
        flagged: 0,
      })
      await storeHeaderBatch(store, folder, batch(100, 81), cache)
      await storeHeaderBatch(store, folder, batch(80, 61), cache)
      // A batch fetched again (a retry after a dropped connection) with one message read meanwhile.
      await storeHeaderBatch(store, folder, [threaded(70, 'r0', true), ...batch(69, 55)], cache)
      expect(await drift(store)).toEqual([])
      expect(cache.valid).toBe(true)
      const kept = await testThreadRows(store.fast).toArray()
      expect(kept).toHaveLength(5)
      for (const t of kept) expect(cache.rows.get(threadKey(t.folderId, t.threadId))).toEqual(t)
    } finally {
      closeThreadCache(cache)
    }
  })

  it("is not used once another write changed the folder's threads, and keeps nothing of a failed batch", async () => {
    const { store, folder } = await setup()
    const elsewhere = folderId('a1', 'Archive')
    const row = (uid: number, inFolder = folder.id): Promise<MessageRow | undefined> =>
      messageAtUid(store.fast, inFolder, uid)
    // What the user may do while the pass goes on: mark read, delete, move a message out of the folder, move
    // one in from another folder. Each time the cache holds the folder's thread rows as committed.
    const writes: [string, () => Promise<unknown>][] = [
      ['mark read', async () => updateMessage(store.fast, (await row(97))!.id!, { unread: 0 })],
      ['delete', async () => deleteMessage(store.fast, (await row(98))!.id!)],
      ['move out', async () => updateMessage(store.fast, (await row(80))!.id!, { folderId: elsewhere })],
      [
        'move in',
        async () => {
          const { id, ...archived } = testMessageRow(5000, { folderId: elsewhere, threadId: '<r1@test>' })
          void id
          const added = await addMessage(store.fast, archived)
          return updateMessage(store.fast, added, { folderId: folder.id })
        },
      ],
    ]
    let high = 100
    for (const [what, write] of writes) {
      const cache = openThreadCache(folder.id)
      try {
        for (const t of (await testThreadRows(store.fast).toArray()).filter(
          (t) => t.folderId === folder.id,
        )) {
          cache.rows.set(threadKey(t.folderId, t.threadId), t)
        }
        await storeHeaderBatch(store, folder, batch(high, high - 9), cache)
        await write()
        expect({ what, valid: cache.valid }).toEqual({ what, valid: false })
        await storeHeaderBatch(store, folder, batch(high - 10, high - 19), cache)
        expect({ what, drift: await drift(store) }).toEqual({ what, drift: [] })
      } finally {
        closeThreadCache(cache)
      }
      high -= 20
    }
    expect(await row(80, elsewhere)).toBeDefined()
    expect(await row(5000)).toBeDefined()

    const again = openThreadCache(folder.id)
    try {
      for (const t of await testThreadRows(store.fast).toArray())
        again.rows.set(threadKey(t.folderId, t.threadId), t)
      // A batch that fails after its rows were written: its upkeep's changes never reach the cache, and a
      // second batch in the same transaction sees the first one's.
      await expect(
        store.fast.transaction('rw', messageTables(store.fast), async () => {
          await storeHeaderBatch(store, folder, batch(60, 41), again)
          await storeHeaderBatch(store, folder, batch(40, 31), again)
          expect(await drift(store)).toEqual([])
          throw new Error('disk full')
        }),
      ).rejects.toThrow('disk full')
      expect(again.valid).toBe(true)
      await storeHeaderBatch(store, folder, batch(60, 41), again)
      await storeHeaderBatch(store, folder, batch(40, 31), again)
      expect(await drift(store)).toEqual([])
    } finally {
      closeThreadCache(again)
    }
  })
})
