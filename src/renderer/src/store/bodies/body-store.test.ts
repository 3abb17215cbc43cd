import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import { bodyFilesFor, memoryBodyFilesFor, type BodyFiles } from './body-files'
import { bodyFileName, BodyStore, hasBody, readBodies } from './body-store'
import { addMessages, deleteMessages, updateMessage } from '../messages'
import { testMessageRow } from '../test-message-row'

let counter = 0
const stores: MailStore[] = []
async function open(): Promise<MailStore> {
  const s = await openMailStore(`body-store-${++counter}`)
  stores.push(s)
  return s
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (b: Uint8Array | undefined): string | undefined => (b ? new TextDecoder().decode(b) : undefined)

/** Appends and commits like the writers do: the committed length in the same transaction as the rows. */
async function store(s: MailStore, bodies: BodyStore, account: string, texts: string[]) {
  return bodies.withAppended(account, texts.map(bytes), async (appended) => {
    await s.durable.transaction('rw', s.durable.bodyFiles, () => appended.commitIn(s.durable))
    return appended.refs
  })
}

describe('body files', () => {
  it('appends each account to its own file and reads the bytes back by reference', async () => {
    const s = await open()
    const a = await store(s, s.bodies, 'acct/1', ['first', 'second'])
    const b = await store(s, s.bodies, 'acct.2', ['third'])
    expect(a).toEqual([
      { file: bodyFileName('acct/1', 0), offset: 0, length: 5 },
      { file: bodyFileName('acct/1', 0), offset: 5, length: 6 },
    ])
    expect(b[0]).toEqual({ file: bodyFileName('acct.2', 0), offset: 0, length: 5 })
    expect(bodyFileName('acct/1', 0)).not.toContain('/')
    expect(bodyFileName('..', 0)).toBe('%2E%2E.0')
    const rows = [...a, ...b].map((body, i) => ({ id: i + 1, body }))
    expect((await readBodies(s.fast, rows)).map(text)).toEqual(['first', 'second', 'third'])
  })

  it('cuts off bytes that no commit covers when the file is opened again (a crash before the commit)', async () => {
    const s = await open()
    const [kept] = await store(s, s.bodies, 'p', ['committed'])
    // Written and flushed, then the process died before the rows' transaction.
    const lost = await s.bodies.append('p', [bytes('never committed')])
    const files = memoryBodyFilesFor(s.durable.name)
    expect(files.sizeOf(kept!.file)).toBe(9 + 15)
    void lost

    const restarted = new BodyStore(s.durable)
    const [next] = await store(s, restarted, 'p', ['after restart'])
    expect(files.sizeOf(kept!.file)).toBe(9 + 13)
    expect(next).toEqual({ file: kept!.file, offset: 9, length: 13 })
    expect(
      (
        await readBodies(s.fast, [
          { id: 1, body: kept! },
          { id: 2, body: next! },
        ])
      ).map(text),
    ).toEqual(['committed', 'after restart'])
  })

  it('never lowers the committed length when batches commit out of order', async () => {
    const s = await open()
    const early = await s.bodies.append('p', [bytes('aaaa')])
    const late = await s.bodies.append('p', [bytes('bbbbbb')])
    await s.durable.transaction('rw', s.durable.bodyFiles, () => late.commitIn(s.durable))
    await s.durable.transaction('rw', s.durable.bodyFiles, () => early.commitIn(s.durable))
    expect(await s.durable.bodyFiles.get('p')).toEqual({ accountId: 'p', segment: 0, committed: 10 })
    // A restart keeps both.
    await new BodyStore(s.durable).append('p', [])
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('p', 0))).toBe(10)
  })

  it('gives the bytes of a failed transaction back when nothing was appended behind them', async () => {
    const s = await open()
    await store(s, s.bodies, 'p', ['kept'])
    await expect(
      s.bodies.withAppended('p', [bytes('refused')], () => Promise.reject(new Error('transaction aborted'))),
    ).rejects.toThrow('transaction aborted')
    const files = memoryBodyFilesFor(s.durable.name)
    expect(files.sizeOf(bodyFileName('p', 0))).toBe(4)
    // Not when a later batch is behind it: those bytes just stay unreferenced.
    const first = await s.bodies.append('p', [bytes('xx')])
    await store(s, s.bodies, 'p', ['yyy'])
    await first.release()
    expect(files.sizeOf(bodyFileName('p', 0))).toBe(4 + 2 + 3)
  })

  it('begins a new segment past the size limit; a segment begun just before a crash starts empty again', async () => {
    const s = await open()
    const small = new BodyStore(s.durable, bodyFilesFor(s.durable.name), 10)
    const [a] = await store(s, small, 'p', ['12345678'])
    const [b] = await store(s, small, 'p', ['abcdef'])
    expect(a!.file).toBe(bodyFileName('p', 0))
    expect(b).toEqual({ file: bodyFileName('p', 1), offset: 0, length: 6 })
    // Rotated to segment 2, crashed before committing it.
    await small.append('p', [bytes('zzzzzzzzz')])
    const files = memoryBodyFilesFor(s.durable.name)
    expect(files.sizeOf(bodyFileName('p', 2))).toBe(9)

    const restarted = new BodyStore(s.durable, bodyFilesFor(s.durable.name), 10)
    const [c] = await store(s, restarted, 'p', ['qq'])
    expect(c).toEqual({ file: bodyFileName('p', 1), offset: 6, length: 2 })
    const [d] = await store(s, restarted, 'p', ['rrrrr'])
    expect(d).toEqual({ file: bodyFileName('p', 2), offset: 0, length: 5 })
    const rows = [a, b, c, d].map((body, i) => ({ id: i + 1, body: body! }))
    expect((await readBodies(s.fast, rows)).map(text)).toEqual(['12345678', 'abcdef', 'qq', 'rrrrr'])
  })

  it('reads bytes stored before the body files from the bodies table', async () => {
    const s = await open()
    await s.durable.bodies.put({ messageId: 7, raw: bytes('old'), storedAt: 1 })
    const [ref] = await store(s, s.bodies, 'p', ['new'])
    const rows = [{ id: 7 }, { id: 8, body: ref! }, { id: 9 }]
    expect((await readBodies(s.fast, rows)).map(text)).toEqual(['old', 'new', undefined])
    expect(await hasBody(s.fast, { id: 7 })).toBe(true)
    expect(await hasBody(s.fast, { id: 9 })).toBe(false)
  })

  it('says the disk is full and leaves nothing of the batch behind when a write finds no room', async () => {
    const s = await open()
    const real = bodyFilesFor(s.durable.name)
    let room = 12
    const full: BodyFiles = {
      read: (refs) => real.read(refs),
      list: () => real.list(),
      size: (name) => real.size(name),
      remove: (name) => real.remove(name),
      openForAppend: async (name) => {
        const h = await real.openForAppend(name)
        return {
          ...h,
          write: (data, at) => {
            if (at + data.byteLength > room) throw new DOMException('No space', 'QuotaExceededError')
            h.write(data, at)
          },
        }
      },
    }
    const bodies = new BodyStore(s.durable, full)
    await store(s, bodies, 'p', ['fits'])
    await expect(store(s, bodies, 'p', ['also', 'too much here'])).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/no room left.*Nothing was lost.*Free some disk space/s) as unknown,
    })
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('p', 0))).toBe(4)
    room = 100
    expect(await store(s, bodies, 'p', ['later'])).toEqual([
      { file: bodyFileName('p', 0), offset: 4, length: 5 },
    ])
  })

  it('refuses a batch whose bytes did not all reach the file, even when every write reported success', async () => {
    const s = await open()
    const real = bodyFilesFor(s.durable.name)
    let room = 6
    const lying: BodyFiles = {
      read: (refs) => real.read(refs),
      list: () => real.list(),
      size: (name) => real.size(name),
      remove: (name) => real.remove(name),
      openForAppend: async (name) => {
        const h = await real.openForAppend(name)
        // What Chromium 156 does past the quota: part of the data, and no exception.
        return { ...h, write: (data, at) => h.write(data.subarray(0, Math.max(0, room - at)), at) }
      },
    }
    const bodies = new BodyStore(s.durable, lying)
    await store(s, bodies, 'p', ['fits'])
    await expect(store(s, bodies, 'p', ['does not'])).rejects.toMatchObject({ code: 'DISK_FULL' })
    expect(memoryBodyFilesFor(s.durable.name).sizeOf(bodyFileName('p', 0))).toBe(4)
    expect(await s.durable.bodyFiles.get('p')).toMatchObject({ committed: 4 })
    room = 100
    expect(await store(s, bodies, 'p', ['now'])).toEqual([
      { file: bodyFileName('p', 0), offset: 4, length: 3 },
    ])
  })
})

describe('removing the body files of accounts that are gone', () => {
  let uids = 0
  /** Rows of `account` pointing at newly appended, committed bytes. */
  async function stored(s: MailStore, bodies: BodyStore, account: string, texts: string[]) {
    const refs = await store(s, bodies, account, texts)
    const rows = refs.map((body) =>
      testMessageRow(++uids, { accountId: account, folderId: `${account}:INBOX`, body }),
    )
    const ids = await addMessages(s.durable, rows)
    return ids.map((id, i) => ({ ...rows[i]!, id }))
  }
  const names = async (s: MailStore) => (await memoryBodyFilesFor(s.durable.name).list()).sort()

  it('removes an account’s files once its rows are gone, except a file a moved message still points into', async () => {
    const s = await open()
    await s.durable.accounts.bulkAdd([
      { id: 'a.1', kind: 'pop3', name: 'A', email: 'a@x', position: 0 },
      { id: 'b', kind: 'pop3', name: 'B', email: 'b@x', position: 1 },
    ])
    const small = new BodyStore(s.durable, bodyFilesFor(s.durable.name), 10)
    const a = [
      ...(await stored(s, small, 'a.1', ['12345678'])),
      ...(await stored(s, small, 'a.1', ['abcdef'])),
    ]
    await stored(s, small, 'b', ['bee'])
    expect(await names(s)).toEqual([bodyFileName('a.1', 0), bodyFileName('a.1', 1), bodyFileName('b', 0)])
    // The first message was moved to B's local folder (its bytes stay where they are); A's rows are deleted.
    await updateMessage(s.durable, a[0]!.id, { accountId: 'b' })
    await deleteMessages(s.durable, [a[1]!.id])
    await s.durable.accounts.delete('a.1')

    expect(await small.removeAccountFiles('a.1')).toEqual([bodyFileName('a.1', 1)])
    expect(await names(s)).toEqual([bodyFileName('a.1', 0), bodyFileName('b', 0)])
    expect(text((await readBodies(s.fast, [a[0]!]))[0])).toBe('12345678')
    // The record stays with the kept file: opening it to append without one would cut it to nothing.
    expect(await s.durable.bodyFiles.get('a.1')).toBeDefined()

    // Once nothing points into it, the next start's sweep removes it, and the record.
    await deleteMessages(s.durable, [a[0]!.id])
    const restarted = new BodyStore(s.durable)
    expect(await restarted.removeLeftoverFilesOnce()).toEqual([bodyFileName('a.1', 0)])
    expect(await names(s)).toEqual([bodyFileName('b', 0)])
    expect(await s.durable.bodyFiles.get('a.1')).toBeUndefined()
    expect(await s.durable.bodyFiles.get('b')).toBeDefined()
  })

  it('at start removes files of accounts the store does not have, never those of its accounts', async () => {
    const s = await open()
    await s.durable.accounts.add({ id: 'kept', kind: 'imap', name: 'K', email: 'k@x', position: 0 })
    await stored(s, s.bodies, 'kept', ['mine'])
    // A removal cut short after its rows went: files and record of an account the store no longer has;
    // and a record whose file is missing already.
    await store(s, s.bodies, 'gone', ['orphan bytes'])
    await s.durable.bodyFiles.put({ accountId: 'fileless', segment: 0, committed: 5 })
    const files = memoryBodyFilesFor(s.durable.name)
    const stray = await files.openForAppend('not-a-body-file')
    stray.write(bytes('?'), 0)
    const restarted = new BodyStore(s.durable)
    expect(await restarted.removeLeftoverFilesOnce()).toEqual([bodyFileName('gone', 0)])
    expect(await names(s)).toEqual([bodyFileName('kept', 0), 'not-a-body-file'])
    expect(await s.durable.bodyFiles.get('gone')).toBeUndefined()
    expect(await s.durable.bodyFiles.get('fileless')).toBeUndefined()
    expect(await s.durable.bodyFiles.get('kept')).toBeDefined()
    // Once per start.
    await store(s, restarted, 'gone', ['again'])
    expect(await restarted.removeLeftoverFilesOnce()).toEqual([bodyFileName('gone', 0)])
    expect(await names(s)).toContain(bodyFileName('gone', 0))
  })
})
