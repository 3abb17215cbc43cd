import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { newFolderRow, type FolderRow } from '../../store/rows'
import { storeHeaderBatch } from './store-header-batch'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function setup(): Promise<{ store: MailStore; folder: FolderRow }> {
  const store = await openMailStore(`store-header-batch-${++counter}`)
  stores.push(store)
  const folder = newFolderRow({
    accountId: 'a1',
    path: 'INBOX',
    name: 'Inbox',
    delimiter: '/',
    parentPath: null,
    specialUse: 'inbox',
    local: false,
  })
  await store.fast.folders.put(folder)
  return { store, folder }
}

function header(uid: number, snippet: string | null = `text ${uid}`): HeaderRecordWire {
  return {
    uid,
    flags: [],
    internalDate: '2026-01-01T00:00:00.000Z',
    size: 100,
    date: null,
    subject: `subject ${uid}`,
    from: [{ name: 'Zoë', address: 'zoe@example.org' }],
    sender: [],
    replyTo: [],
    to: [],
    cc: [],
    bcc: [],
    messageId: `<m${uid}@test>`,
    inReplyTo: null,
    references: [],
    listId: null,
    hasAttachments: false,
    snippet,
  }
}

const uidsOf = async (store: MailStore): Promise<number[]> =>
  (await store.fast.messages.toArray()).map((m) => m.uid!).sort((a, b) => a - b)

describe('storeHeaderBatch', () => {
  it('stores a batch with snippets', async () => {
    const { store, folder } = await setup()
    expect(await storeHeaderBatch(store, folder, [header(3), header(2), header(1)])).toBe(3)
    expect(await uidsOf(store)).toEqual([1, 2, 3])
    const row = await store.fast.messages.where('[folderId+uid]').equals([folder.id, 2]).first()
    expect(row?.snippet).toBe('text 2')
  })

  it('updates cached UIDs of a batch fetched again in place (no duplicate, no loss)', async () => {
    const { store, folder } = await setup()
    await storeHeaderBatch(store, folder, [header(5), header(4)])
    const cached = await store.fast.messages.where('[folderId+uid]').equals([folder.id, 4]).first()
    await store.fast.messages.update(cached!.id!, { bodyState: 'full' })
    const added = await storeHeaderBatch(store, folder, [header(6), header(5, null), header(4)])
    expect(added).toBe(1)
    expect(await uidsOf(store)).toEqual([4, 5, 6])
    const after = await store.fast.messages.where('[folderId+uid]').equals([folder.id, 4]).first()
    expect(after?.id).toBe(cached!.id)
    expect(after?.bodyState).toBe('full')
    // A batch without snippets keeps the one already stored.
    const five = await store.fast.messages.where('[folderId+uid]').equals([folder.id, 5]).first()
    expect(five?.snippet).toBe('text 5')
  })

  it('updates cached rows of a sparse batch (UIDs far apart) and leaves the rows between alone', async () => {
    const { store, folder } = await setup()
    await storeHeaderBatch(store, folder, [header(10), header(500), header(1000)])
    await storeHeaderBatch(store, folder, [header(200)])
    const added = await storeHeaderBatch(store, folder, [header(1000, 'new text'), header(10), header(2000)])
    expect(added).toBe(1)
    expect(await uidsOf(store)).toEqual([10, 200, 500, 1000, 2000])
    const row = await store.fast.messages.where('[folderId+uid]').equals([folder.id, 1000]).first()
    expect(row?.snippet).toBe('new text')
  })
})
