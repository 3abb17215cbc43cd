import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS, type MailDb } from './mail-db'
import { folderId, type MessageRow } from './rows'
import { testStores } from './test-stores'
import { watchChunkIo } from './test-chunk-io'
import { indexWordsBatch } from './search-index'
import { searchMessages } from './queries/search'
import { readBodies } from './bodies/body-store'
import { bucketDrift } from './list-buckets'
import { threadDrift } from './threads'
import { ledgerRowOfMessage } from './pop3-ledger'
import {
  addMessage,
  addMessages,
  allMessages,
  countFolderMessages,
  getMessage,
  getMessages,
  putMessages,
  readFolderByDate,
} from './messages'
import { testThreadRows } from './test-thread-rows'
import { testDayCounts } from './test-day-counts'

const { freshStore, freshName, openNewest } = testStores('test')

function message(folder: string, uid: number | null, date: number): MessageRow {
  return {
    accountId: 'a1',
    folderId: folder,
    uid,
    uidl: null,
    messageId: `<m${uid ?? 'local'}-${date}@test>`,
    threadId: `t${uid}`,
    date,
    from: [{ name: 'Zoë', address: 'zoe@example.org' }],
    to: [],
    cc: [],
    subject: `subject ${uid}`,
    snippet: '',
    flags: [],
    unread: 1,
    flagged: 0,
    size: 100,
    hasAttachments: 0,
    bodyState: 'none',
  }
}

/** Counts and thread rows as kept, against the rows themselves (empty: in step). */
async function drift(db: MailDb): Promise<unknown[]> {
  const rows = await allMessages(db)
  return [
    ...bucketDrift(await testDayCounts(db.listDayCounts).toArray(), rows),
    ...threadDrift(
      await testThreadRows(db).toArray(),
      await testDayCounts(db.threadDayCounts).toArray(),
      rows,
    ),
  ]
}

describe('mail store schema', () => {
  it('creates every table of the newest schema version, message rows in chunks instead of `messages`', async () => {
    const { fast } = await freshStore()
    const newest = SCHEMA_VERSIONS.at(-1)!
    expect(fast.verno).toBe(newest.version)
    const declared = Object.entries(newest.stores).flatMap(([name, spec]) => (spec === null ? [] : [name]))
    expect(fast.tables.map((t) => t.name).sort()).toEqual(declared.sort())
    expect(fast.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['messageChunks', 'messageFolders', 'messageIdRanges']),
    )
    expect(fast.tables.map((t) => t.name)).not.toContain('messages')
    expect(fast.messageChunks.schema.primKey.keyPath).toEqual(['folderId', 'no'])
    expect(fast.messageFolders.schema.indexes.map((i) => i.name)).toEqual(['accountId'])
  })

  it('shares one database between the durable and the fast connection', async () => {
    const { durable, fast } = await freshStore()
    expect(durable.name).toBe(fast.name)
    const id = await addMessage(durable, message('f', 1, 1))
    expect((await getMessage(fast, id))?.subject).toBe('subject 1')
  })

  it('refuses a second row for the same IMAP UID in a folder, but allows local rows without UIDs', async () => {
    const { fast } = await freshStore()
    const inbox = folderId('a1', 'INBOX')
    const [first] = await addMessages(fast, [message(inbox, 7, 1)])
    await expect(addMessages(fast, [message(inbox, 7, 2)])).rejects.toThrow(/ConstraintError|UID 7/)
    // Within one call too, and nothing of a refused call is stored.
    await expect(addMessages(fast, [message(inbox, 8, 2), message(inbox, 8, 3)])).rejects.toThrow(
      /ConstraintError|UID 8/,
    )
    await addMessages(fast, [message(inbox, null, 3)])
    await addMessage(fast, message(inbox, null, 4))
    // The same UID in another folder is another message; a put of the stored row keeps its own UID.
    await addMessage(fast, message(folderId('a1', 'Archive'), 7, 5))
    await putMessages(fast, [{ ...(await getMessage(fast, first!))!, subject: 'again' }])
    expect(await countFolderMessages(fast, inbox)).toBe(3)
    expect((await readFolderByDate(fast, inbox, { filter: 'all' })).map((m) => m.uid)).toEqual([
      7,
      null,
      null,
    ])
    expect(await drift(fast)).toEqual([])
  })

  it('lists a folder newest first, loading only the chunks of that folder the window needs', async () => {
    let seen: unknown[] = []
    const db = await openNewest(freshName(), (d) => (seen = watchChunkIo(d).reads))
    const inbox = folderId('a1', 'INBOX')
    const other = folderId('a1', 'Archive')
    // 1,200 inbox rows: three chunks.
    await addMessages(
      db,
      Array.from({ length: 1_200 }, (_, i) => message(inbox, i + 1, (i + 1) * 10)),
    )
    await addMessages(db, [message(other, 1, 99_999), message(other, 2, 5)])
    const dir = (await db.messageFolders.get(inbox))!
    expect(dir.chunks.length).toBe(3)
    seen.length = 0
    const newest = await readFolderByDate(db, inbox, { filter: 'all', newestFirst: true, limit: 2 })
    expect(newest.map((m) => m.uid)).toEqual([1_200, 1_199])
    expect(seen).toEqual([[inbox, dir.chunks[0]!.no]])
    seen.length = 0
    const oldest = await readFolderByDate(db, other, { filter: 'all', limit: 1 })
    expect(oldest.map((m) => m.uid)).toEqual([2])
    expect(seen).toEqual([[other, (await db.messageFolders.get(other))!.chunks[0]!.no]])
  })

  it('keeps folder ids unambiguous for paths that contain the hierarchy delimiter', () => {
    expect(folderId('a', 'b/c')).not.toBe(folderId('a/b', 'c'))
  })

  it('opens an existing version-1 database created by an older build without losing rows', async () => {
    const name = freshName()
    const v1 = new Dexie(name)
    v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores)
    await v1
      .table('accounts')
      .add({ id: 'acc', kind: 'imap', name: 'Work', email: 'me@example.org', position: 0 })
    v1.close()
    const db = await openNewest(name)
    expect(await db.accounts.get('acc')).toMatchObject({ name: 'Work' })
  })

  it('upgrades version-1 POP3 ledger rows to version 2 (full bytes stored, not deleted locally, by message)', async () => {
    const name = freshName()
    const v1 = new Dexie(name)
    v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores)
    await v1.table('pop3Ledger').add({
      accountId: 'p',
      uidl: 'UID-1',
      messageId: 42,
      storedAt: 1000,
      deletedFromServerAt: null,
    })
    v1.close()
    const db = await openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    const row = await ledgerRowOfMessage(db, 42)
    expect(row).toEqual({
      accountId: 'p',
      uidl: 'UID-1',
      messageId: 42,
      storedAt: 1000,
      deletedFromServerAt: null,
      fullStored: true,
      deletedLocallyAt: null,
      sha256: null,
    })
    // The ledger names message 42, which is gone: a new message must not get that id.
    expect(await addMessage(db, message('f', 1, 1))).toBeGreaterThan(42)
  })

  it('upgrades a version-2 database to the newest: empty drafts and outbox, every old row kept with its id', async () => {
    const name = freshName()
    const v2 = new Dexie(name)
    v2.version(2).stores(SCHEMA_VERSIONS[1]!.stores)
    const id = (await v2.table('messages').add(message('f', 9, 1))) as number
    v2.close()
    const db = await openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect((await allMessages(db)).map((m) => [m.id, m.uid])).toEqual([[id, 9]])
    expect((await getMessage(db, id))?.subject).toBe('subject 9')
    expect(await db.drafts.count()).toBe(0)
    expect(db.outbox.schema.indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining(['accountId', 'state', 'createdAt']),
    )
    // Versions 5 and 7 counted the row and made its thread.
    expect(await drift(db)).toEqual([])
    expect(await testThreadRows(db).count()).toBe(1)
  })

  it('upgrades a version-3 database to the newest: search words written, flag windows read from the chunks', async () => {
    const name = freshName()
    const v3 = new Dexie(name)
    v3.version(3).stores(SCHEMA_VERSIONS[2]!.stores)
    const inbox = folderId('a1', 'INBOX')
    const old = { ...message(inbox, 1, 10), subject: 'Quarterly Report', flagged: 1 as const }
    const ids = (await v3
      .table('messages')
      .bulkAdd([old, message(inbox, 2, 20), message(inbox, 3, 30)], { allKeys: true })) as number[]
    v3.close()
    const db = await openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    const rows = await allMessages(db)
    expect(rows.map((m) => m.id)).toEqual(ids)
    // Version 4 wrote the words into each row (version 6 moved the index to its own table).
    const found = rows.filter((m) => m.searchWords?.includes('quarterly'))
    expect(found.map((m) => m.uid)).toEqual([1])
    expect(found[0]!.searchWords).toEqual(expect.arrayContaining(['quarterly', 'report', 'zoë', 'zoe']))
    const flagged = await readFolderByDate(db, inbox, { filter: 'flagged' })
    expect(flagged.map((m) => m.id)).toEqual([ids[0]])
    const unreadNewest = await readFolderByDate(db, inbox, { filter: 'unread', newestFirst: true })
    expect(unreadNewest.map((m) => m.uid)).toEqual([3, 2, 1])
    expect(await drift(db)).toEqual([])
  })

  it('upgrades a version-5 database to the newest: rows, counts and queued changes kept, words indexed later', async () => {
    const name = freshName()
    const v5 = new Dexie(name)
    const v5Schema = SCHEMA_VERSIONS.find((v) => v.version === 5)!
    v5.version(5).stores(v5Schema.stores)
    const inbox = folderId('a1', 'INBOX')
    const old = (uid: number, subject: string): MessageRow => ({
      ...message(inbox, uid, uid * 1000),
      subject,
      searchWords: [subject.toLowerCase()],
    })
    await v5.table('messages').bulkAdd([old(1, 'Invoice'), old(2, 'Holiday'), old(3, 'Invoice')])
    await v5.table('listBuckets').put({ folderId: inbox, day: 0, all: 3, unread: 3, flagged: 0 })
    await v5
      .table('pendingActions')
      .add({ accountId: 'a1', kind: 'imap', payload: { x: 1 }, messageIds: [1], createdAt: 5 })
    v5.close()
    const db = await openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(db.tables.map((t) => t.name)).not.toContain('messages')
    expect(await countFolderMessages(db, inbox)).toBe(3)
    expect(await testDayCounts(db.listDayCounts).get([inbox, 0])).toMatchObject({ all: 3, unread: 3 })
    expect(await db.pendingActions.count()).toBe(1)
    expect((await getMessage(db, 1))?.subject).toBe('Invoice')
    expect(await drift(db)).toEqual([])
    // Nothing indexed yet, and search finds the old rows anyway; then the indexer catches up.
    expect(await db.messageWords.count()).toBe(0)
    expect(await db.snippets.count()).toBe(0)
    expect((await searchMessages(db, 'invoice')).map((m) => m.uid)).toEqual([3, 1])
    while ((await indexWordsBatch(db, 2)) > 0);
    expect(await db.messageWords.count()).toBe(3)
    expect((await searchMessages(db, 'invoice')).map((m) => m.uid)).toEqual([3, 1])
  })

  it('upgrades a version-8 database to the newest: rows, counts, queued changes and stored bodies kept, no body file yet', async () => {
    const name = freshName()
    const v8 = new Dexie(name)
    v8.version(8).stores(SCHEMA_VERSIONS.find((v) => v.version === 8)!.stores)
    const inbox = folderId('p', 'INBOX')
    const ids = (await v8
      .table('messages')
      .bulkAdd([message(inbox, 1, 1000), message(inbox, 2, 2000)], { allKeys: true })) as number[]
    await v8
      .table('bodies')
      .put({ messageId: ids[0]!, raw: new TextEncoder().encode('Subject: old'), storedAt: 1 })
    await v8.table('listBuckets').put({ folderId: inbox, day: 0, all: 2, unread: 2, flagged: 0 })
    await v8
      .table('pendingActions')
      .add({ accountId: 'p', kind: 'imap', payload: { x: 1 }, messageIds: [ids[0]], createdAt: 5 })
    v8.close()
    const db = await openNewest(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await countFolderMessages(db, inbox)).toBe(2)
    expect(await testDayCounts(db.listDayCounts).get([inbox, 0])).toMatchObject({ all: 2, unread: 2 })
    expect(await db.pendingActions.count()).toBe(1)
    expect(await db.bodyFiles.count()).toBe(0)
    const rows = (await getMessages(db, ids)).map((r) => r!)
    expect(rows.map((r) => r.id)).toEqual(ids)
    const bodies = await readBodies(db, rows)
    expect(bodies.map((b) => (b ? new TextDecoder().decode(b) : null))).toEqual(['Subject: old', null])
  })
})
