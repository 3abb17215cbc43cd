import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { readBody } from '../../store/bodies/body-store'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId } from '../../store/rows'
import { addLedgerRows, ledgerRows } from '../../store/pop3-ledger'
import type { CoreApi } from '../engine/core-api'
import { importMessages } from './folder-archive'
import { deleteLocalFolder, runLocalCommand } from './local-actions'
import { holdReads } from '../../store/hold-reads'
import {
  createLocalFolder,
  ensureLocalFolders,
  planLocalFolderDelete,
  renameLocalFolder,
} from './local-folders'
import { countFolderMessages, folderMessages, getMessage, updateMessage } from '../../store/messages'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const mail = (n: number): Uint8Array =>
  enc(
    `From: a@x\r\nSubject: m${n}\r\nMessage-ID: <m${n}@x>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nbody ${n}\r\n`,
  )
let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})
const noCore = {} as CoreApi

async function store(): Promise<MailStore> {
  const s = await openMailStore(`local-folders-test-${++counter}`)
  stores.push(s)
  await s.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'Old ISP', email: 'me@isp', position: 0 })
  await ensureLocalFolders(s.durable, 'p')
  return s
}

const names = async (s: MailStore): Promise<string[]> =>
  (await s.fast.folders.where('accountId').equals('p').toArray()).map((f) => f.name).sort()

describe('local folders at each check', () => {
  it('finds existing folders without a read-write transaction (it would wait behind the page reading them)', async () => {
    const s = await store()
    const reader = holdReads(s.fast, ['folders'])
    const outcome = await Promise.race([
      ensureLocalFolders(s.durable, 'p').then((f) => f.id),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 3000)),
    ])
    await reader.release()
    expect(outcome).toBe(folderId('p', 'INBOX'))
    // The first time they are still created.
    await s.durable.accounts.add({ id: 'q', kind: 'pop3', name: 'New', email: 'q@isp', position: 1 })
    expect((await ensureLocalFolders(s.durable, 'q')).id).toBe(folderId('q', 'INBOX'))
    expect(await s.fast.folders.where('accountId').equals('q').count()).toBe(4)
  })
})

describe('local folders: create, rename, delete', () => {
  it('renames only the name: messages stay, a sibling with that name is refused, the old name is free again', async () => {
    const s = await store()
    const a = await createLocalFolder(s.durable, 'p', null, 'Receipts')
    const [id] = await importMessages(s, a.id, [mail(1)])
    await renameLocalFolder(s.durable, a.id, 'Bills')
    expect(await getMessage(s.fast, id!)).toMatchObject({ folderId: a.id })
    expect(await s.fast.folders.get(a.id)).toMatchObject({ name: 'Bills', total: 1 })
    await createLocalFolder(s.durable, 'p', null, 'Taxes')
    await expect(renameLocalFolder(s.durable, a.id, 'taxes')).rejects.toThrow(/already exists there/)
    await expect(createLocalFolder(s.durable, 'p', null, 'bills')).rejects.toThrow(/already exists there/)
    // "Receipts" is Bills' path, yet the name is free: the new folder gets another path.
    const again = await createLocalFolder(s.durable, 'p', null, 'Receipts')
    expect(again.id).not.toBe(a.id)
    expect(await names(s)).toEqual(['Bills', 'Drafts', 'Inbox', 'Receipts', 'Sent', 'Taxes', 'Trash'])
    await expect(renameLocalFolder(s.durable, a.id, 'a/b')).rejects.toThrow(/must not be empty/)
    await expect(renameLocalFolder(s.durable, folderId('p', 'INBOX'), 'Post')).rejects.toThrow(
      /standard folders; it cannot be renamed/,
    )
  })

  it('delete moves the messages of the folder and its subfolders to Trash, after saying how many', async () => {
    const s = await store()
    const top = await createLocalFolder(s.durable, 'p', null, 'Projects')
    const sub = await createLocalFolder(s.durable, 'p', top.path, 'Old')
    await importMessages(s, top.id, [mail(1), mail(2)])
    const [subId] = await importMessages(s, sub.id, [mail(3)])
    await updateMessage(s.durable, subId!, { unread: 1, flags: [] })
    await s.durable.folders.update(sub.id, { unread: 1 })
    expect(await planLocalFolderDelete(s.durable, top.id)).toMatchObject({
      subfolders: 1,
      messages: 3,
      forGood: false,
    })
    expect(await deleteLocalFolder(s, top.id)).toEqual({ folders: 2, movedToTrash: 3, deleted: 0 })
    const trash = folderId('p', 'Trash')
    expect(await countFolderMessages(s.fast, trash)).toBe(3)
    expect(await s.fast.folders.get(trash)).toMatchObject({ total: 3, unread: 1 })
    expect(await s.fast.folders.bulkGet([top.id, sub.id])).toEqual([undefined, undefined])
    await expect(
      runLocalCommand(s, noCore, { kind: 'delete-folder', folderId: folderId('p', 'Trash') }),
    ).rejects.toThrow(/standard folders; it cannot be deleted/)
  })

  it('a folder inside Trash is deleted with its messages for good, recorded on their POP3 ledger rows', async () => {
    const s = await store()
    const binned = await createLocalFolder(s.durable, 'p', 'Trash', 'Old stuff')
    const [id] = await importMessages(s, binned.id, [mail(4)])
    await addLedgerRows(s.durable, 'p', [
      {
        accountId: 'p',
        uidl: 'u4',
        messageId: id!,
        storedAt: 1,
        deletedFromServerAt: null,
        fullStored: true,
        deletedLocallyAt: null,
        sha256: null,
      },
    ])
    expect((await planLocalFolderDelete(s.durable, binned.id)).forGood).toBe(true)
    const result = await runLocalCommand(s, noCore, { kind: 'delete-folder', folderId: binned.id })
    expect(result).toEqual({ handled: true, result: { folders: 1, movedToTrash: 0, deleted: 1 } })
    expect(await getMessage(s.fast, id!)).toBeUndefined()
    expect(await s.fast.bodies.get(id!)).toBeUndefined()
    expect((await ledgerRows(s.fast, 'p', ['u4']))[0]?.deletedLocallyAt).toEqual(expect.any(Number))
  })

  it('moves a folder with its subfolders and mail under another; its own subtree is refused as the place', async () => {
    const s = await store()
    const projects = await createLocalFolder(s.durable, 'p', null, 'Projects')
    const y2025 = await createLocalFolder(s.durable, 'p', projects.path, '2025')
    const q1 = await createLocalFolder(s.durable, 'p', y2025.path, 'Q1')
    const archive = await createLocalFolder(s.durable, 'p', null, 'Archive')
    const [id] = await importMessages(s, q1.id, [mail(1)])
    await expect(renameLocalFolder(s.durable, projects.id, 'Projects', q1.path)).rejects.toThrow(
      /into itself or one of its subfolders/,
    )
    await expect(renameLocalFolder(s.durable, projects.id, 'Projects', 'Nowhere')).rejects.toThrow(
      /no longer exists/,
    )
    // "2025" leaves Projects for Archive (renamed on the way); paths, and so messages, stay as they were.
    await renameLocalFolder(s.durable, y2025.id, 'Year 2025', archive.path)
    expect(await s.fast.folders.get(y2025.id)).toMatchObject({ path: y2025.path, parentPath: archive.path })
    expect(await getMessage(s.fast, id!)).toMatchObject({ folderId: q1.id })
    // Its path still starts with "Projects/", yet deleting Projects no longer takes it along.
    expect(await planLocalFolderDelete(s.durable, projects.id)).toMatchObject({ subfolders: 0, messages: 0 })
    expect(await planLocalFolderDelete(s.durable, archive.id)).toMatchObject({ subfolders: 2, messages: 1 })
    // A sibling's name is refused in the new place too, and moving back to the top level works.
    await createLocalFolder(s.durable, 'p', null, 'Year 2025')
    await expect(renameLocalFolder(s.durable, y2025.id, 'Year 2025', null)).rejects.toThrow(
      /already exists there/,
    )
    await renameLocalFolder(s.durable, y2025.id, '2025', null)
    expect(await s.fast.folders.get(y2025.id)).toMatchObject({ parentPath: null, name: '2025' })
    // Moved into Trash, deleting it deletes its mail for good, as for any folder inside Trash.
    await renameLocalFolder(s.durable, y2025.id, '2025', 'Trash')
    expect(await planLocalFolderDelete(s.durable, y2025.id)).toMatchObject({ forGood: true, subfolders: 1 })
    expect(await deleteLocalFolder(s, y2025.id)).toEqual({ folders: 2, movedToTrash: 0, deleted: 1 })
    expect(await getMessage(s.fast, id!)).toBeUndefined()
    expect(await names(s)).toEqual(['Archive', 'Drafts', 'Inbox', 'Projects', 'Sent', 'Trash', 'Year 2025'])
  })

  it('copy to another local folder keeps the bytes and the original; move re-homes', async () => {
    const s = await store()
    const target = await createLocalFolder(s.durable, 'p', null, 'Kept')
    const [id] = await importMessages(s, folderId('p', 'INBOX'), [mail(5)])
    const copy = await runLocalCommand(s, noCore, { kind: 'copy', messageIds: [id!], toFolderId: target.id })
    expect(copy).toMatchObject({ handled: true, result: { copied: 1, queued: 0 } })
    const copies = await folderMessages(s.fast, target.id)
    expect(copies).toHaveLength(1)
    expect([...(await readBody(s.fast, copies[0]!))!]).toEqual([...mail(5)])
    expect(await getMessage(s.fast, id!)).toMatchObject({ folderId: folderId('p', 'INBOX') })
    await runLocalCommand(s, noCore, { kind: 'move', messageIds: [id!], toFolderId: target.id })
    expect(await s.fast.folders.get(target.id)).toMatchObject({ total: 2 })
    expect(await s.fast.folders.get(folderId('p', 'INBOX'))).toMatchObject({ total: 0 })
  })
})
