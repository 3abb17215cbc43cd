import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { corpusForLab } from '../lab/corpus'
import { folderId } from '../renderer/src/store/rows'
import { folderContents } from '../renderer/src/sync/actions/imap-folder-actions'
import { noticeKey, type AccountNotice } from '../renderer/src/sync/engine/account-status'
import {
  addLabImapAccount,
  cacheSnapshot,
  serverSnapshot,
  startSyncHarness,
  type SyncHarness,
} from './sync-harness'
import { folderMessages, getMessage, getMessages } from '../renderer/src/store/messages'

const USER = 'frank'
const SOURCE = 'FolderSuite'

/**
 * Folder create / rename / delete, and actions on messages whose move is still queued, through the whole
 * path: the sync engine's local apply + queue, core's IMAP commands, real Dovecot, another device watching.
 */
describe('IMAP folders and follow-up actions: applied here at once, replayed once, server agrees', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let device: ImapFlow
  let accountId: string

  const id = (path: string): string => folderId(accountId, path)
  const rowsOf = (path: string) => folderMessages(h.store.fast, id(path))
  const pending = () => h.store.fast.pendingActions.count()
  const serverPaths = async (): Promise<string[]> => (await device.list()).map((m) => m.path).sort()
  const notices = async (): Promise<string[]> =>
    (
      ((await h.store.fast.syncState.get(noticeKey(accountId)))?.value as AccountNotice[] | undefined) ?? []
    ).map((n) => n.message)

  async function expectConverged(path: string): Promise<void> {
    const server = await serverSnapshot(device, path)
    const cache = await cacheSnapshot(h.store, accountId, path)
    expect({ path, flags: cache.messages }).toEqual({ path, flags: server.messages })
  }

  /** A pass that starts now: a request during a running pass joins it, and that one may predate a change. */
  async function freshPass(): Promise<void> {
    await h.engine.syncAccount(accountId)
    await h.engine.syncAccount(accountId)
  }

  async function settled(): Promise<void> {
    await expect.poll(pending, { timeout: 15_000 }).toBe(0)
    await freshPass()
  }

  /** Replays until the queue is empty after the server came back (a pass started while it was down may finish first). */
  async function replayAll(): Promise<void> {
    for (let i = 0; i < 5 && (await pending()) > 0; i++) await h.engine.syncAccount(accountId)
    expect(await pending()).toBe(0)
    await h.engine.syncAccount(accountId)
  }

  beforeAll(async () => {
    labHandle = await useLab()
    await labHandle.lab.loadMaildir(USER, SOURCE, corpusForLab({ count: 30, seed: 11, size: 'small' }))
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

  it('creates a folder (and a subfolder) here at once and on the server, and mail can move into it', async () => {
    const made = await h.engine.folderAction({
      kind: 'create-folder',
      accountId,
      parentPath: null,
      name: 'Projects',
    })
    expect(made.folderId).toBe(id('Projects'))
    // Local first, before the replay finished.
    expect(await h.store.fast.folders.get(id('Projects'))).toMatchObject({ name: 'Projects', local: false })
    await h.engine.folderAction({ kind: 'create-folder', accountId, parentPath: 'Projects', name: 'Harbor' })
    expect(await h.store.fast.folders.get(id('Projects/Harbor'))).toMatchObject({ parentPath: 'Projects' })
    await settled()
    expect(await serverPaths()).toEqual(expect.arrayContaining(['Projects', 'Projects/Harbor']))
    const [row] = await rowsOf(SOURCE)
    await h.engine.act({ kind: 'move', messageIds: [row!.id!], toFolderId: id('Projects/Harbor') })
    await settled()
    expect((await getMessage(h.store.fast, row!.id!))?.uid).toBeTypeOf('number')
    await expectConverged('Projects/Harbor')
    await expectConverged(SOURCE)
  })

  it('refuses bad names, duplicates, and renaming or deleting Inbox and special folders', async () => {
    const create = (name: string, parentPath: string | null = null) =>
      h.engine.folderAction({ kind: 'create-folder', accountId, parentPath, name })
    await expect(create('')).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    await expect(create('a/b')).rejects.toThrow(/cannot contain “\/”/)
    await expect(create('Projects')).rejects.toThrow(/already exists/)
    await expect(create('inbox')).rejects.toThrow(/already exists/)
    for (const path of ['INBOX', 'Trash', 'Archive']) {
      await expect(
        h.engine.folderAction({ kind: 'rename-folder', folderId: id(path), newName: 'Other' }),
      ).rejects.toThrow(/cannot be renamed or deleted/)
      await expect(h.engine.folderAction({ kind: 'delete-folder', folderId: id(path) })).rejects.toThrow(
        /cannot be renamed or deleted/,
      )
    }
    await expect(
      h.engine.folderAction({
        kind: 'rename-folder',
        folderId: id('Projects'),
        newName: 'Projects',
        newParentPath: 'Projects/Harbor',
      }),
    ).rejects.toThrow(/into itself/)
    expect(await pending()).toBe(0)
  })

  it('renames a folder with its subfolder: messages keep their rows and UIDs, nothing is fetched again', async () => {
    const before = await rowsOf('Projects/Harbor')
    expect(before.length).toBe(1)
    await h.engine.folderAction({ kind: 'rename-folder', folderId: id('Projects'), newName: 'Work' })
    // At once here: the tree and its messages are re-keyed.
    expect(await h.store.fast.folders.get(id('Projects'))).toBeUndefined()
    expect(await h.store.fast.folders.get(id('Work/Harbor'))).toMatchObject({ parentPath: 'Work' })
    expect((await rowsOf('Work/Harbor')).map((r) => [r.id, r.uid])).toEqual(before.map((r) => [r.id, r.uid]))
    await settled()
    const paths = await serverPaths()
    expect(paths).toEqual(expect.arrayContaining(['Work', 'Work/Harbor']))
    expect(paths).not.toContain('Projects')
    expect((await rowsOf('Work/Harbor')).map((r) => [r.id, r.uid])).toEqual(before.map((r) => [r.id, r.uid]))
    await expectConverged('Work/Harbor')
    // And moves a subfolder to the top level.
    await h.engine.folderAction({
      kind: 'rename-folder',
      folderId: id('Work/Harbor'),
      newName: 'Harbor',
      newParentPath: null,
    })
    await settled()
    expect(await serverPaths()).toEqual(expect.arrayContaining(['Harbor', 'Work']))
    expect((await rowsOf('Harbor')).map((r) => r.id)).toEqual(before.map((r) => r.id))
    await expectConverged('Harbor')
  })

  it('deletes a folder with its subfolders and says first how many messages go with it', async () => {
    await h.engine.folderAction({ kind: 'create-folder', accountId, parentPath: 'Work', name: 'Old' })
    await settled()
    const rows = (await rowsOf(SOURCE)).slice(0, 2)
    await h.engine.act({ kind: 'move', messageIds: rows.map((r) => r.id!), toFolderId: id('Work/Old') })
    await settled()
    expect(await folderContents(h.store.fast, id('Work'))).toEqual({ folders: 2, messages: 2 })
    await h.engine.folderAction({ kind: 'delete-folder', folderId: id('Work') })
    expect(await h.store.fast.folders.get(id('Work/Old'))).toBeUndefined()
    expect(
      await getMessages(
        h.store.fast,
        rows.map((r) => r.id!),
      ),
    ).toEqual([undefined, undefined])
    await settled()
    const paths = await serverPaths()
    expect(paths).not.toContain('Work')
    expect(paths).not.toContain('Work/Old')
  })

  it('queues folder actions while the server is down and replays each exactly once', async () => {
    await device.mailboxCreate('Offline')
    await freshPass()
    await labHandle.lab.dovecot.kill()
    try {
      await h.engine.folderAction({
        kind: 'create-folder',
        accountId,
        parentPath: null,
        name: 'Made offline',
      })
      await h.engine.folderAction({
        kind: 'rename-folder',
        folderId: id('Offline'),
        newName: 'Renamed offline',
      })
      await h.engine.folderAction({ kind: 'create-folder', accountId, parentPath: null, name: 'Short-lived' })
      await h.engine.folderAction({ kind: 'delete-folder', folderId: id('Short-lived') })
      await h.engine.syncAccount(accountId)
      // Deleting a folder whose creation never reached the server cancels the creation: nothing to send.
      expect(await pending()).toBe(2)
      const local = (await h.store.fast.folders.where('accountId').equals(accountId).toArray()).map(
        (f) => f.path,
      )
      expect(local).toEqual(expect.arrayContaining(['Made offline', 'Renamed offline']))
      expect(local).not.toContain('Offline')
      expect(local).not.toContain('Short-lived')
    } finally {
      await labHandle.lab.dovecot.restart()
    }
    device = await labHandle.lab.otherDevice(USER)
    await replayAll()
    const paths = await serverPaths()
    expect(paths).toEqual(expect.arrayContaining(['Made offline', 'Renamed offline']))
    expect(paths).not.toContain('Offline')
    expect(paths).not.toContain('Short-lived')
    // Nothing replayed twice: a second pass leaves the server as it is.
    await h.engine.syncAccount(accountId)
    expect(await serverPaths()).toEqual(paths)
  })

  it('refuses to rename or delete a folder that still has queued changes, and says why', async () => {
    await labHandle.lab.dovecot.kill()
    try {
      const [row] = await rowsOf(SOURCE)
      await h.engine.act({ kind: 'move', messageIds: [row!.id!], toFolderId: id('Made offline') })
      await expect(
        h.engine.folderAction({ kind: 'rename-folder', folderId: id('Made offline'), newName: 'X' }),
      ).rejects.toThrow(/changes that have not reached the server yet/)
      await expect(h.engine.folderAction({ kind: 'delete-folder', folderId: id(SOURCE) })).rejects.toThrow(
        /changes that have not reached the server yet/,
      )
    } finally {
      await labHandle.lab.dovecot.restart()
    }
    device = await labHandle.lab.otherDevice(USER)
    await replayAll()
    await expectConverged('Made offline')
  })

  it('undoes a rename the server refuses (the name was taken on another device) and tells the user', async () => {
    // Another device takes the name; this client has not synced since, so it still offers it.
    await device.mailboxCreate('Taken')
    await h.engine.folderAction({ kind: 'rename-folder', folderId: id('Renamed offline'), newName: 'Taken' })
    expect(await h.store.fast.folders.get(id('Renamed offline'))).toBeUndefined()
    await settled()
    expect(await h.store.fast.folders.get(id('Renamed offline'))).toBeDefined()
    expect(await serverPaths()).toEqual(expect.arrayContaining(['Renamed offline', 'Taken']))
    expect((await notices()).at(-1)).toMatch(/Renaming the folder Renamed offline was refused/)
  })

  it('a folder deleted on another device meanwhile: deleting it here is simply done', async () => {
    await device.mailboxDelete('Taken')
    await h.engine.folderAction({ kind: 'delete-folder', folderId: id('Taken') })
    await settled()
    expect(await h.store.fast.folders.get(id('Taken'))).toBeUndefined()
    expect(await serverPaths()).not.toContain('Taken')
  })

  it('flags, moves on and deletes messages whose move is still queued: the server ends as the user left it', async () => {
    const rows = (await rowsOf(SOURCE)).slice(0, 5)
    const [flagged, movedOn, emptied, unflagged, movedBack] = rows.map((r) => r.id!)
    const messageIdOf = new Map(rows.map((r) => [r.id!, r.messageId]))
    const flagsOf = new Map(rows.map((r) => [r.id!, r.flags.filter((f) => f !== '\\Recent')]))
    const expected = (messageId: number, ...add: string[]): string[] =>
      [...new Set([...flagsOf.get(messageId)!, ...add])].sort()
    await labHandle.lab.dovecot.kill()
    try {
      // All four go to Archive first; that move waits in the queue.
      await h.engine.act({ kind: 'archive', messageIds: rows.map((r) => r.id!) })
      await h.engine.act({
        kind: 'set-flags',
        messageIds: [flagged!],
        add: ['\\Flagged', '\\Seen'],
        remove: [],
      })
      await h.engine.act({ kind: 'set-flags', messageIds: [unflagged!], add: ['$Later'], remove: [] })
      await h.engine.act({ kind: 'set-flags', messageIds: [unflagged!], add: [], remove: ['$Later'] })
      await h.engine.act({ kind: 'move', messageIds: [movedOn!], toFolderId: id('Made offline') })
      await h.engine.act({ kind: 'set-flags', messageIds: [movedOn!], add: ['$MovedOn'], remove: [] })
      await h.engine.act({ kind: 'delete', messageIds: [emptied!] })
      await h.engine.act({ kind: 'empty-folder', folderId: id('Trash') })
      await h.engine.act({ kind: 'move', messageIds: [movedBack!], toFolderId: id(SOURCE) })
      expect(await getMessage(h.store.fast, emptied!)).toBeUndefined()
    } finally {
      await labHandle.lab.dovecot.restart()
    }
    device = await labHandle.lab.otherDevice(USER)
    await replayAll()

    const byMessageId = async (path: string) => {
      const lock = await device.getMailboxLock(path, { readOnly: true })
      try {
        const found = new Map<string, string[]>()
        if (device.mailbox === false || device.mailbox.exists === 0) return found
        for await (const m of device.fetch('1:*', { envelope: true, flags: true })) {
          found.set(m.envelope?.messageId ?? '', [...(m.flags ?? [])].sort())
        }
        return found
      } finally {
        lock.release()
      }
    }
    const archive = await byMessageId('Archive')
    expect(archive.get(messageIdOf.get(flagged!)!)).toEqual(expected(flagged!, '\\Flagged', '\\Seen'))
    expect(archive.get(messageIdOf.get(unflagged!)!)).toEqual(expected(unflagged!))
    expect(archive.has(messageIdOf.get(movedOn!)!)).toBe(false)
    expect((await byMessageId('Made offline')).get(messageIdOf.get(movedOn!)!)).toEqual(
      expected(movedOn!, '$MovedOn'),
    )
    const gone = messageIdOf.get(emptied!)!
    for (const path of ['Archive', 'Trash', SOURCE]) expect((await byMessageId(path)).has(gone)).toBe(false)
    // The cache agrees, with each message once, at its new UID.
    for (const path of ['Archive', 'Trash', 'Made offline', SOURCE]) await expectConverged(path)
    expect((await getMessage(h.store.fast, movedOn!))?.folderId).toBe(id('Made offline'))
    // Archived and moved back while offline: back where it was on the server, still the same row here.
    expect(archive.has(messageIdOf.get(movedBack!)!)).toBe(false)
    expect((await byMessageId(SOURCE)).has(messageIdOf.get(movedBack!)!)).toBe(true)
    const back = await getMessage(h.store.fast, movedBack!)
    expect(back?.folderId).toBe(id(SOURCE))
    expect(back?.origin).toBeUndefined()
    expect((await getMessage(h.store.fast, movedBack!))?.uid).toBeTypeOf('number')
    expect((await getMessage(h.store.fast, flagged!))?.uid).toBeTypeOf('number')
  })
})
