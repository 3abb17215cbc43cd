import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { corpusForLab } from '../lab/corpus'
import { folderId } from '../renderer/src/store/rows'
import {
  noticeKey,
  statusKey,
  type AccountNotice,
  type AccountSyncStatus,
} from '../renderer/src/sync/engine/account-status'
import {
  addLabImapAccount,
  cacheSnapshot,
  serverSnapshot,
  startSyncHarness,
  type SyncHarness,
} from './sync-harness'
import { accountMessageIds, folderMessages, getMessage, getMessages } from '../renderer/src/store/messages'

const USER = 'bob'
const FOLDER = 'ActionSuite'

describe('IMAP actions: applied locally at once, replayed once, server disagreements handled', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let device: ImapFlow
  let accountId: string

  const folderRows = (path: string) => folderMessages(h.store.fast, folderId(accountId, path))
  const pending = () => h.store.fast.pendingActions.count()
  const status = async () =>
    (await h.store.fast.syncState.get(statusKey(accountId)))?.value as AccountSyncStatus

  async function expectFolderConverged(path: string): Promise<void> {
    const server = await serverSnapshot(device, path)
    const cache = await cacheSnapshot(h.store, accountId, path)
    expect({ path, uids: [...cache.messages.keys()].sort((a, b) => a - b) }).toEqual({
      path,
      uids: [...server.messages.keys()].sort((a, b) => a - b),
    })
    expect({ path, flags: cache.messages }).toEqual({ path, flags: server.messages })
  }

  /** Waits for the background replay that a command starts. */
  async function settled(): Promise<void> {
    await expect.poll(pending, { timeout: 15_000 }).toBe(0)
    await h.engine.syncAccount(accountId)
  }

  beforeAll(async () => {
    labHandle = await useLab()
    await labHandle.lab.loadMaildir(USER, FOLDER, corpusForLab({ count: 60, seed: 3, size: 'small' }))
    device = await labHandle.lab.otherDevice(USER)
    h = await startSyncHarness()
    accountId = await addLabImapAccount(h, labHandle.lab, USER)
    await h.engine.syncAll()
  })
  afterAll(async () => {
    await labHandle?.lab.dovecot.restart().catch(() => undefined)
    await device?.logout().catch(() => undefined)
    await h?.dispose()
    await labHandle?.release()
  })

  it('marks read and flags at once in the cache, then on the server', async () => {
    const rows = (await folderRows(FOLDER)).slice(0, 4)
    const ids = rows.map((r) => r.id!)
    await h.engine.act({ kind: 'set-flags', messageIds: ids, add: ['\\Seen', '\\Flagged'], remove: [] })
    // Local first: before any replay finished.
    const local = await getMessages(h.store.fast, ids)
    expect(local.every((r) => r?.unread === 0 && r.flagged === 1)).toBe(true)
    await settled()
    await expectFolderConverged(FOLDER)
  })

  it('moves to Archive: the moved row takes its new UID, and no duplicate appears after a sync', async () => {
    const [row] = await folderRows(FOLDER)
    await h.engine.act({ kind: 'archive', messageIds: [row!.id!] })
    const moved = await getMessage(h.store.fast, row!.id!)
    expect(moved?.folderId).toBe(folderId(accountId, 'Archive'))
    await settled()
    const archived = (await folderRows('Archive')).filter((r) => r.messageId === row!.messageId)
    expect(archived).toHaveLength(1)
    expect(archived[0]?.uid).not.toBeNull()
    await expectFolderConverged('Archive')
    await expectFolderConverged(FOLDER)
  })

  it('deletes to Trash, and deleting in Trash removes for good', async () => {
    const [row] = await folderRows(FOLDER)
    await h.engine.act({ kind: 'delete', messageIds: [row!.id!] })
    await settled()
    const inTrash = (await folderRows('Trash')).find((r) => r.messageId === row!.messageId)
    expect(inTrash?.uid).toBeTypeOf('number')
    await h.engine.act({ kind: 'delete', messageIds: [inTrash!.id!] })
    await settled()
    expect((await folderRows('Trash')).some((r) => r.messageId === row!.messageId)).toBe(false)
    await expectFolderConverged('Trash')
    const server = await serverSnapshot(device, 'Trash')
    expect(server.messages.size).toBe((await folderRows('Trash')).length)
  })

  it('queues actions while the server is down and replays each exactly once when it returns', async () => {
    const rows = (await folderRows(FOLDER)).slice(0, 3)
    const archiveBefore = (await serverSnapshot(device, 'Archive')).messages.size
    // A crash takes the server's sessions with it (an orderly stop lets open sessions finish).
    await labHandle.lab.dovecot.kill()
    try {
      await h.engine.act({ kind: 'set-flags', messageIds: [rows[0]!.id!], add: ['$Offline'], remove: [] })
      await h.engine.act({ kind: 'archive', messageIds: [rows[1]!.id!, rows[2]!.id!] })
      await h.engine.syncAccount(accountId)
      expect(await pending()).toBe(2)
      expect((await status()).state).toBe('error')
      // The user sees the result already, offline.
      expect((await getMessage(h.store.fast, rows[1]!.id!))?.folderId).toBe(folderId(accountId, 'Archive'))
    } finally {
      await labHandle.lab.dovecot.restart()
    }
    device = await labHandle.lab.otherDevice(USER)
    // The next pass after the server is back replays the queue (a pass queued while it was down may still
    // be finishing, so allow a few).
    for (let i = 0; i < 5 && (await pending()) > 0; i++) await h.engine.syncAccount(accountId)
    expect(await pending()).toBe(0)
    await h.engine.syncAccount(accountId)
    expect((await status()).state).toBe('idle')
    expect((await serverSnapshot(device, 'Archive')).messages.size).toBe(archiveBefore + 2)
    // A second pass changes nothing: nothing is replayed twice.
    await h.engine.syncAccount(accountId)
    expect((await serverSnapshot(device, 'Archive')).messages.size).toBe(archiveBefore + 2)
    await expectFolderConverged('Archive')
    await expectFolderConverged(FOLDER)
  })

  it('drops an action on messages another device already deleted, and converges to the server', async () => {
    const [row] = await folderRows(FOLDER)
    const lock = await device.getMailboxLock(FOLDER)
    try {
      await device.messageDelete(String(row!.uid), { uid: true })
    } finally {
      lock.release()
    }
    await h.engine.act({ kind: 'set-flags', messageIds: [row!.id!], add: ['\\Flagged'], remove: [] })
    await settled()
    expect(await getMessage(h.store.fast, row!.id!)).toBeUndefined()
    await expectFolderConverged(FOLDER)
  })

  it('undoes a move the server refuses (target deleted elsewhere) and tells the user', async () => {
    await device.mailboxCreate('Doomed')
    await h.engine.syncAccount(accountId)
    const [row] = await folderRows(FOLDER)
    // Another device deletes the folder; this client has not synced since, so it still offers it.
    await device.mailboxDelete('Doomed')
    await h.engine.act({ kind: 'move', messageIds: [row!.id!], toFolderId: folderId(accountId, 'Doomed') })
    expect((await getMessage(h.store.fast, row!.id!))?.folderId).toBe(folderId(accountId, 'Doomed'))
    await settled()
    const back = await getMessage(h.store.fast, row!.id!)
    expect(back).toMatchObject({ folderId: folderId(accountId, FOLDER), uid: row!.uid })
    const notices = (await h.store.fast.syncState.get(noticeKey(accountId)))?.value as AccountNotice[]
    expect(notices.at(-1)?.message).toMatch(/Moving 1 message from ActionSuite to Doomed was refused/)
    await expectFolderConverged(FOLDER)
  })

  it('keeps local mail when the account vanishes from core, and deletes it only on explicit removal', async () => {
    const before = await accountMessageIds(h.store.fast, accountId).then((ids) => ids.length)
    expect(before).toBeGreaterThan(0)
    await expect(h.engine.forgetAccount(accountId)).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    await h.connection.client.call('accounts.remove', { id: accountId })
    await h.engine.syncAll()
    // Gone from core's list: nothing local is deleted as a side effect.
    expect(await accountMessageIds(h.store.fast, accountId).then((ids) => ids.length)).toBe(before)
    // Search words and snippets of its messages exist by now, and must go with them.
    const ids = (await accountMessageIds(h.store.fast, accountId)) as number[]
    await h.engine.backgroundSettled()
    expect((await h.store.fast.messageWords.bulkGet(ids)).filter(Boolean).length).toBe(ids.length)
    expect((await h.store.fast.snippets.bulkGet(ids)).filter(Boolean).length).toBeGreaterThan(0)
    await h.engine.forgetAccount(accountId)
    expect((await h.store.fast.messageWords.bulkGet(ids)).filter(Boolean)).toEqual([])
    expect((await h.store.fast.snippets.bulkGet(ids)).filter(Boolean)).toEqual([])
    expect(await accountMessageIds(h.store.fast, accountId).then((ids) => ids.length)).toBe(0)
    expect(await h.store.fast.folders.where('accountId').equals(accountId).count()).toBe(0)
    expect(await h.store.fast.accounts.get(accountId)).toBeUndefined()
  })
})
