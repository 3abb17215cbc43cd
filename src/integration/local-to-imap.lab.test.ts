import 'fake-indexeddb/auto'
import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTcpProxy, startLab, type Lab, type TcpProxy } from '../lab/lab'
import { MailError } from '../shared/errors'
import { folderId } from '../renderer/src/store/rows'
import { noticeKey, type AccountNotice } from '../renderer/src/sync/engine/account-status'
import { replayImapActions } from '../renderer/src/sync/actions/replay-imap-actions'
import type { CoreApi } from '../renderer/src/sync/engine/core-api'
import { runLocalCommand } from '../renderer/src/sync/pop3/local-actions'
import { importMessages } from '../renderer/src/sync/pop3/folder-archive'
import { addLabPop3Account, labMessage, sha256 } from './pop3-lab-support'
import { startSyncHarness, type SyncHarness } from './sync-harness'
import { readBodies } from '../renderer/src/store/bodies/body-store'
import {
  countFolderMessages,
  folderMessages,
  getMessage,
  updateMessage,
} from '../renderer/src/store/messages'

/**
 * Local (POP3) mail copied and moved into an IMAP account's folder: the worker queues an APPEND of the
 * stored bytes, replays it through core to real Dovecot, and removes the local copy of a move only after
 * the server has it. The IMAP account reaches Dovecot through a TCP proxy that can be taken away (offline).
 */
describe('local mail → IMAP folder (real core, real Dovecot, Dexie on fake-indexeddb)', () => {
  let lab: Lab
  let h: SyncHarness
  let proxy: TcpProxy
  let device: ImapFlow
  let popId: string
  let imapId: string
  const TARGET = 'FromLocal'

  const pending = () => h.store.fast.pendingActions.count()
  const act = (command: Parameters<typeof runLocalCommand>[2]) =>
    runLocalCommand(h.store, h.connection.client, command)

  /** sha256 of every message in the server folder, as another IMAP client sees it now. */
  async function serverHashes(): Promise<string[]> {
    const lock = await device.getMailboxLock(TARGET)
    try {
      await device.noop()
      const out: string[] = []
      for await (const m of device.fetch('1:*', { source: true }, { uid: true })) out.push(sha256(m.source!))
      return out.sort()
    } catch (error) {
      if (device.mailbox && device.mailbox.exists === 0) return []
      throw error
    } finally {
      lock.release()
    }
  }

  /**
   * The fault: core carries out the queued APPEND, then the worker dies before its settling transaction runs
   * (seen from the store, a kill and a lost reply are the same: the queue row is still there).
   */
  async function replayDyingAfterAppend(): Promise<void> {
    const dying: CoreApi = {
      call: (async (method: string, params: never) => {
        await h.connection.client.call(method as 'imap.append', params)
        throw new MailError('TRANSPORT_CLOSED', 'killed after APPEND')
      }) as CoreApi['call'],
    } as CoreApi
    await expect(replayImapActions(h.store, dying, imapId)).rejects.toThrow('killed after APPEND')
  }

  async function localInbox() {
    // In the order they were stored: `where('folderId')` reads a compound index (its order is the date's).
    const rows = (await folderMessages(h.store.fast, folderId(popId, 'INBOX'))).sort((a, b) => a.id! - b.id!)
    const bodies = await readBodies(h.store.fast, rows)
    return rows.map((r, i) => ({ row: r, hash: sha256(bodies[i]!) }))
  }

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: 'popper' }, { name: 'imapper' }] })
    await lab.loadMaildir(
      'popper',
      'INBOX',
      ['one', 'two', 'three', 'four', 'five', 'six'].map((t) =>
        labMessage(t, `Body of ${t}\r\nFrom here\r\n`),
      ),
    )
    device = await lab.otherDevice('imapper')
    await device.mailboxCreate(TARGET)
    proxy = await createTcpProxy({ targetPort: lab.ports.imaps })
    h = await startSyncHarness()
    popId = await addLabPop3Account(h, lab, 'popper')
    const user = lab.user('imapper')
    const { account } = await h.connection.client.call('accounts.add', {
      account: {
        kind: 'imap',
        name: 'imapper (via proxy)',
        email: user.address,
        incoming: { host: lab.host, port: proxy.port, tls: 'implicit', username: user.address },
        smtp: null,
        trustedCaPem: lab.caPem,
      },
      secrets: { incomingPassword: user.password },
    })
    imapId = account.id
    await h.engine.syncAll()
    expect(await localInbox()).toHaveLength(6)
  })
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
    await h?.dispose()
    await proxy?.close()
    await lab?.stop()
  })

  it('copy: the server folder gets the stored bytes unchanged; the local copy stays', async () => {
    const [first] = await localInbox()
    const outcome = await act({
      kind: 'copy',
      messageIds: [first!.row.id!],
      toFolderId: folderId(imapId, TARGET),
    })
    expect(outcome).toMatchObject({ handled: true, replay: [imapId] })
    expect(await pending()).toBe(1)
    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(0)
    expect(await serverHashes()).toEqual([first!.hash])
    expect(await getMessage(h.store.fast, first!.row.id!)).toBeDefined()
    // The IMAP account's cache shows it after that same pass.
    const cached = await countFolderMessages(h.store.fast, folderId(imapId, TARGET))
    expect(cached).toBe(1)
  })

  it('copy within one IMAP account (Ctrl+drop): the text is downloaded first, then appended once', async () => {
    const raw = labMessage('seven', 'Body of seven\r\nOn the server only\r\n')
    await device.append('INBOX', raw)
    await h.engine.syncAccount(imapId)
    const row = (await folderMessages(h.store.fast, folderId(imapId, 'INBOX'))).find(
      (r) => r.subject === 'seven',
    )
    // As under the "on open" body policy: only the headers are here.
    await updateMessage(h.store.durable, row!.id!, { bodyState: 'headers-only', body: undefined })
    await expect(
      act({ kind: 'copy', messageIds: [row!.id!], toFolderId: folderId(imapId, TARGET) }),
    ).rejects.toThrow(/not fully downloaded yet/)

    await h.engine.loadBodies([row!.id!])
    const outcome = await act({ kind: 'copy', messageIds: [row!.id!], toFolderId: folderId(imapId, TARGET) })
    expect(outcome).toMatchObject({ handled: true, replay: [imapId] })
    await h.engine.syncAccount(imapId)
    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(0)
    expect((await serverHashes()).filter((x) => x === sha256(raw))).toHaveLength(1)
    // The original stays where it was.
    expect(await getMessage(h.store.fast, row!.id!)).toMatchObject({ folderId: folderId(imapId, 'INBOX') })
  })

  it('move while offline: queued, local copy kept; online again: appended once, then removed locally', async () => {
    const [, second] = await localInbox()
    const port = proxy.port
    await proxy.close()
    await act({ kind: 'move', messageIds: [second!.row.id!], toFolderId: folderId(imapId, TARGET) })
    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(1)
    expect(await getMessage(h.store.fast, second!.row.id!)).toBeDefined()

    proxy = await createTcpProxy({ targetPort: lab.ports.imaps, port })
    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(0)
    expect(await getMessage(h.store.fast, second!.row.id!)).toBeUndefined()
    expect(await h.store.fast.bodies.get(second!.row.id!)).toBeUndefined()
    expect((await serverHashes()).filter((x) => x === second!.hash)).toHaveLength(1)
    // The POP3 ledger keeps its row: the message is not downloaded again by the next check.
    await h.engine.syncAccount(popId)
    expect((await localInbox()).some((m) => m.hash === second!.hash)).toBe(false)
  })

  it('a crash after the server took the APPEND but before the local removal: the replay neither loses nor duplicates', async () => {
    const [third] = await localInbox()
    await act({ kind: 'move', messageIds: [third!.row.id!], toFolderId: folderId(imapId, TARGET) })
    await replayDyingAfterAppend()
    expect(await pending()).toBe(1)
    expect(await getMessage(h.store.fast, third!.row.id!)).toBeDefined()
    expect((await serverHashes()).filter((x) => x === third!.hash)).toHaveLength(1)

    // Restart: the replay finds the message by Message-ID, appends nothing, and only now removes it here.
    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(0)
    expect(await getMessage(h.store.fast, third!.row.id!)).toBeUndefined()
    expect((await serverHashes()).filter((x) => x === third!.hash)).toHaveLength(1)
  })

  it('a message without Message-ID, moved, with a crash after the APPEND: the replay finds it by its bytes', async () => {
    const raw = new TextEncoder().encode(
      'From: Old <old@lab.test>\r\nSubject: no id\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\n\r\nbare\r\n',
    )
    const [id] = await importMessages(h.store, folderId(popId, 'INBOX'), [raw])
    await act({ kind: 'move', messageIds: [id!], toFolderId: folderId(imapId, TARGET) })
    await replayDyingAfterAppend()
    expect(await pending()).toBe(1)
    expect((await serverHashes()).filter((x) => x === sha256(raw))).toHaveLength(1)

    await h.engine.syncAccount(imapId)
    expect(await pending()).toBe(0)
    expect(await getMessage(h.store.fast, id!)).toBeUndefined()
    expect((await serverHashes()).filter((x) => x === sha256(raw))).toHaveLength(1)
  })

  it('the server refuses (folder deleted elsewhere): the move is dropped with a notice, the message stays local', async () => {
    await device.mailboxCreate('Doomed')
    await h.engine.syncAccount(imapId)
    const [fourth] = await localInbox()
    await act({ kind: 'move', messageIds: [fourth!.row.id!], toFolderId: folderId(imapId, 'Doomed') })
    await device.mailboxDelete('Doomed')
    // Through the engine: Dovecot may first cut the session that had the folder selected (a retry).
    await h.engine.syncAccount(imapId)
    const notices = (await h.store.fast.syncState.get(noticeKey(imapId)))?.value as AccountNotice[]
    expect(notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^Copying “four” to Doomed was refused by the server\. The message was kept in its local folder\./,
      ),
    ])
    expect(await pending()).toBe(0)
    expect(await getMessage(h.store.fast, fourth!.row.id!)).toMatchObject({
      folderId: folderId(popId, 'INBOX'),
    })
  })

  it('refuses to copy a message whose full text is not stored, saying what to do', async () => {
    const [fifth] = await localInbox()
    await updateMessage(h.store.durable, fifth!.row.id!, { bodyState: 'headers-only' })
    await expect(
      act({ kind: 'copy', messageIds: [fifth!.row.id!], toFolderId: folderId(imapId, TARGET) }),
    ).rejects.toThrow(/not fully downloaded yet\. Open it first/)
    await updateMessage(h.store.durable, fifth!.row.id!, { bodyState: 'full' })
    expect(await pending()).toBe(0)
  })
})
