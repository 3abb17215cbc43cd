import 'fake-indexeddb/auto'
import { afterAll, describe, expect, it } from 'vitest'
import { openMailStore } from '../store/mail-db'
import { listFolders } from '../store/queries/folders'
import { readWindow, type ListSpec } from '../store/queries/message-window'
import { withSnippets } from '../store/queries/snippets'
import { folderId, newFolderRow, type AccountRow, type FolderRow } from '../store/rows'
import { testMessageRow } from '../store/test-message-row'
import { FIRST_SCREEN_PAGES, listKey, PAGE } from '../features/message-list/list-reads'
import { loadLayout } from '../features/message-list/load-layout'
import type { ViewPrefs } from './view-prefs'
import {
  dropStartupSnapshot,
  readStartupSnapshot,
  sameRows,
  snapshotFolders,
  snapshotFirstScreen,
  snapshotInboxIds,
  startupSnapshot,
} from './startup-snapshot'
import { addMessages } from '../store/messages'

const account = (id: string, position: number): AccountRow => ({
  id,
  kind: 'imap',
  name: id,
  email: `${id}@example.test`,
  position,
})
const folder = (accountId: string, path: string): FolderRow =>
  newFolderRow({
    accountId,
    path,
    name: path,
    delimiter: '/',
    parentPath: null,
    specialUse: null,
    local: false,
  })

describe('startup snapshot', async () => {
  const store = await openMailStore('startup-snapshot')
  afterAll(() => store.close())
  const db = store.fast
  await db.accounts.bulkPut([account('b', 0), account('a', 1)])
  await db.folders.bulkPut([
    folder('a', 'INBOX'),
    folder('b', 'Archive'),
    folder('b', 'INBOX'),
    folder('a', 'Sent'),
  ])

  // Messages over the last two weeks, several a day, so the list has date groups and more than a page.
  const HOUR = 3_600_000
  const now = Date.now()
  const archive = folderId('b', 'Archive')
  const inboxes = [folderId('b', 'INBOX'), folderId('a', 'INBOX')]
  const messages = [archive, ...inboxes].flatMap((folder, f) =>
    Array.from({ length: 130 }, (_, i) =>
      testMessageRow(f * 1000 + i + 1, {
        accountId: folder === folderId('a', 'INBOX') ? 'a' : 'b',
        folderId: folder,
        date: now - (i * 7 + f) * HOUR,
        unread: (i % 3 === 0 ? 1 : 0) as 0 | 1,
        flagged: (i % 5 === 0 ? 1 : 0) as 0 | 1,
        // Written without a snippet (an IMAP header pass) for some: the list reads those from `snippets`.
        snippet: i % 2 === 0 ? '' : `Snippet ${i}`,
      }),
    ),
  )
  const ids = await addMessages(db, messages)
  await db.snippets.bulkPut(ids.filter((_, i) => i % 4 === 0).map((id) => ({ id, text: `Fetched ${id}` })))
  const prefs = (patch: Partial<ViewPrefs>): ViewPrefs => ({
    folder: null,
    filter: 'all',
    order: 'newest',
    unifiedInbox: true,
    conversations: false,
    ...patch,
  })
  /** The list's groups and first pages, each read on its own (as list-reads.test.ts shows the list reads them). */
  const readApart = async (spec: ListSpec) => ({
    layout: await loadLayout(db, spec, now),
    rows: await withSnippets(db, await readWindow(db, spec, 0, FIRST_SCREEN_PAGES * PAGE)),
  })

  it('holds the accounts and exactly what listFolders answers for them', async () => {
    const read = await readStartupSnapshot(db, prefs({}), now)
    expect(startupSnapshot()).toBe(read)
    expect(read.accounts.map((a) => a.id).sort()).toEqual(['a', 'b'])
    expect(read.folders).toEqual(await listFolders(db, ['b', 'a']))
    expect(snapshotFolders(['b', 'a'])).toBe(read.folders)
    expect(snapshotInboxIds(['a', 'b'])?.sort()).toEqual([folderId('a', 'INBOX'), folderId('b', 'INBOX')])
  })

  it('answers nothing for other accounts than its own', () => {
    expect(snapshotFolders(['a'])).toBeUndefined()
    expect(snapshotFolders(['a', 'b', 'c'])).toBeUndefined()
    expect(snapshotInboxIds(['a', 'c'])).toBeUndefined()
  })

  it('compares answers by their rows', () => {
    expect(sameRows([folder('a', 'INBOX')], [folder('a', 'INBOX')])).toBe(true)
    expect(sameRows([folder('a', 'INBOX')], [{ ...folder('a', 'INBOX'), unread: 1 }])).toBe(false)
    expect(sameRows([folder('a', 'INBOX')], [])).toBe(false)
  })

  it('reads the remembered folder with its filter and order: exactly the rows and groups the list reads', async () => {
    for (const filter of ['all', 'unread', 'flagged'] as const) {
      for (const order of ['newest', 'oldest'] as const) {
        const open = { kind: 'folder', folderId: archive } as const
        const read = await readStartupSnapshot(db, prefs({ folder: open, filter, order }), now)
        expect(read.open).toEqual(open)
        const spec: ListSpec = { folderIds: [archive], filter, order }
        const live = await readApart(spec)
        expect(read.list?.rows).toEqual(live.rows)
        expect(read.list?.layout).toEqual(live.layout)
        const shown = FIRST_SCREEN_PAGES * PAGE
        expect(read.list?.rows.length).toBe(filter === 'all' ? shown : Math.min(shown, live.rows.length))
        expect(read.list?.layout.groups.length).toBeGreaterThan(1)
        expect(read.list?.rows.some((r) => r.snippet.startsWith('Fetched'))).toBe(true)
        // The list it read answers only for that list.
        expect(snapshotFirstScreen(listKey(spec))).toBe(read.list)
        expect(snapshotFirstScreen(listKey({ ...spec, folderIds: inboxes }))).toBeUndefined()
      }
    }
  })

  it('reads the unified Inbox as the list merges it', async () => {
    const read = await readStartupSnapshot(db, prefs({ folder: { kind: 'unified-inbox' } }), now)
    expect(read.open).toEqual({ kind: 'unified-inbox' })
    const spec: ListSpec = { folderIds: snapshotInboxIds(['a', 'b'])!, filter: 'all', order: 'newest' }
    expect(spec.folderIds).toHaveLength(2)
    expect(read.list?.key).toBe(listKey(spec))
    const live = await readApart(spec)
    expect(read.list?.rows).toEqual(live.rows)
    expect(read.list?.layout).toEqual(live.layout)
    expect(new Set(read.list?.rows.map((r) => r.folderId))).toEqual(new Set(inboxes))
  })

  it('opens the default folder, with its rows, when the remembered one was deleted since', async () => {
    const gone = { kind: 'folder', folderId: folderId('b', 'Deleted since') } as const
    const unified = await readStartupSnapshot(db, prefs({ folder: gone }), now)
    expect(unified.open).toEqual({ kind: 'unified-inbox' })
    expect(unified.list?.rows.every((r) => inboxes.includes(r.folderId))).toBe(true)
    // Without the unified Inbox: the first account's Inbox in folder order (as the folder pane picks it).
    const first = (await listFolders(db, ['b', 'a'])).find((f) => f.path === 'INBOX')!
    const single = await readStartupSnapshot(db, prefs({ folder: gone, unifiedInbox: false }), now)
    expect(single.open).toEqual({ kind: 'folder', folderId: first.id })
    const live = await readApart({ folderIds: [first.id], filter: 'all', order: 'newest' })
    expect(single.list?.rows).toEqual(live.rows)
    expect(single.list?.rows.length).toBeGreaterThan(0)
    // The unified Inbox turned off since: the same.
    const off = await readStartupSnapshot(
      db,
      prefs({ folder: { kind: 'unified-inbox' }, unifiedInbox: false }),
      now,
    )
    expect(off.open).toEqual({ kind: 'folder', folderId: first.id })
  })

  it('reads no rows for a list grouped by conversation (that list reads thread rows)', async () => {
    const read = await readStartupSnapshot(
      db,
      prefs({ folder: { kind: 'folder', folderId: archive }, conversations: true }),
      now,
    )
    expect(read.open).toEqual({ kind: 'folder', folderId: archive })
    expect(read.list).toBeUndefined()
  })

  it('is gone once dropped, and a read that ends later does not bring it back', async () => {
    await readStartupSnapshot(db, prefs({ folder: { kind: 'folder', folderId: archive } }), now)
    const key = listKey({ folderIds: [archive], filter: 'all', order: 'newest' })
    expect(snapshotFirstScreen(key)).toBeDefined()
    dropStartupSnapshot()
    expect(startupSnapshot()).toBeUndefined()
    expect(snapshotFolders(['a', 'b'])).toBeUndefined()
    expect(snapshotFirstScreen(key)).toBeUndefined()
    await readStartupSnapshot(db, prefs({}), now)
    expect(startupSnapshot()).toBeUndefined()
  })
})
