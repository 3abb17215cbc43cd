import 'fake-indexeddb/auto'
import { afterAll, describe, expect, it } from 'vitest'
import { openMailStore } from '../store/mail-db'
import { listFolders } from '../store/queries/folders'
import { folderId, newFolderRow, type AccountRow, type FolderRow } from '../store/rows'
import {
  dropStartupSnapshot,
  readStartupSnapshot,
  sameRows,
  snapshotFolders,
  snapshotInboxIds,
  startupSnapshot,
} from './startup-snapshot'

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

  it('holds the accounts and exactly what listFolders answers for them', async () => {
    const read = await readStartupSnapshot(db)
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

  it('is gone once dropped, and a read that ends later does not bring it back', async () => {
    dropStartupSnapshot()
    expect(startupSnapshot()).toBeUndefined()
    expect(snapshotFolders(['a', 'b'])).toBeUndefined()
    await readStartupSnapshot(db)
    expect(startupSnapshot()).toBeUndefined()
  })
})
