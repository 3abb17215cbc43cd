import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import { folderId, type MessageRow } from '../rows'
import { searchWordsOf } from '../search-words'
import { loadConversations } from './conversations'
import { countRange, readWindow, readWindowIds, type ListSpec } from './message-window'
import { searchMessages } from './search'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = folderId('a', 'INBOX')
const other = folderId('a', 'Archive')

function row(folder: string, uid: number, patch: Partial<MessageRow> = {}): MessageRow {
  const base: MessageRow = {
    accountId: 'a',
    folderId: folder,
    uid,
    uidl: null,
    messageId: null,
    threadId: `t${uid}`,
    date: uid * 1000,
    from: [{ name: 'Ann Example', address: 'ann@example.org' }],
    to: [{ name: '', address: 'me@example.org' }],
    cc: [],
    subject: `Message ${uid}`,
    snippet: '',
    flags: [],
    unread: (uid % 3 === 0 ? 1 : 0) as 0 | 1,
    flagged: (uid % 10 === 0 ? 1 : 0) as 0 | 1,
    size: 1,
    hasAttachments: 0,
    bodyState: 'none',
    ...patch,
  }
  return { ...base, searchWords: searchWordsOf(base) }
}

async function storeWith(rows: MessageRow[]): Promise<MailStore> {
  const s = await openMailStore(`window-${++counter}`)
  stores.push(s)
  await s.fast.messages.bulkAdd(rows)
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

  it('reads a window near the end from the far end, with the same rows', async () => {
    const { fast } = await storeWith(rows)
    for (const spec of [
      { folderIds: [inbox], filter: 'all', order: 'newest' },
      { folderIds: [inbox], filter: 'unread', order: 'oldest' },
    ] satisfies ListSpec[]) {
      const total = await countRange(fast, spec, null, null)
      const near = await readWindow(fast, spec, total - 7, 10)
      const far = await readWindow(fast, spec, total - 7, 10, total)
      expect(far.map((r) => r.id)).toEqual(near.map((r) => r.id))
      expect(far).toHaveLength(7)
    }
  })

  it('counts flagged rows in a date range and orders oldest first', async () => {
    const { fast } = await storeWith(rows)
    const spec: ListSpec = { folderIds: [inbox], filter: 'flagged', order: 'oldest' }
    expect(await countRange(fast, spec, 20_000, 60_000)).toBe(4) // uids 20, 30, 40, 50
    expect((await readWindow(fast, spec, 0, 3)).map((r) => r.uid)).toEqual([10, 20, 30])
  })
})

describe('search through the word index', () => {
  it('finds word prefixes in subject, sender and recipients, newest stored first, across folders', async () => {
    const { fast } = await storeWith([
      row(inbox, 1, { subject: 'Quarterly report' }),
      row(inbox, 2, { subject: 'Prepare the slides' }),
      row(other, 3, { subject: 'Reports for Q3', from: [{ name: 'Bob', address: 'bob@corp.example' }] }),
      row(inbox, 4, { subject: '会議の議事録' }),
    ])
    expect((await searchMessages(fast, 'rep')).map((r) => r.uid)).toEqual([3, 1])
    expect((await searchMessages(fast, 'REPORT bob')).map((r) => r.uid)).toEqual([3])
    expect((await searchMessages(fast, 'bob@corp')).map((r) => r.uid)).toEqual([3])
    expect((await searchMessages(fast, '議事')).map((r) => r.uid)).toEqual([4])
    expect(await searchMessages(fast, 'zzqx')).toEqual([])
    // One Latin letter cannot narrow the index: the newest rows are scanned instead, still exact.
    expect((await searchMessages(fast, 'q', 2)).map((r) => r.uid)).toEqual([3, 1])
  })

  it('stops at the limit', async () => {
    const { fast } = await storeWith(Array.from({ length: 30 }, (_, i) => row(inbox, i + 1)))
    expect((await searchMessages(fast, 'message', 10)).map((r) => r.uid)).toEqual(
      Array.from({ length: 10 }, (_, i) => 30 - i),
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
    const uidOf = async (id: number) => (await fast.messages.get(id))!.uid
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
