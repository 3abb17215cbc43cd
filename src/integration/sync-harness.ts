import 'fake-indexeddb/auto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImapFlow } from 'imapflow'
import { createCore, type Core } from '../core/create-core'
import { connectOverMessageChannel, recordingLogger, type PortConnection } from '../core/rpc/test-kit'
import { createFileKeyCipher } from '../core/secrets/file-key-cipher'
import { realServerProbes } from '../core/server-probes'
import type { LabTools } from '../lab/lab'
import { labImapAccount } from '../lab/lab-accounts'
import { bucketDrift } from '../renderer/src/store/list-buckets'
import { threadDrift } from '../renderer/src/store/threads'
import { openMailStore, type MailStore } from '../renderer/src/store/mail-db'
import { folderId } from '../renderer/src/store/rows'
import { SyncEngine } from '../renderer/src/sync/engine/sync-engine'
import { allMessages, folderMessages } from '../renderer/src/store/messages'
import { readThreadRows } from '../renderer/src/store/thread-days'
import { testDayCounts } from '../renderer/src/store/test-day-counts'

/**
 * The whole sync path in one Node process: the real core (RPC over a MessageChannel, exactly the transport
 * code the app uses) and the real sync engine writing a Dexie store backed by fake-indexeddb. Only the
 * IndexedDB implementation differs from the browser; kill/durability tests belong in Chromium.
 */
export interface SyncHarness {
  core: Core
  connection: PortConnection
  store: MailStore
  engine: SyncEngine
  dispose(): Promise<void>
}

let dbCounter = 0

export async function startSyncHarness(
  dataDir?: string,
  opts: { watch?: boolean; pop3SpoolGraceMs?: number } = {},
): Promise<SyncHarness> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'harbor-sync-')))
  const core = await createCore({
    dataDir: dir,
    mode: 'test',
    secretCipher: await createFileKeyCipher(dir),
    version: 'test',
    logger: recordingLogger(),
    probes: realServerProbes,
    ...(opts.pop3SpoolGraceMs !== undefined ? { pop3SpoolGraceMs: opts.pop3SpoolGraceMs } : {}),
  })
  const connection = connectOverMessageChannel(core.rpc)
  const store = await openMailStore(`sync-harness-${process.pid}-${++dbCounter}`)
  // Tests drive passes themselves unless they test IDLE: a background pass would make counts racy.
  const engine = new SyncEngine(store, connection.client, opts.watch ?? false)
  return {
    core,
    connection,
    store,
    engine,
    async dispose() {
      await engine.stop()
      // Every real write path the suite drove must have kept the list's per-day counts right.
      const messages = await allMessages(store.fast)
      const drift = bucketDrift(await testDayCounts(store.fast.listDayCounts).toArray(), messages)
      // And the conversation view's thread rows.
      const threads = threadDrift(
        await readThreadRows(store.fast.threadDays),
        await testDayCounts(store.fast.threadDayCounts).toArray(),
        messages,
      )
      store.close()
      connection.close()
      await core.dispose()
      if (!dataDir) await rm(dir, { recursive: true, force: true })
      if (drift.length > 0)
        throw new Error(`list buckets drifted from the messages: ${JSON.stringify(drift)}`)
      if (threads.length > 0)
        throw new Error(`thread rows drifted from the messages: ${JSON.stringify(threads.slice(0, 5))}`)
    },
  }
}

/** Adds a lab user's IMAP account (implicit TLS, trusting the lab CA) through the RPC, as the wizard does. */
export async function addLabImapAccount(h: SyncHarness, lab: LabTools, userName: string): Promise<string> {
  const { account } = await h.connection.client.call('accounts.add', labImapAccount(lab, userName))
  return account.id
}

export interface FolderSnapshot {
  uidValidity: number
  /** uid → sorted flags */
  messages: Map<number, string[]>
}

/** What the server has in a folder, read by another client. */
export async function serverSnapshot(device: ImapFlow, path: string): Promise<FolderSnapshot> {
  const lock = await device.getMailboxLock(path, { readOnly: true })
  try {
    const mailbox = device.mailbox
    if (mailbox === false) throw new Error(`${path} not selected`)
    const messages = new Map<number, string[]>()
    if (mailbox.exists > 0) {
      for await (const m of device.fetch('1:*', { uid: true, flags: true }, { uid: false })) {
        messages.set(m.uid, [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort())
      }
    }
    return { uidValidity: Number(mailbox.uidValidity), messages }
  } finally {
    lock.release()
  }
}

/** What the cache has in a folder. */
export async function cacheSnapshot(
  store: MailStore,
  accountId: string,
  path: string,
): Promise<FolderSnapshot> {
  const id = folderId(accountId, path)
  const folder = await store.fast.folders.get(id)
  const rows = await folderMessages(store.fast, id)
  const messages = new Map<number, string[]>()
  for (const r of rows) {
    if (r.uid === null) continue
    if (messages.has(r.uid)) throw new Error(`duplicate UID ${r.uid} in the cache of ${path}`)
    messages.set(r.uid, [...r.flags].filter((f) => f !== '\\Recent').sort())
  }
  return { uidValidity: folder?.uidValidity ?? -1, messages }
}
