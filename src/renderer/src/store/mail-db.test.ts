import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { MailDb, openMailStore, SCHEMA_VERSIONS, type MailStore } from './mail-db'
import { folderId, type MessageRow } from './rows'
import { indexWordsBatch } from './search-index'
import { searchMessages } from './queries/search'
import { readBodies } from './bodies/body-store'

let counter = 0
const stores: MailStore[] = []
async function freshStore(): Promise<MailStore> {
  const store = await openMailStore(`test-${++counter}`)
  stores.push(store)
  return store
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

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

describe('mail store schema', () => {
  it('creates every table of the newest schema version with its indexes', async () => {
    const { fast } = await freshStore()
    const newest = SCHEMA_VERSIONS.at(-1)!
    expect(fast.verno).toBe(newest.version)
    expect(fast.tables.map((t) => t.name).sort()).toEqual(Object.keys(newest.stores).sort())
    const messageIndexes = fast.messages.schema.indexes.map((i) => i.name)
    expect(messageIndexes).toEqual(expect.arrayContaining(['[folderId+date]', '[folderId+uid]', 'threadId']))
  })

  it('shares one database between the durable and the fast connection', async () => {
    const { durable, fast } = await freshStore()
    expect(durable.name).toBe(fast.name)
    const id = await durable.messages.add(message('f', 1, 1))
    expect((await fast.messages.get(id))?.subject).toBe('subject 1')
  })

  it('refuses a second row for the same IMAP UID in a folder, but allows local rows without UIDs', async () => {
    const { fast } = await freshStore()
    const inbox = folderId('a1', 'INBOX')
    await fast.messages.add(message(inbox, 7, 1))
    await expect(fast.messages.add(message(inbox, 7, 2))).rejects.toThrow(/ConstraintError|uniqueness/i)
    await fast.messages.add(message(inbox, null, 3))
    await fast.messages.add(message(inbox, null, 4))
    expect(await fast.messages.where('folderId').equals(inbox).count()).toBe(3)
  })

  it('lists a folder newest first from the [folderId+date] index without reading other folders', async () => {
    const { fast } = await freshStore()
    const inbox = folderId('a1', 'INBOX')
    const other = folderId('a1', 'Archive')
    await fast.messages.bulkAdd([
      message(inbox, 1, 10),
      message(inbox, 2, 30),
      message(other, 3, 99),
      message(inbox, 4, 20),
    ])
    const newest = await fast.messages
      .where('[folderId+date]')
      .between([inbox, Dexie.minKey], [inbox, Dexie.maxKey])
      .reverse()
      .limit(2)
      .toArray()
    expect(newest.map((m) => m.uid)).toEqual([2, 4])
  })

  it('keeps folder ids unambiguous for paths that contain the hierarchy delimiter', () => {
    expect(folderId('a', 'b/c')).not.toBe(folderId('a/b', 'c'))
  })

  it('opens an existing version-1 database created by an older build without losing rows', async () => {
    const name = `test-upgrade-${++counter}`
    const v1 = new Dexie(name)
    v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores)
    await v1
      .table('accounts')
      .add({ id: 'acc', kind: 'imap', name: 'Work', email: 'me@example.org', position: 0 })
    v1.close()
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(await db.accounts.get('acc')).toMatchObject({ name: 'Work' })
    db.close()
  })

  it('upgrades version-1 POP3 ledger rows to version 2 (full bytes stored, not deleted locally, by message)', async () => {
    const name = `test-upgrade-${++counter}`
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
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    const row = await db.pop3Ledger.where('messageId').equals(42).first()
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
    db.close()
  })

  it('upgrades a version-2 database to version 3: empty drafts and outbox, every old row kept', async () => {
    const name = `test-upgrade-${++counter}`
    const v2 = new Dexie(name)
    v2.version(2).stores(SCHEMA_VERSIONS[1]!.stores)
    await v2.table('messages').add(message('f', 9, 1))
    v2.close()
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await db.messages.count()).toBe(1)
    expect(await db.drafts.count()).toBe(0)
    expect(db.outbox.schema.indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining(['accountId', 'state', 'createdAt']),
    )
    db.close()
  })

  it('upgrades a version-3 database to version 4: every message gets its search words and the flag+date indexes', async () => {
    const name = `test-upgrade-${++counter}`
    const v3 = new Dexie(name)
    v3.version(3).stores(SCHEMA_VERSIONS[2]!.stores)
    const inbox = folderId('a1', 'INBOX')
    const old = { ...message(inbox, 1, 10), subject: 'Quarterly Report', flagged: 1 as const }
    await v3.table('messages').bulkAdd([old, message(inbox, 2, 20), message(inbox, 3, 30)])
    v3.close()
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await db.messages.count()).toBe(3)
    // Version 4 wrote the words into each row (version 6 moved the index to its own table).
    const found = (await db.messages.toArray()).filter((m) => m.searchWords?.includes('quarterly'))
    expect(found.map((m) => m.uid)).toEqual([1])
    expect(found[0]!.searchWords).toEqual(expect.arrayContaining(['quarterly', 'report', 'zoë', 'zoe']))
    const flagged = await db.messages
      .where('[folderId+flagged+date]')
      .between([inbox, 1, Dexie.minKey], [inbox, 1, Dexie.maxKey])
      .primaryKeys()
    expect(flagged).toHaveLength(1)
    const unreadNewest = await db.messages
      .where('[folderId+unread+date]')
      .between([inbox, 1, Dexie.minKey], [inbox, 1, Dexie.maxKey])
      .reverse()
      .toArray()
    expect(unreadNewest.map((m) => m.uid)).toEqual([3, 2, 1])
    db.close()
  })

  it('upgrades a version-5 database to version 6: rows, counts and queued changes kept, words indexed later', async () => {
    const name = `test-upgrade-${++counter}`
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
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await db.messages.count()).toBe(3)
    expect(await db.listBuckets.get([inbox, 0])).toMatchObject({ all: 3, unread: 3 })
    expect(await db.pendingActions.count()).toBe(1)
    const indexes = db.messages.schema.indexes.map((i) => i.name)
    expect(indexes).not.toContain('searchWords')
    expect(indexes).not.toContain('folderId')
    // The folder's rows are still found by folder (Dexie reads it from the compound indexes).
    expect(await db.messages.where('folderId').equals(inbox).count()).toBe(3)
    // Nothing indexed yet, and search finds the old rows anyway; then the indexer catches up.
    expect(await db.messageWords.count()).toBe(0)
    expect(await db.snippets.count()).toBe(0)
    expect((await searchMessages(db, 'invoice')).map((m) => m.uid)).toEqual([3, 1])
    while ((await indexWordsBatch(db, 2)) > 0);
    expect(await db.messageWords.count()).toBe(3)
    expect((await searchMessages(db, 'invoice')).map((m) => m.uid)).toEqual([3, 1])
    db.close()
  })

  it('upgrades a version-8 database to version 9: rows, counts, queued changes and stored bodies kept, no body file yet', async () => {
    const name = `test-upgrade-${++counter}`
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
    const db = new MailDb(name, 'relaxed')
    await db.open()
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(await db.messages.count()).toBe(2)
    expect(await db.listBuckets.get([inbox, 0])).toMatchObject({ all: 2, unread: 2 })
    expect(await db.pendingActions.count()).toBe(1)
    expect(await db.bodyFiles.count()).toBe(0)
    const rows = (await db.messages.bulkGet(ids)).map((r) => r!)
    const bodies = await readBodies(db, rows)
    expect(bodies.map((b) => (b ? new TextDecoder().decode(b) : null))).toEqual(['Subject: old', null])
    db.close()
  })
})
