import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { DAY_MS } from '../list-buckets'
import { openMailStore, type MailStore } from '../mail-db'
import { folderId, type MessageRow } from '../rows'
import { testMessageRow } from '../test-message-row'
import { loadConversations } from './conversations'
import type { ListSpec } from './message-window'
import {
  countThreadRange,
  readThreadDayCounts,
  readThreadHeads,
  readThreadWindow,
  threadMessageIds,
} from './thread-window'
import { addMessages } from '../messages'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = folderId('a', 'INBOX')
const other = folderId('a', 'Archive')

function row(folder: string, uid: number, thread: string, date: number): MessageRow {
  return testMessageRow(uid, { folderId: folder, threadId: thread, date })
}

// 400 messages in 150 threads over 40 days (several threads a day, distinct dates), in two folders.
const rows = Array.from({ length: 400 }, (_, i) =>
  row(i % 5 === 0 ? other : inbox, i + 1, `t${(i * 7) % 150}`, (i % 40) * DAY_MS + i * 1000),
)

async function store(): Promise<MailStore> {
  const s = await openMailStore(`thread-window-${++counter}`)
  stores.push(s)
  await addMessages(s.fast, rows)
  return s
}

describe('conversation windows from the thread rows the store keeps', () => {
  it('give every window of the conversation list as grouping the messages does, in both orders', async () => {
    const { fast: db } = await store()
    for (const spec of [
      { folderIds: [inbox], filter: 'all', order: 'newest' },
      { folderIds: [inbox], filter: 'all', order: 'oldest' },
      { folderIds: [inbox, other], filter: 'all', order: 'newest' },
    ] satisfies ListSpec[]) {
      const grouped = await loadConversations(db, spec)
      const days = await readThreadDayCounts(db, spec)
      expect(days.reduce((n, d) => n + d.count, 0)).toBe(grouped.length)
      for (const [offset, limit] of [
        [0, 10],
        [37, 25],
        [grouped.length - 5, 20],
      ] as const) {
        const threads = await readThreadWindow(db, spec, offset, limit)
        const want = grouped.slice(offset, offset + limit)
        expect(threads.map((t) => t.headId)).toEqual(want.map((c) => c.headId))
        expect(threads.map((t) => t.count)).toEqual(want.map((c) => c.ids.length))
        const heads = await readThreadHeads(db, threads)
        expect(heads.map((h) => h?.id)).toEqual(want.map((c) => c.headId))
        expect((await threadMessageIds(db, threads)).sort((a, b) => a - b)).toEqual(
          want.flatMap((c) => c.ids).sort((a, b) => a - b),
        )
      }
    }
  })

  it('counts threads by the date of their newest message within part of a day', async () => {
    const { fast: db } = await store()
    const spec: ListSpec = { folderIds: [inbox], filter: 'all', order: 'newest' }
    const grouped = await loadConversations(db, spec)
    const from = 3 * DAY_MS
    const to = 3 * DAY_MS + 200_000
    expect(await countThreadRange(db, spec, from, to)).toBe(
      grouped.filter((c) => c.date >= from && c.date < to).length,
    )
  })
})
