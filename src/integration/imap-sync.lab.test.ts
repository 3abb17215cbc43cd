import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { corpusForLab } from '../lab/corpus'
import { readBodies, readBody } from '../renderer/src/store/bodies/body-store'
import { withSnippets } from '../renderer/src/store/queries/snippets'
import { folderId } from '../renderer/src/store/rows'
import { statusKey, type AccountSyncStatus } from '../renderer/src/sync/engine/account-status'
import type { CoreApi } from '../renderer/src/sync/engine/core-api'
import {
  fillSnippets,
  markSnippetsPending,
  snippetsPendingKey,
} from '../renderer/src/sync/imap/fill-snippets'
import type { ParamsOf } from '../shared/contract'
import {
  addLabImapAccount,
  cacheSnapshot,
  serverSnapshot,
  startSyncHarness,
  type SyncHarness,
} from './sync-harness'
import {
  allMessages,
  countFolderMessages,
  folderMessages,
  getMessage,
  updateMessage,
} from '../renderer/src/store/messages'

const USER = 'carol'
const FOLDER = 'SyncSuite'

async function expectConverged(h: SyncHarness, device: ImapFlow, accountId: string): Promise<void> {
  const folders = await h.store.fast.folders.where('accountId').equals(accountId).toArray()
  const paths = folders.filter((f) => f.selectable).map((f) => f.path)
  expect(paths).toEqual(expect.arrayContaining(['INBOX', FOLDER]))
  for (const path of paths) {
    const server = await serverSnapshot(device, path)
    const cache = await cacheSnapshot(h.store, accountId, path)
    expect({ path, uidValidity: cache.uidValidity }).toEqual({ path, uidValidity: server.uidValidity })
    expect({ path, uids: [...cache.messages.keys()].sort((a, b) => a - b) }).toEqual({
      path,
      uids: [...server.messages.keys()].sort((a, b) => a - b),
    })
    expect({ path, flags: cache.messages }).toEqual({ path, flags: server.messages })
  }
}

describe('IMAP sync into the store (real core, real Dovecot, Dexie on fake-indexeddb)', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let device: ImapFlow
  let accountId: string

  beforeAll(async () => {
    labHandle = await useLab()
    const { lab } = labHandle
    // A year of mail ending today, so the 30-day offline policy has both recent and older messages to sort.
    const start = new Date(Date.now() - 365 * 86_400_000)
    await lab.loadMaildir(
      USER,
      FOLDER,
      corpusForLab({ count: 400, seed: 7, size: 'small', start, spanDays: 364 }),
    )
    device = await lab.otherDevice(USER)
    h = await startSyncHarness()
    accountId = await addLabImapAccount(h, lab, USER)
  })
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
    await h?.dispose()
    await labHandle?.release()
  })

  it('fills the cache with every folder and converges exactly to the server (UIDs and flags)', async () => {
    await h.engine.syncAll()
    const status = (await h.store.fast.syncState.get(statusKey(accountId)))?.value as AccountSyncStatus
    expect(status).toMatchObject({ state: 'idle', error: null })
    expect(await h.store.fast.accounts.get(accountId)).toMatchObject({
      kind: 'imap',
      email: expect.stringContaining(USER),
    })
    const folders = await h.store.fast.folders.where('accountId').equals(accountId).toArray()
    expect(folders.find((f) => f.path === 'INBOX')?.specialUse).toBe('inbox')
    expect(folders.map((f) => f.specialUse)).toEqual(
      expect.arrayContaining(['sent', 'trash', 'drafts', 'junk']),
    )
    const cached = await countFolderMessages(h.store.fast, folderId(accountId, FOLDER))
    expect(cached).toBe(400)
    await expectConverged(h, device, accountId)
  })

  it('stores decoded headers, thread keys and, after the pass, snippets the list can show', async () => {
    const stored = await folderMessages(h.store.fast, folderId(accountId, FOLDER))
    // The header pass writes rows without snippets and marks the folder; the work after the pass fills them.
    expect(stored.every((r) => r.snippet === '')).toBe(true)
    await h.engine.backgroundSettled()
    expect(await h.store.fast.syncState.get(snippetsPendingKey(folderId(accountId, FOLDER)))).toBeUndefined()
    const rows = await withSnippets(h.store.fast, stored)
    expect(rows.every((r) => r.subject.length > 0 && r.from.length > 0 && r.date > 0)).toBe(true)
    expect(rows.filter((r) => r.snippet.length > 0).length).toBeGreaterThan(300)
    // The corpus has threads: some thread keys are shared by several messages.
    const threads = new Map<string, number>()
    for (const r of rows) threads.set(r.threadId, (threads.get(r.threadId) ?? 0) + 1)
    expect([...threads.values()].some((n) => n > 1)).toBe(true)
    // Non-ASCII subjects arrive decoded, never as raw encoded-words.
    expect(rows.some((r) => /[\u0080-\uffff]/.test(r.subject))).toBe(true)
    expect(rows.some((r) => r.subject.includes('=?'))).toBe(false)
  })

  it('keeps the last 30 days readable offline (the default body policy) and fetches older ones on open', async () => {
    const rows = await folderMessages(h.store.fast, folderId(accountId, FOLDER))
    const cutoff = Date.now() - 30 * 86_400_000
    const recent = rows.filter((r) => r.date >= cutoff)
    const old = rows.filter((r) => r.date < cutoff)
    expect(recent.length).toBeGreaterThan(0)
    expect(old.length).toBeGreaterThan(0)
    expect(recent.every((r) => r.bodyState === 'full')).toBe(true)
    expect(old.every((r) => r.bodyState === 'none')).toBe(true)
    // Each in the account's body file (nothing in the old table), all of its bytes.
    expect(recent.filter((r) => r.body === undefined).map((r) => r.uid)).toEqual([])
    expect(await h.store.fast.bodies.count()).toBe(0)
    const stored = await readBodies(h.store.fast, recent)
    expect(recent.filter((r, i) => stored[i]?.byteLength !== r.size).map((r) => r.uid)).toEqual([])

    const target = old[0]!
    await h.engine.loadBody(target.id!)
    const opened = await getMessage(h.store.fast, target.id!)
    expect(opened?.body).toBeDefined()
    const body = await readBody(h.store.fast, opened!)
    const lock = await device.getMailboxLock(FOLDER, { readOnly: true })
    try {
      const original = await device.fetchOne(String(target.uid), { source: true }, { uid: true })
      expect(original && original.source && Buffer.from(body!).equals(original.source)).toBe(true)
    } finally {
      lock.release()
    }
    expect((await getMessage(h.store.fast, target.id!))?.bodyState).toBe('full')
  })

  it('does not look for missing bodies again until the folder changes (no-change resync stays cheap)', async () => {
    await h.engine.syncAll()
    const cutoff = Date.now() - 30 * 86_400_000
    const rows = await folderMessages(h.store.fast, folderId(accountId, FOLDER))
    const recent = rows.find((r) => r.date >= cutoff && r.bodyState === 'full')!
    // A body the folder's record says is stored, taken away behind its back: only a scan would notice.
    await updateMessage(h.store.fast, recent.id!, { bodyState: 'none', body: undefined })
    await h.engine.syncAll()
    expect((await getMessage(h.store.fast, recent.id!))?.body).toBeUndefined()
    // New mail raises UIDNEXT: the folder is looked at again and the missing body comes.
    await device.append(
      FOLDER,
      'From: x@lab.test\r\nSubject: raises uidnext\r\nMessage-ID: <uidnext-1@lab.test>\r\n\r\nhi\r\n',
    )
    await h.engine.syncAll()
    const back = await getMessage(h.store.fast, recent.id!)
    expect(back?.bodyState).toBe('full')
    expect((await readBody(h.store.fast, back!))?.byteLength).toBe(back!.size)
  })

  it('picks up new mail from another device without duplicating what is cached', async () => {
    await device.append(
      FOLDER,
      'From: x@lab.test\r\nSubject: appended elsewhere\r\nMessage-ID: <new-1@lab.test>\r\n\r\nhi\r\n',
    )
    await h.engine.syncAll()
    const rows = await folderMessages(h.store.fast, folderId(accountId, FOLDER))
    expect(rows).toHaveLength(402)
    expect(rows.filter((r) => r.subject === 'appended elsewhere')).toHaveLength(1)
    await expectConverged(h, device, accountId)
  })

  it('converges after another device changes flags, moves and expunges', async () => {
    const lock = await device.getMailboxLock(FOLDER)
    let moved: number[]
    try {
      const uids = (await device.search({ all: true }, { uid: true })) || []
      expect(uids.length).toBeGreaterThan(50)
      await device.messageFlagsAdd(uids.slice(0, 10).join(','), ['\\Flagged'], { uid: true })
      await device.messageFlagsRemove(uids.slice(10, 20).join(','), ['\\Seen'], { uid: true })
      await device.messageFlagsAdd(uids.slice(20, 30).join(','), ['\\Seen', '$Label1'], { uid: true })
      moved = uids.slice(30, 35)
      await device.messageMove(moved.join(','), 'Archive', { uid: true })
      await device.messageDelete(uids.slice(35, 40).join(','), { uid: true })
    } finally {
      lock.release()
    }
    await h.engine.syncAll()
    await expectConverged(h, device, accountId)
    const rows = await countFolderMessages(h.store.fast, folderId(accountId, FOLDER))
    expect(rows).toBe(402 - 10)
    const archived = await countFolderMessages(h.store.fast, folderId(accountId, 'Archive'))
    expect(archived).toBeGreaterThanOrEqual(moved.length)
  })

  it('does nothing on a resync when nothing changed (STATUS proves it)', async () => {
    const before = await allMessages(h.store.fast)
    await h.engine.syncAll()
    const after = await allMessages(h.store.fast)
    expect(after).toEqual(before)
  })

  it('rebuilds a folder whose UIDVALIDITY changed', async () => {
    const before = (await h.store.fast.folders.get(folderId(accountId, FOLDER)))!.uidValidity
    const next = await labHandle.lab.resetUidValidity(USER, FOLDER)
    // Dovecot drops sessions that had the folder selected: the engine must reconnect on its own.
    device = await labHandle.lab.otherDevice(USER)
    await h.engine.syncAll()
    const after = (await h.store.fast.folders.get(folderId(accountId, FOLDER)))!.uidValidity
    expect(after).not.toBe(before)
    expect(after).toBe(next)
    await expectConverged(h, device, accountId)
  })

  it('a sync cut off mid-way resumes without duplicates and converges', async () => {
    await labHandle.lab.loadMaildir(USER, 'SyncSuite2', corpusForLab({ count: 2000, seed: 9, size: 'small' }))
    const target = folderId(accountId, 'SyncSuite2')
    const syncing = h.engine.syncAll()
    // Cut the account's sessions once the first batches of the new folder are stored, not before or after.
    let seen = 0
    for (let i = 0; i < 2000 && (seen === 0 || seen >= 2000); i++) {
      await new Promise((r) => setTimeout(r, 5))
      seen = await countFolderMessages(h.store.fast, target)
    }
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(2000)
    expect(await labHandle.lab.kickUser(USER)).toBe(true)
    await syncing
    device = await labHandle.lab.otherDevice(USER)
    await h.engine.syncAll()
    await expectConverged(h, device, accountId)
    expect(await countFolderMessages(h.store.fast, target)).toBe(2000)
  })

  it('snippets a run left half done are finished by the next one, each fetched once', async () => {
    const target = folderId(accountId, 'SyncSuite2')
    await h.engine.backgroundSettled()
    const rows = await folderMessages(h.store.fast, target)
    expect(rows).toHaveLength(2000)
    const full = await h.store.fast.snippets.bulkGet(rows.map((r) => r.id!))
    expect(full.every((s) => s !== undefined)).toBe(true)
    // As a run stopped by a pass leaves it: the mark set, the newest half of the snippets stored.
    rows.sort((a, b) => b.uid! - a.uid!)
    await h.store.fast.snippets.bulkDelete(rows.slice(1000).map((r) => r.id!))
    await markSnippetsPending(h.store, target, 1)
    const asked: number[] = []
    const core: CoreApi = {
      call: (method, params, opts) => {
        if (method === 'imap.snippets') asked.push(...(params as ParamsOf<'imap.snippets'>).uids)
        return h.connection.client.call(method, params, opts)
      },
      on: (event, cb) => h.connection.client.on(event, cb),
    }
    const folder = (await h.store.fast.folders.get(target))!
    expect(await fillSnippets(h.store, core, folder)).toBe(1000)
    expect(asked.sort((a, b) => a - b)).toEqual(
      rows
        .slice(1000)
        .map((r) => r.uid!)
        .sort((a, b) => a - b),
    )
    expect(await h.store.fast.syncState.get(snippetsPendingKey(target))).toBeUndefined()
    const after = await h.store.fast.snippets.bulkGet(rows.map((r) => r.id!))
    expect(new Map(after.map((x) => [x!.id, x!.text]))).toEqual(new Map(full.map((x) => [x!.id, x!.text])))
  })

  it('reports a wrong password as the account status, and other accounts still sync', async () => {
    const { lab } = labHandle
    const bad = await h.connection.client.call('accounts.add', {
      account: {
        kind: 'imap',
        name: 'broken',
        email: lab.user('bob').address,
        incoming: {
          host: lab.host,
          port: lab.ports.imaps,
          tls: 'implicit',
          username: lab.user('bob').address,
        },
        smtp: null,
        trustedCaPem: lab.caPem,
      },
      secrets: { incomingPassword: 'wrong password' },
    })
    await device.append(FOLDER, 'From: y@lab.test\r\nSubject: while bob fails\r\n\r\nhi\r\n')
    await h.engine.syncAll()
    const badStatus = (await h.store.fast.syncState.get(statusKey(bad.account.id)))
      ?.value as AccountSyncStatus
    expect(badStatus.state).toBe('error')
    expect(badStatus.error?.code).toBe('AUTH_FAILED')
    const rows = await folderMessages(h.store.fast, folderId(accountId, FOLDER))
    expect(rows.filter((r) => r.subject === 'while bob fails')).toHaveLength(1)
  })
})
