import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import { folderId } from '../rows'
import { addMessages, deleteMessages, getMessages, messageTables, updateMessage } from '../messages'
import { testMessageRow } from '../test-message-row'
import { bodyFilesFor, memoryBodyFilesFor, type BodyFiles, type BodyRef } from './body-files'
import { accountStorage } from './account-storage'
import { bodyFileName, BodyStore, readBodies, type AppendedBodies } from './body-store'
import {
  COMPACTION_CHECKED_KEY,
  COMPACTION_POLICY_KEY,
  compactBodyFiles,
  compactBodyFilesWhenDue,
  compactionPolicy,
  compactNow,
  DEFAULT_COMPACTION,
  type CompactionPolicy,
} from './compact-bodies'

let counter = 0
const stores: MailStore[] = []
async function open(): Promise<MailStore> {
  const s = await openMailStore(`compact-bodies-${++counter}`)
  stores.push(s)
  return s
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (b: Uint8Array | undefined): string | undefined => (b ? new TextDecoder().decode(b) : undefined)
/** Any dead byte is enough: the tests choose what is dead. */
const EAGER: CompactionPolicy = { minDeadBytes: 1, minDeadShare: 0, everyMs: 0 }
let uid = 0

/** Stores messages with these bodies in `account`'s INBOX as the writers do (rows and commit in one transaction). */
async function storeMail(
  s: MailStore,
  account: string,
  texts: string[],
  bodies = s.bodies,
): Promise<number[]> {
  const db = s.durable
  return bodies.withAppended(account, texts.map(bytes), (appended) =>
    db.transaction('rw', [...messageTables(db), db.bodyFiles], async () => {
      const rows = appended.refs.map((body) =>
        testMessageRow(++uid, {
          accountId: account,
          folderId: folderId(account, 'INBOX'),
          body,
          bodyState: 'full',
        }),
      )
      const ids = (await addMessages(db, rows)) as number[]
      await appended.commitIn(db)
      return ids
    }),
  )
}

async function textsOf(s: MailStore, ids: readonly number[]): Promise<(string | undefined)[]> {
  const rows = await getMessages(s.durable, ids)
  return (
    await readBodies(
      s.fast,
      rows.map((r) => r!),
    )
  ).map(text)
}

async function refsOf(s: MailStore, ids: readonly number[]): Promise<BodyRef[]> {
  return (await getMessages(s.durable, ids)).map((r) => r!.body!)
}

/** The in-memory files with a hook before each read (compaction reads the live ranges it copies). */
function filesWithReadHook(s: MailStore, beforeRead: (call: number) => Promise<void>): BodyFiles {
  const real = bodyFilesFor(s.durable.name)
  let calls = 0
  return {
    openForAppend: (name) => real.openForAppend(name),
    read: async (refs) => {
      await beforeRead(++calls)
      return real.read(refs)
    },
    list: () => real.list(),
    size: (name) => real.size(name),
    remove: (name) => real.remove(name),
  }
}

describe('body file compaction', () => {
  it('copies the live mail of a file with dead bytes, repoints its rows and deletes the old file', async () => {
    const s = await open()
    const texts = Array.from({ length: 10 }, (_, i) => `message ${i} `.padEnd(100, String(i)))
    const ids = await storeMail(s, 'a', texts)
    const stale = await getMessages(s.durable, ids)
    await deleteMessages(
      s.durable,
      ids.filter((_, i) => i % 3 !== 0),
    )
    const kept = ids.filter((_, i) => i % 3 === 0)
    const files = memoryBodyFilesFor(s.durable.name)
    expect(files.sizeOf(bodyFileName('a', 0))).toBe(1000)

    const done = await compactBodyFiles(s, EAGER)

    expect(done).toEqual([
      { file: bodyFileName('a', 0), size: 1000, live: 400, copied: 400, repointed: 4, removed: true },
    ])
    expect(await files.list()).toEqual([bodyFileName('a', 1)])
    expect(files.sizeOf(bodyFileName('a', 1))).toBe(400)
    expect(await textsOf(s, kept)).toEqual(kept.map((id) => texts[ids.indexOf(id)]))
    expect((await refsOf(s, kept)).map((r) => r.file)).toEqual(kept.map(() => bodyFileName('a', 1)))
    // The file was the one appended to: sealed first, so appends go on in the new one, also after a restart.
    expect(await s.durable.bodyFiles.get('a')).toEqual({ accountId: 'a', segment: 1, committed: 400 })
    const [later] = await storeMail(s, 'a', ['after'], new BodyStore(s.durable))
    expect((await refsOf(s, [later!]))[0]).toEqual({ file: bodyFileName('a', 1), offset: 400, length: 5 })
    // A reader holding rows from before the compaction reads them again when their file is gone.
    const staleKept = stale.filter((r) => kept.includes(r!.id!)).map((r) => r!)
    expect(staleKept.every((r) => r.body!.file === bodyFileName('a', 0))).toBe(true)
    expect((await readBodies(s.fast, staleKept)).map(text)).toEqual(kept.map((id) => texts[ids.indexOf(id)]))
  })

  it('leaves a file alone while its dead bytes are under either bound', async () => {
    const s = await open()
    const ids = await storeMail(s, 'a', ['x'.repeat(900), 'y'.repeat(100)])
    await deleteMessages(s.durable, [ids[1]!])
    expect(await compactBodyFiles(s, { ...EAGER, minDeadBytes: 101 })).toEqual([])
    expect(await compactBodyFiles(s, { ...EAGER, minDeadShare: 0.11 })).toEqual([])
    expect(await memoryBodyFilesFor(s.durable.name).list()).toEqual([bodyFileName('a', 0)])
    expect(await compactBodyFiles(s, { ...EAGER, minDeadBytes: 100, minDeadShare: 0.1 })).toHaveLength(1)
    expect(await textsOf(s, [ids[0]!])).toEqual(['x'.repeat(900)])
  })

  it('copies bytes that copies of a message share once, and they keep sharing them', async () => {
    const s = await open()
    const [dead, shared] = await storeMail(s, 'a', ['gone', 'shared bytes'])
    const [row] = await getMessages(s.durable, [shared!])
    const { id: _id, ...copy } = row!
    const [copyId] = await addMessages(s.durable, [
      { ...copy, folderId: folderId('a', 'Archive'), uid: null },
    ])
    await deleteMessages(s.durable, [dead!])

    const [result] = await compactBodyFiles(s, EAGER)

    expect(result).toMatchObject({ live: 12, copied: 12, repointed: 2, removed: true })
    const [a, b] = await refsOf(s, [shared!, copyId!])
    expect(a).toEqual({ file: bodyFileName('a', 1), offset: 0, length: 12 })
    expect(b).toEqual(a)
    expect(await textsOf(s, [shared!, copyId!])).toEqual(['shared bytes', 'shared bytes'])
  })

  it('moves the bytes of mail moved to another account into that account’s file', async () => {
    const s = await open()
    const [dead, moved] = await storeMail(s, 'a', ['dead', 'moved to b'])
    await updateMessage(s.durable, moved!, { accountId: 'b', folderId: folderId('b', 'INBOX') })
    await deleteMessages(s.durable, [dead!])

    await compactBodyFiles(s, EAGER)

    expect((await refsOf(s, [moved!]))[0]).toEqual({ file: bodyFileName('b', 0), offset: 0, length: 10 })
    expect(await memoryBodyFilesFor(s.durable.name).list()).toEqual([
      bodyFileName('a', 1),
      bodyFileName('b', 0),
    ])
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('a', 1))).toBe(0)
    expect(await textsOf(s, [moved!])).toEqual(['moved to b'])
  })

  it('repoints only rows that still point at the copied range, and keeps the file while a row made meanwhile does', async () => {
    const s = await open()
    const [dead, deletedMeanwhile, changedMeanwhile, source] = await storeMail(s, 'a', [
      'dead',
      'del',
      'chg',
      'src',
    ])
    await deleteMessages(s.durable, [dead!])
    let copyId: number | undefined
    const files = filesWithReadHook(s, async (call) => {
      if (call !== 1) return
      // Between the plan and the copy: one row goes, one gets other bytes, and a copy of another is made
      // (its reference taken from the source row, as the store's writers do).
      await deleteMessages(s.durable, [deletedMeanwhile!])
      const [other] = await storeMail(s, 'z', ['other bytes'])
      await updateMessage(s.durable, changedMeanwhile!, { body: (await refsOf(s, [other!]))[0]! })
      const [row] = await getMessages(s.durable, [source!])
      const { id: _id, ...copy } = row!
      ;[copyId] = (await addMessages(s.durable, [{ ...copy, uid: null }])) as number[]
    })
    const store = { ...s, bodies: new BodyStore(s.durable, files) }

    const [first] = await compactBodyFiles(store, EAGER)

    expect(first).toMatchObject({ file: bodyFileName('a', 0), repointed: 1, removed: false })
    expect((await refsOf(s, [source!]))[0]!.file).toBe(bodyFileName('a', 1))
    expect((await refsOf(s, [copyId!]))[0]!.file).toBe(bodyFileName('a', 0))
    expect(await textsOf(s, [changedMeanwhile!, source!, copyId!])).toEqual(['other bytes', 'src', 'src'])

    const [second] = await compactBodyFiles(store, EAGER)

    expect(second).toMatchObject({ file: bodyFileName('a', 0), live: 3, repointed: 1, removed: true })
    expect(await textsOf(s, [changedMeanwhile!, source!, copyId!])).toEqual(['other bytes', 'src', 'src'])
    expect(await memoryBodyFilesFor(s.durable.name).list()).not.toContain(bodyFileName('a', 0))
  })

  it('stops between steps when its signal aborts, every row readable; the next run finishes', async () => {
    const s = await open()
    const big = (c: string): string => c.repeat(3 * 1024 * 1024)
    const ids = await storeMail(s, 'a', [big('a'), big('b'), big('c'), big('d')])
    await deleteMessages(s.durable, [ids[0]!])
    const controller = new AbortController()
    const files = filesWithReadHook(s, (call) => {
      if (call === 2) controller.abort()
      return Promise.resolve()
    })
    const store = { ...s, bodies: new BodyStore(s.durable, files) }

    const [cut] = await compactBodyFiles(store, EAGER, controller.signal)

    expect(cut).toMatchObject({ copied: 6 * 1024 * 1024, repointed: 2, removed: false })
    expect((await refsOf(s, ids.slice(1))).map((r) => r.file)).toEqual([
      bodyFileName('a', 1),
      bodyFileName('a', 1),
      bodyFileName('a', 0),
    ])
    expect((await textsOf(s, ids.slice(1))).map((t) => t?.[0])).toEqual(['b', 'c', 'd'])

    const [rest] = await compactBodyFiles(store, EAGER)

    expect(rest).toMatchObject({ file: bodyFileName('a', 0), live: 3 * 1024 * 1024, removed: true })
    expect((await textsOf(s, ids.slice(1))).map((t) => t?.length)).toEqual(
      [3, 3, 3].map((n) => n * 1024 * 1024),
    )
    expect(await memoryBodyFilesFor(s.durable.name).list()).toEqual([bodyFileName('a', 1)])
  })

  it('loses nothing when the process dies between a copy and its commit', async () => {
    const s = await open()
    const ids = await storeMail(s, 'a', ['dead', 'live one', 'live two'])
    await deleteMessages(s.durable, [ids[0]!])
    /** Appends and flushes the copy, then dies: no commit, no release. */
    class DiesAfterAppend extends BodyStore {
      override async withAppended<T>(
        accountId: string,
        raws: readonly Uint8Array[],
        _commit: (appended: AppendedBodies) => Promise<T>,
      ): Promise<T> {
        await this.append(accountId, raws)
        throw new Error('killed')
      }
    }
    const dying = { ...s, bodies: new DiesAfterAppend(s.durable) }
    await expect(compactBodyFiles(dying, EAGER)).rejects.toThrow('killed')
    const files = memoryBodyFilesFor(s.durable.name)
    expect(files.sizeOf(bodyFileName('a', 1))).toBe(16)
    expect((await refsOf(s, ids.slice(1))).map((r) => r.file)).toEqual([
      bodyFileName('a', 0),
      bodyFileName('a', 0),
    ])
    expect(await textsOf(s, ids.slice(1))).toEqual(['live one', 'live two'])

    // After the restart the next run does the work again. The segment with the copy nobody committed holds
    // nothing live: it goes first (fewest live bytes), and the copies land in the segment after it.
    const restarted = { ...s, bodies: new BodyStore(s.durable) }
    const done = await compactBodyFiles(restarted, EAGER)
    expect(
      done.map(({ file, live, copied, repointed, removed }) => ({ file, live, copied, repointed, removed })),
    ).toEqual([
      { file: bodyFileName('a', 1), live: 0, copied: 0, repointed: 0, removed: true },
      { file: bodyFileName('a', 0), live: 16, copied: 16, repointed: 2, removed: true },
    ])
    expect(await files.list()).toEqual([bodyFileName('a', 2)])
    expect(await refsOf(s, ids.slice(1))).toEqual([
      { file: bodyFileName('a', 2), offset: 0, length: 8 },
      { file: bodyFileName('a', 2), offset: 8, length: 8 },
    ])
    expect(await textsOf(s, ids.slice(1))).toEqual(['live one', 'live two'])
  })

  it('on a full disk, a file with no live mail goes first and makes room for the copies of the next', async () => {
    const s = await open()
    const real = bodyFilesFor(s.durable.name)
    const capacity = 22
    const used = async (): Promise<number> => {
      let n = 0
      for (const name of await real.list()) n += await real.size(name)
      return n
    }
    let room = 0
    const full: BodyFiles = {
      ...real,
      list: () => real.list(),
      read: (refs) => real.read(refs),
      size: (name) => real.size(name),
      remove: async (name) => {
        await real.remove(name)
        room = capacity - (await used())
      },
      openForAppend: async (name) => {
        const h = await real.openForAppend(name)
        return {
          ...h,
          write: (data, at) => {
            const grows = Math.max(0, at + data.byteLength - h.getSize())
            if (grows > room) throw new DOMException('No space', 'QuotaExceededError')
            room -= grows
            h.write(data, at)
          },
        }
      },
    }
    const small = new BodyStore(s.durable, full, 10)
    room = capacity
    const [kept, dead] = await storeMail(s, 'a', ['bbbb', 'dddddd'], small)
    const [gone] = await storeMail(s, 'a', ['aaaaaaaaaa'], small)
    const [current] = await storeMail(s, 'a', ['cc'], small)
    expect(room).toBe(0)
    await deleteMessages(s.durable, [dead!, gone!])

    const done = await compactBodyFiles({ ...s, bodies: small }, EAGER)

    expect(done.map((d) => [d.file, d.live, d.removed])).toEqual([
      [bodyFileName('a', 1), 0, true],
      [bodyFileName('a', 0), 4, true],
    ])
    expect(await textsOf(s, [kept!, current!])).toEqual(['bbbb', 'cc'])
    expect(await real.list()).toEqual([bodyFileName('a', 2)])
  })

  it('reports what an account takes: its text once per shared range, and reclaimable bytes no row points at', async () => {
    const s = await open()
    const [dead, shared, moved] = await storeMail(s, 'a', ['dead!', 'shared', 'moved away'])
    const [row] = await getMessages(s.durable, [shared!])
    const { id: _id, ...copy } = row!
    await addMessages(s.durable, [{ ...copy, uid: null }, testMessageRow(++uid, { accountId: 'a' })])
    await updateMessage(s.durable, moved!, { accountId: 'b', folderId: folderId('b', 'INBOX') })
    await deleteMessages(s.durable, [dead!])

    // 'a': the shared text (6 bytes) and a row without text; the moved message's bytes are still needed.
    expect(await accountStorage(s.fast, 'a')).toEqual({
      messages: 3,
      withText: 2,
      textBytes: 6,
      reclaimable: 5,
    })
    expect(await accountStorage(s.fast, 'b')).toEqual({
      messages: 1,
      withText: 1,
      textBytes: 10,
      reclaimable: 0,
    })
    expect(await compactNow(s)).toEqual({ freedBytes: 5 })
    expect(await accountStorage(s.fast, 'a')).toMatchObject({ textBytes: 6, reclaimable: 0 })
  })

  it('runs when due by the policy in syncState, ignoring values that are not usable numbers', async () => {
    const s = await open()
    const ids = await storeMail(s, 'a', ['dead', 'live'])
    await deleteMessages(s.durable, [ids[0]!])
    expect(await compactionPolicy(s)).toEqual(DEFAULT_COMPACTION)
    // Under the default bounds (20 MiB dead): looked over, nothing done, and not again for `everyMs`.
    expect(await compactBodyFilesWhenDue(s, undefined, 1_000)).toEqual([])
    expect((await s.durable.syncState.get(COMPACTION_CHECKED_KEY))?.value).toBe(1_000)

    await s.durable.syncState.put({
      key: COMPACTION_POLICY_KEY,
      value: { minDeadBytes: 1, minDeadShare: -1, everyMs: 'soon' },
    })
    expect(await compactionPolicy(s)).toEqual({ ...DEFAULT_COMPACTION, minDeadBytes: 1 })
    expect(await compactBodyFilesWhenDue(s, undefined, 2_000)).toEqual([])
    expect(await compactBodyFilesWhenDue(s, undefined, 1_000 + DEFAULT_COMPACTION.everyMs)).toHaveLength(1)
    expect(await textsOf(s, [ids[1]!])).toEqual(['live'])
  })

  it('looks again before its time when rows holding at least minDeadBytes were deleted since', async () => {
    const s = await open()
    await s.durable.syncState.put({ key: COMPACTION_POLICY_KEY, value: { minDeadBytes: 10 } })
    const ids = await storeMail(s, 'a', ['123456789', 'x', 'kept'])
    expect(await compactBodyFilesWhenDue(s, undefined, 1_000)).toEqual([])
    // 9 bytes deleted: under the bound, so not yet; 10 and more: now, although the last look is recent.
    await deleteMessages(s.durable, [ids[0]!])
    expect(await compactBodyFilesWhenDue(s, undefined, 2_000)).toEqual([])
    await deleteMessages(s.durable, [ids[1]!])
    expect(await compactBodyFilesWhenDue(s, undefined, 3_000)).toMatchObject([{ live: 4, removed: true }])
    expect((await s.durable.syncState.get(COMPACTION_CHECKED_KEY))?.value).toBe(3_000)
    // What that look saw is taken off the hint.
    expect(await compactBodyFilesWhenDue(s, undefined, 4_000)).toEqual([])
    expect(await textsOf(s, [ids[2]!])).toEqual(['kept'])
  })
})
