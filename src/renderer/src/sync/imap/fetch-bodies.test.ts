import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChunkOf } from '../../../../shared/contract'
import { readBodies } from '../../store/bodies/body-store'
import { BodyStoreWithGap } from '../../store/bodies/test-body-gap'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { addMessages, deleteMessages, folderMessages, getMessage } from '../../store/messages'
import { testMessageRow } from '../../store/test-message-row'
import { watchChunkIo } from '../../store/test-chunk-io'
import type { CoreApi } from '../engine/core-api'
import { fetchBodies, prefetchFolderBodies } from './fetch-bodies'
import { testImapInbox } from './test-header-record'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const raw = (uid: number): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode(`Subject: ${uid}\r\n\r\nbody of ${uid}\r\n`)

/** Core answering `imap.bodies` with each asked UID's bytes, one chunk each, as a server would. */
const bodiesCore: CoreApi = {
  call: (async (_method: string, params: { uids: number[] }, opts?: { onChunk?: (c: unknown) => void }) => {
    for (const uid of params.uids) opts?.onChunk?.({ uid, raw: raw(uid) } satisfies ChunkOf<'imap.bodies'>)
    return { count: params.uids.length, missing: [] }
  }) as CoreApi['call'],
  on: () => ({ dispose: () => undefined }),
}

async function inboxWith(name: string, uids: number[]) {
  const store = await openMailStore(name)
  stores.push(store)
  const folder = testImapInbox()
  await store.fast.folders.put(folder)
  const rows = uids.map((uid) => testMessageRow(uid, { accountId: folder.accountId, folderId: folder.id }))
  const ids = (await addMessages(store.fast, rows)) as number[]
  return { store, folder, rows: ids.map((id, i) => ({ ...rows[i]!, id })) }
}

describe('fetchBodies', () => {
  it('a message deleted after its bytes were appended, before they were committed, stays deleted', async () => {
    const { store, folder, rows } = await inboxWith('fetch-bodies-1', [1, 2, 3])
    const victim = rows[1]!.id
    // The user deletes message 2 while its body is on its way into the file.
    const mine = new TextDecoder().decode(raw(2))
    const gap = new BodyStoreWithGap(store, async (raws) => {
      if (raws.some((r) => new TextDecoder().decode(r) === mine)) await deleteMessages(store.fast, [victim])
    })
    const stored = await fetchBodies({ ...store, bodies: gap }, bodiesCore, folder, [rows])

    expect(stored).toBe(2)
    expect(await getMessage(store.fast, victim)).toBeUndefined()
    const left = await folderMessages(store.fast, folder.id)
    expect(left.map((r) => [r.uid, r.bodyState])).toEqual([
      [1, 'full'],
      [3, 'full'],
    ])
    // The rows left point at their own bytes, inside what is committed.
    const text = (await readBodies(store.fast, left)).map((b) => new TextDecoder().decode(b))
    expect(text).toEqual([1, 3].map((uid) => new TextDecoder().decode(raw(uid))))
    const committed = (await store.fast.bodyFiles.get(folder.accountId))!.committed
    for (const r of left) expect(r.body!.offset + r.body!.length).toBeLessThanOrEqual(committed)
    gap.close()
  })

  it('messages deleted before or while their bodies download are not written back; the rest are whole', async () => {
    const { store, folder, rows } = await inboxWith('fetch-bodies-2', [1, 2, 3, 4])
    // 2 is deleted after the caller read the rows it asks for; 4 while the first chunk is being handled
    // (its delete and the writer's transaction race: either order must end the same).
    await deleteMessages(store.fast, [rows[1]!.id])
    let deleting: Promise<void> | undefined
    const core: CoreApi = {
      ...bodiesCore,
      call: (async (
        _method: string,
        params: { uids: number[] },
        opts?: { onChunk?: (c: unknown) => void },
      ) => {
        for (const uid of params.uids) {
          opts?.onChunk?.({ uid, raw: raw(uid) } satisfies ChunkOf<'imap.bodies'>)
          deleting ??= deleteMessages(store.fast, [rows[3]!.id])
        }
        return { count: params.uids.length, missing: [] }
      }) as CoreApi['call'],
    }
    expect(await fetchBodies(store, core, folder, [rows])).toBeLessThanOrEqual(3)
    await deleting
    const left = await folderMessages(store.fast, folder.id)
    expect(left.map((r) => [r.uid, r.bodyState])).toEqual([
      [1, 'full'],
      [3, 'full'],
    ])
    const text = (await readBodies(store.fast, left)).map((b) => new TextDecoder().decode(b))
    expect(text).toEqual([1, 3].map((uid) => new TextDecoder().decode(raw(uid))))
  })

  it('a full download writes each chunk of the folder once per call, not once per handful of bodies', async () => {
    const { store, folder } = await inboxWith(
      'fetch-bodies-3',
      Array.from({ length: 1200 }, (_, i) => i + 1),
    )
    // Watches the message chunks written from here on (a middleware needs the connection opened again).
    store.fast.close()
    const io = watchChunkIo(store.fast)
    await store.fast.open()
    const server = { ...folder, uidValidity: 7, uidNext: 1201 }
    expect(await prefetchFolderBodies(store, bodiesCore, server, 0)).toBe(1200)
    // 1,200 rows are three chunks of up to 500, and one call's bodies (tiny here) are one write per chunk.
    // Writing whatever had arrived, 200 at a time, wrote at least six.
    expect(io.writes).toBeLessThanOrEqual(3)
    const rows = await folderMessages(store.fast, folder.id)
    expect(rows.filter((r) => r.bodyState === 'full')).toHaveLength(1200)
    const some = [rows[0]!, rows[599]!, rows[1199]!]
    const text = (await readBodies(store.fast, some)).map((b) => new TextDecoder().decode(b))
    expect(text).toEqual(some.map((r) => new TextDecoder().decode(raw(r.uid!))))
  })
})
