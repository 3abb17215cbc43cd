import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryBodyFilesFor } from '../../store/bodies/body-files'
import { bodyFileName, readBodies } from '../../store/bodies/body-store'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { closeThreadCache, readThreadCache } from '../../store/derived-rows'
import { accountMessages, allMessages, updateMessage } from '../../store/messages'
import { accountLedger } from '../../store/pop3-ledger'
import { threadDrift, threadKey } from '../../store/threads'
import { ensureLocalFolders } from './local-folders'
import { commitDownloaded, type DownloadedMessage } from './store-downloaded'
import { damagedDownloadError } from './verify-downloaded'
import { testThreadRows } from '../../store/test-thread-rows'
import { testDayCounts } from '../../store/test-day-counts'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const mail = (n: number): Uint8Array =>
  enc(`From: a@x\r\nSubject: m${n}\r\nMessage-ID: <m${n}@x>\r\n\r\nbody ${n}\r\n`)
async function sha256(b: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('')
}

/** What `retrieveFull` hands over: the bytes as they reached the worker, with core's hash of the server's. */
async function downloaded(n: number, damage?: (raw: Uint8Array) => void): Promise<DownloadedMessage> {
  const sent = mail(n)
  const raw = sent.slice()
  damage?.(raw)
  return { id: `uid-${n}`, raw, size: sent.byteLength, sha256: await sha256(sent), full: true }
}
const flipByte = (at: number) => (raw: Uint8Array) => void (raw[at] = raw[at]! ^ 0x20)

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function store(): Promise<{ s: MailStore; inbox: string }> {
  const s = await openMailStore(`store-downloaded-test-${++counter}`)
  stores.push(s)
  await s.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'ISP', email: 'me@isp', position: 0 })
  return { s, inbox: (await ensureLocalFolders(s.durable, 'p')).id }
}

describe('commitDownloaded', () => {
  it('stores nothing of a message whose bytes are not the ones core hashed, and names it', async () => {
    const { s, inbox } = await store()
    // One byte changed on the way from core to the store (a fault in the RPC's copy path, say).
    const batch = await Promise.all([downloaded(1), downloaded(2, flipByte(30)), downloaded(3)])
    const done = await commitDownloaded(s, 'p', inbox, batch)
    expect(done.damaged).toEqual(['uid-2'])
    expect(done.ids).toHaveLength(2)

    const rows = await accountMessages(s.fast, 'p')
    expect(rows.map((r) => r.uidl).sort()).toEqual(['uid-1', 'uid-3'])
    const hashes = await Promise.all((await readBodies(s.fast, rows)).map((b) => sha256(b!)))
    expect(hashes.sort()).toEqual([await sha256(mail(1)), await sha256(mail(3))].sort())
    // No ledger row: retention cannot DELE what has none; the next check downloads it again.
    const ledger = await accountLedger(s.fast, 'p')
    expect(ledger.map((l) => l.uidl).sort()).toEqual(['uid-1', 'uid-3'])
    // Its bytes were never appended: the file holds exactly the two stored messages, all committed.
    const size = mail(1).byteLength + mail(3).byteLength
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('p', 0))).toBe(size)
    expect(await s.fast.bodyFiles.get('p')).toMatchObject({ committed: size })
    expect(await s.fast.folders.get(inbox)).toMatchObject({ total: 2, unread: 2 })

    // Arriving whole the next time, it is stored.
    const again = await commitDownloaded(s, 'p', inbox, [await downloaded(2)])
    expect(again).toMatchObject({ damaged: [] })
    expect(again.ids).toHaveLength(1)
    expect((await accountMessages(s.fast, 'p')).length).toBe(3)
  })

  it('catches a truncated message and a wrong hash too; a batch of only damaged messages writes nothing', async () => {
    const { s, inbox } = await store()
    const short = await downloaded(4)
    short.raw = short.raw.subarray(0, short.raw.byteLength - 1)
    const wrong = { ...(await downloaded(5)), sha256: await sha256(enc('something else')) }
    const done = await commitDownloaded(s, 'p', inbox, [short, wrong])
    expect(done).toEqual({ ids: [], damaged: ['uid-4', 'uid-5'] })
    expect(await accountMessages(s.fast, 'p')).toEqual([])
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('p', 0))).toBe(0)
  })

  it('takes headers-only messages (TOP, which core does not hash) as they are', async () => {
    const { s, inbox } = await store()
    const top = { ...(await downloaded(6)), sha256: null, full: false, size: 99_999 }
    expect(await commitDownloaded(s, 'p', inbox, [top])).toMatchObject({ damaged: [] })
    expect((await accountMessages(s.fast, 'p')).map((r) => r.bodyState)).toEqual(['headers-only'])
  })

  it('never stores a message the ledger already holds, even when the caller did not leave it out', async () => {
    const { s, inbox } = await store()
    await commitDownloaded(s, 'p', inbox, [await downloaded(1), await downloaded(2)])
    // A second pass that read the ledger before the first one committed hands over 2 again.
    const done = await commitDownloaded(s, 'p', inbox, [await downloaded(2), await downloaded(3)])
    expect(done.damaged).toEqual([])
    expect(done.ids).toHaveLength(1)
    const rows = await accountMessages(s.fast, 'p')
    expect(rows.map((r) => r.uidl).sort()).toEqual(['uid-1', 'uid-2', 'uid-3'])
    const ledger = await accountLedger(s.fast, 'p')
    expect(ledger.map((l) => l.uidl).sort()).toEqual(['uid-1', 'uid-2', 'uid-3'])
    expect(ledger.find((l) => l.uidl === 'uid-3')?.messageId).toBe(done.ids[0])
    expect(await s.fast.folders.get(inbox)).toMatchObject({ total: 3, unread: 3 })
    const bodies = await readBodies(s.fast, rows)
    expect(
      bodies.map(
        (b, i) =>
          new TextDecoder().decode(b) === new TextDecoder().decode(mail(Number(rows[i]!.uidl!.slice(4)))),
      ),
    ).toEqual([true, true, true])

    // Only known ones: nothing is stored, and nothing the file holds past the commit counts as stored.
    const before = (await s.fast.bodyFiles.get('p'))?.committed
    expect(await commitDownloaded(s, 'p', inbox, [await downloaded(1), await downloaded(3)])).toEqual({
      ids: [],
      damaged: [],
    })
    expect((await accountMessages(s.fast, 'p')).length).toBe(3)
    expect((await s.fast.bodyFiles.get('p'))?.committed).toBe(before)
  })

  it('does not name a damaged copy of a message that is already stored', async () => {
    const { s, inbox } = await store()
    await commitDownloaded(s, 'p', inbox, [await downloaded(1)])
    const done = await commitDownloaded(s, 'p', inbox, [
      await downloaded(1, flipByte(30)),
      await downloaded(2, flipByte(30)),
    ])
    expect(done).toEqual({ ids: [], damaged: ['uid-2'] })
  })

  it("keeps the Inbox's thread rows from a lent cache across batches, and stops using it after another write", async () => {
    const { s, inbox } = await store()
    // Replies to messages of earlier batches: each batch's upkeep changes threads the cache holds.
    const reply = async (n: number, to: number): Promise<DownloadedMessage> => {
      const raw = enc(`From: a@x\r\nSubject: re ${to}\r\nReferences: <m${to}@x>\r\n\r\nreply ${n}\r\n`)
      const hash = await sha256(raw)
      return { id: `uid-${n}`, raw, size: raw.byteLength, sha256: hash, full: true }
    }
    const drift = async () =>
      threadDrift(
        await testThreadRows(s.fast).toArray(),
        await testDayCounts(s.fast.threadDayCounts).toArray(),
        await allMessages(s.fast),
      )
    await commitDownloaded(s, 'p', inbox, [await downloaded(1)])
    const cache = await readThreadCache(s.durable.threadDays, inbox)
    try {
      expect([...cache.rows.keys()]).toEqual([threadKey(inbox, 'm1@x')])
      // A thread row nothing counts (as if written behind the store's back): the upkeep of a lent transaction
      // answers from the cache and does not read it. Dated now, like the messages (they have no Date:), so it
      // sits in the day record the upkeep rewrites (thread-days.ts).
      await testThreadRows(s.fast).put({
        folderId: inbox,
        threadId: 'm2@x',
        date: Date.now(),
        headId: 1,
        count: 7,
        unread: 7,
        flagged: 0,
      })
      await commitDownloaded(s, 'p', inbox, [await downloaded(2), await reply(3, 1)], undefined, cache)
      await commitDownloaded(s, 'p', inbox, [await reply(4, 2), await reply(5, 1)], undefined, cache)
      expect(await drift()).toEqual([])
      expect(cache.valid).toBe(true)
      const kept = await testThreadRows(s.fast).toArray()
      expect(kept.map((t) => [t.threadId, t.count])).toEqual([
        ['m1@x', 3],
        ['m2@x', 2],
      ])
      for (const t of kept) expect(cache.rows.get(threadKey(t.folderId, t.threadId))).toEqual(t)
      // A batch with a message the ledger holds: its first transaction adds rows, then aborts on the ledger's
      // key; what that transaction's upkeep wrote must not reach the cache (the second try writes it again).
      const again = await commitDownloaded(
        s,
        'p',
        inbox,
        [await reply(4, 2), await reply(7, 2)],
        undefined,
        cache,
      )
      expect(again.ids).toHaveLength(1)
      expect(await drift()).toEqual([])
      expect(cache.valid).toBe(true)
      expect(cache.rows.get(threadKey(inbox, 'm2@x'))).toEqual(
        await testThreadRows(s.fast).get([inbox, 'm2@x']),
      )
      expect(cache.rows.get(threadKey(inbox, 'm2@x'))?.count).toBe(3)

      // The user reads a message meanwhile: that write did not go through the cache, which is stale now.
      const read = (await accountMessages(s.fast, 'p')).find((m) => m.uidl === 'uid-3')!
      await updateMessage(s.fast, read.id!, { unread: 0 })
      expect(cache.valid).toBe(false)
      await commitDownloaded(s, 'p', inbox, [await reply(6, 1)], undefined, cache)
      expect(await drift()).toEqual([])
      expect((await testThreadRows(s.fast).get([inbox, 'm1@x']))?.unread).toBe(3)
    } finally {
      closeThreadCache(cache)
    }
  })

  it('says what happened and what to do', () => {
    expect(damagedDownloadError(['a']).message).toMatch(
      /^1 message changed .* it was not saved and not removed from the server .*Nothing was lost\. The next check downloads it again; if this keeps happening, restart Harbor Mail\.$/,
    )
    expect(damagedDownloadError(['a', 'b']).message).toMatch(
      /^2 messages .* they were not saved .* downloads them again/,
    )
  })
})
