import 'fake-indexeddb/auto'
import { afterAll, describe, expect, it } from 'vitest'
import { openMailStore } from '../../store/mail-db'
import { addMessages } from '../../store/messages'
import { readWindow, type ListSpec } from '../../store/queries/message-window'
import { withSnippets } from '../../store/queries/snippets'
import {
  countThreadRange,
  readThreadDayCounts,
  readThreadHeads,
  readThreadWindow,
} from '../../store/queries/thread-window'
import { folderId } from '../../store/rows'
import { testMessageRow } from '../../store/test-message-row'
import { rowCount } from './list-layout'
import { readListWindow, readThreadListWindow } from './list-reads'
import { loadLayout } from './load-layout'

const DAY = 86_400_000
const inbox = folderId('a', 'INBOX')
const archive = folderId('a', 'Archive')

/** The list's live queries read the groups and the rows together; read apart, each answers the same. */
describe('the message list read in one transaction (groups and rows from one read of the day counts)', async () => {
  const store = await openMailStore('list-reads')
  afterAll(() => store.close())
  const db = store.fast
  const now = Date.now()
  // 400 messages in 150 threads over the last 40 days (distinct dates), in two folders: several date groups.
  // Half written without a snippet (an IMAP header pass), some of those fetched since into `snippets`.
  const ids = await addMessages(
    db,
    Array.from({ length: 400 }, (_, i) =>
      testMessageRow(i + 1, {
        folderId: i % 5 === 0 ? archive : inbox,
        threadId: `t${(i * 7) % 150}`,
        date: now - (i % 40) * DAY - i * 1000,
        unread: (i % 3 === 0 ? 1 : 0) as 0 | 1,
        snippet: i % 2 === 0 ? '' : `Snippet ${i}`,
      }),
    ),
  )
  await db.snippets.bulkPut(ids.filter((_, i) => i % 4 === 0).map((id) => ({ id, text: `Fetched ${id}` })))
  const fetched = (rows: readonly ({ snippet: string } | undefined)[]): number =>
    rows.filter((r) => r?.snippet.startsWith('Fetched')).length
  const specs: ListSpec[] = [[inbox], [inbox, archive]].flatMap((folderIds) =>
    (['newest', 'oldest'] as const).map((order) => ({ folderIds, filter: 'all' as const, order })),
  )
  const windows = [
    [0, 100],
    [50, 150],
    [300, 100],
  ] as const

  it('gives the flat list the groups and rows that reading them apart gives', async () => {
    for (const spec of [...specs, ...specs.map((s) => ({ ...s, filter: 'unread' as const }))]) {
      for (const [offset, limit] of windows) {
        const together = await readListWindow(db, spec, now, offset, limit)
        expect(together).toEqual({
          layout: await loadLayout(db, spec, now),
          rows: await withSnippets(db, await readWindow(db, spec, offset, limit)),
        })
        const total = rowCount(together.layout)
        expect(together.layout.groups.length).toBeGreaterThan(1)
        expect(total).toBeGreaterThan(50)
        expect(together.rows.length).toBe(Math.max(0, Math.min(limit, total - offset)))
        if (offset === 0) expect(fetched(together.rows)).toBeGreaterThan(0)
      }
    }
  })

  it('gives the conversation view the groups, threads and heads that reading them apart gives', async () => {
    for (const spec of specs) {
      for (const [offset, limit] of windows) {
        const together = await readThreadListWindow(db, spec, now, offset, limit)
        const threads = await readThreadWindow(db, spec, offset, limit)
        expect(together).toEqual({
          layout: await loadLayout(db, spec, now, readThreadDayCounts, countThreadRange),
          threads,
          rows: await withSnippets(db, await readThreadHeads(db, threads)),
        })
        const total = rowCount(together.layout)
        expect(total).toBeGreaterThan(100)
        expect(together.threads.length).toBe(Math.max(0, Math.min(limit, total - offset)))
        // The threads' newest messages come with their fetched snippets, as the flat list's rows do.
        if (offset === 0) expect(fetched(together.rows)).toBeGreaterThan(0)
      }
    }
  })
})
