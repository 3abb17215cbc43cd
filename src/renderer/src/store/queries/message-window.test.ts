import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import { folderId, type MessageRow } from '../rows'
import { testMessageRow } from '../test-message-row'
import { loadConversations } from './conversations'
import {
  countBefore,
  countRange,
  keptMessageCount,
  positionOf,
  readDayCounts,
  readWindow,
  readWindowIds,
  totalOf,
  type ListSpec,
} from './message-window'
import { indexWordsBatch } from '../search-index'
import { searchMessages } from './search'
import {
  addMessages,
  allMessageIds,
  allMessages,
  deleteMessages,
  folderMessageIds,
  getMessage,
} from '../messages'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = folderId('a', 'INBOX')
const other = folderId('a', 'Archive')

function row(folder: string, uid: number, patch: Partial<MessageRow> = {}): MessageRow {
  return testMessageRow(uid, {
    folderId: folder,
    date: uid * 1000,
    from: [{ name: 'Ann Example', address: 'ann@example.org' }],
    to: [{ name: '', address: 'me@example.org' }],
    unread: (uid % 3 === 0 ? 1 : 0) as 0 | 1,
    flagged: (uid % 10 === 0 ? 1 : 0) as 0 | 1,
    ...patch,
  })
}

/** The ids of the list `spec` describes, worked out from all rows: by date, equal dates by id, as IndexedDB. */
function listIds(stored: readonly MessageRow[], spec: ListSpec): number[] {
  const sign = spec.order === 'newest' ? -1 : 1
  return stored
    .filter((r) => spec.folderIds.includes(r.folderId) && (spec.filter === 'all' || r[spec.filter] === 1))
    .sort((a, b) => sign * (a.date - b.date) || sign * (a.id! - b.id!))
    .map((r) => r.id!)
}

async function storeWith(rows: MessageRow[]): Promise<MailStore> {
  const s = await openMailStore(`window-${++counter}`)
  stores.push(s)
  await addMessages(s.fast, rows)
  return s
}

describe('list windows from the flag+date indexes', () => {
  const rows = Array.from({ length: 100 }, (_, i) => row(inbox, i + 1)).concat([row(other, 1000)])

  it('reads an unread window newest first at an offset, and the same ids for Shift+click ranges', async () => {
    const { fast } = await storeWith(rows)
    const spec: ListSpec = { folderIds: [inbox], filter: 'unread', order: 'newest' }
    const unreadUids = rows
      .filter((r) => r.folderId === inbox && r.unread)
      .map((r) => r.uid!)
      .sort((a, b) => b - a)
    const window = await readWindow(fast, spec, 5, 4)
    expect(window.map((r) => r.uid)).toEqual(unreadUids.slice(5, 9))
    const ids = await readWindowIds(fast, spec, 5, 4)
    expect(ids).toEqual(window.map((r) => r.id))
    expect(await countRange(fast, spec, null, null)).toBe(unreadUids.length)
  })

  it('reads any window of a list spread over many days, for every filter, order and the unified Inbox', async () => {
    const HOUR = 3600_000
    // 300 messages over ~50 days in two folders, several on the same day, some with the same date.
    const spread = Array.from({ length: 300 }, (_, i) =>
      row(i % 4 === 0 ? other : inbox, i + 1, { date: Math.floor(i * 4.1) * HOUR + (i % 7 === 0 ? 0 : i) }),
    )
    const { fast } = await storeWith(spread)
    const stored = await allMessages(fast)
    for (const folderIds of [[inbox], [inbox, other]]) {
      for (const filter of ['all', 'unread', 'flagged'] as const) {
        for (const order of ['newest', 'oldest'] as const) {
          const spec: ListSpec = { folderIds, filter, order }
          const want = listIds(stored, spec)
          expect(totalOf(await readDayCounts(fast, spec))).toBe(want.length)
          for (const offset of [0, 1, 37, Math.floor(want.length / 2), want.length - 5, want.length - 1]) {
            const window = await readWindow(fast, spec, offset, 10)
            expect(
              window.map((r) => r.id),
              JSON.stringify({ spec, offset }),
            ).toEqual(want.slice(offset, offset + 10))
            expect(await readWindowIds(fast, spec, offset, 10)).toEqual(want.slice(offset, offset + 10))
          }
          expect(await readWindow(fast, spec, want.length, 10)).toEqual([])
        }
      }
    }
  })

  it('says where a message is in the list now, for every filter and order, and that one not in it is not', async () => {
    const HOUR = 3600_000
    // Several on a day, runs with the same date (the ids decide their order), two folders.
    const spread = Array.from({ length: 160 }, (_, i) =>
      row(i % 4 === 0 ? other : inbox, i + 1, { date: Math.floor(i / 3) * 7 * HOUR }),
    )
    const { fast } = await storeWith(spread)
    const stored = await allMessages(fast)
    for (const folderIds of [[inbox], [inbox, other]]) {
      for (const filter of ['all', 'unread', 'flagged'] as const) {
        for (const order of ['newest', 'oldest'] as const) {
          const spec: ListSpec = { folderIds, filter, order }
          const want = listIds(stored, spec)
          // Every other row: each run of equal dates is met at two of its three places.
          for (const r of stored.filter((_, i) => i % 2 === 0)) {
            const at = want.indexOf(r.id!)
            expect(await positionOf(fast, spec, r.id!), JSON.stringify({ spec, id: r.id })).toBe(
              at < 0 ? undefined : at,
            )
          }
        }
      }
    }
    const [gone] = await folderMessageIds(fast, inbox)
    await deleteMessages(fast, [gone!])
    expect(
      await positionOf(fast, { folderIds: [inbox], filter: 'all', order: 'newest' }, gone!),
    ).toBeUndefined()
  })

  it('steps over the rows of a very full day with a cursor, with the same rows as reading through', async () => {
    const busy = Array.from({ length: 700 }, (_, i) => row(inbox, i + 1, { date: 5000 + i * 10 }))
    const { fast } = await storeWith(busy)
    const spec: ListSpec = { folderIds: [inbox], filter: 'all', order: 'newest' }
    const want = busy.map((r) => r.uid).reverse()
    for (const offset of [10, 499, 501, 650]) {
      expect((await readWindow(fast, spec, offset, 20)).map((r) => r.uid)).toEqual(
        want.slice(offset, offset + 20),
      )
    }
  })

  it('counts the rows before a moment from whole days plus the part of its own day', async () => {
    const HOUR = 3600_000
    const spread = Array.from({ length: 120 }, (_, i) => row(inbox, i + 1, { date: i * 5 * HOUR }))
    const { fast } = await storeWith(spread)
    const spec: ListSpec = { folderIds: [inbox], filter: 'unread', order: 'newest' }
    const days = await readDayCounts(fast, spec)
    for (const t of [0, 7 * HOUR, 24 * HOUR, 24 * HOUR + 1, 100 * HOUR + 30, 1000 * HOUR]) {
      const want = spread.filter((r) => r.unread && r.date < t).length
      expect(await countBefore(fast, spec, days, t)).toBe(want)
    }
  })

  it('counts flagged rows in a date range and orders oldest first', async () => {
    const { fast } = await storeWith(rows)
    const spec: ListSpec = { folderIds: [inbox], filter: 'flagged', order: 'oldest' }
    expect(await countRange(fast, spec, 20_000, 60_000)).toBe(4) // uids 20, 30, 40, 50
    expect((await readWindow(fast, spec, 0, 3)).map((r) => r.uid)).toEqual([10, 20, 30])
  })
})

/** How much of the store the background indexer has reached when the search runs. */
const indexStates = [
  ['nothing indexed yet', 0],
  ['half the rows indexed', 0.5],
  ['every row indexed', 1],
] as const

async function indexPart(s: MailStore, part: number): Promise<void> {
  const count = (await allMessageIds(s.fast)).length
  let done = 0
  while (done < Math.floor(count * part)) done += await indexWordsBatch(s.fast, 1)
}

describe.each(indexStates)('search with %s', (_, part) => {
  it('finds word prefixes in subject, sender and recipients, newest stored first, across folders', async () => {
    const s = await storeWith([
      row(inbox, 1, { subject: 'Quarterly report' }),
      row(inbox, 2, { subject: 'Prepare the slides' }),
      row(other, 3, { subject: 'Reports for Q3', from: [{ name: 'Bob', address: 'bob@corp.example' }] }),
      row(inbox, 4, { subject: '会議の議事録' }),
    ])
    await indexPart(s, part)
    const { fast } = s
    expect((await searchMessages(fast, 'rep')).map((r) => r.uid)).toEqual([3, 1])
    expect((await searchMessages(fast, 'REPORT bob')).map((r) => r.uid)).toEqual([3])
    expect((await searchMessages(fast, 'bob@corp')).map((r) => r.uid)).toEqual([3])
    expect((await searchMessages(fast, '議事')).map((r) => r.uid)).toEqual([4])
    expect(await searchMessages(fast, 'zzqx')).toEqual([])
    // One Latin letter cannot narrow the index: the newest rows are scanned instead, still exact.
    expect((await searchMessages(fast, 'q', 2)).map((r) => r.uid)).toEqual([3, 1])
  })

  it('stops at the limit', async () => {
    const s = await storeWith(Array.from({ length: 30 }, (_, i) => row(inbox, i + 1)))
    await indexPart(s, part)
    expect((await searchMessages(s.fast, 'message', 10)).map((r) => r.uid)).toEqual(
      Array.from({ length: 10 }, (_, i) => 30 - i),
    )
    expect((await searchMessages(s.fast, 'message', 50)).map((r) => r.uid)).toEqual(
      Array.from({ length: 30 }, (_, i) => 30 - i),
    )
  })
})

describe('conversations from the [folderId+threadId+date] index', () => {
  it('groups a folder by thread, newest thread first, with every message id of each thread', async () => {
    const { fast } = await storeWith([
      row(inbox, 1, { threadId: 'a', date: 100, unread: 1 }),
      row(inbox, 2, { threadId: 'b', date: 200 }),
      row(inbox, 3, { threadId: 'a', date: 300, unread: 0 }),
      row(inbox, 4, { threadId: 'c', date: 50, unread: 1 }),
      row(other, 5, { threadId: 'a', date: 999 }),
    ])
    const all = await loadConversations(fast, { folderIds: [inbox], filter: 'all', order: 'newest' })
    const uidOf = async (id: number) => (await getMessage(fast, id))!.uid
    expect(await Promise.all(all.map((c) => uidOf(c.headId)))).toEqual([3, 2, 4])
    expect(all.map((c) => c.ids.length)).toEqual([2, 1, 1])
    const oldest = await loadConversations(fast, { folderIds: [inbox], filter: 'all', order: 'oldest' })
    expect(await Promise.all(oldest.map((c) => uidOf(c.headId)))).toEqual([4, 2, 3])
    // Unread only: thread "a" is represented by its unread message (uid 1), not the read newest one.
    const unread = await loadConversations(fast, { folderIds: [inbox], filter: 'unread', order: 'newest' })
    const unreadUids = await Promise.all(unread.map((c) => uidOf(c.headId)))
    expect(unreadUids).toEqual(expect.arrayContaining([1, 4]))
    expect(unreadUids).not.toContain(3)
  })
})

describe('kept message counts', () => {
  it('say how many messages folders hold, from the per-day counts', async () => {
    const s = await storeWith(
      Array.from({ length: 30 }, (_, i) => row(i % 3 ? inbox : other, i + 1, { date: i * 40_000_000 })),
    )
    expect(await keptMessageCount(s.fast, [inbox])).toBe(20)
    expect(await keptMessageCount(s.fast, [inbox, other])).toBe(30)
    await deleteMessages(s.fast, (await folderMessageIds(s.fast, other)).slice(0, 4))
    expect(await keptMessageCount(s.fast, [other])).toBe(6)
    expect(await keptMessageCount(s.fast, [])).toBe(0)
  })
})
