import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChunkOf } from '../../../../shared/contract'
import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { threadDrift } from '../../store/threads'
import type { CoreApi } from '../engine/core-api'
import { syncFolderHeaders } from './sync-folder-headers'
import { testHeaderRecord, testImapInbox } from './test-header-record'
import { allMessages } from '../../store/messages'
import { testThreadRows } from '../../store/test-thread-rows'
import { testDayCounts } from '../../store/test-day-counts'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function header(uid: number): HeaderRecordWire {
  return testHeaderRecord(uid, {
    flags: uid % 4 === 0 ? ['\\Seen'] : [],
    internalDate: new Date(Date.UTC(2026, 0, 1) + uid * 60_000).toISOString(),
    references: [`<root${uid % 37}@test>`],
  })
}

/**
 * Core as the worker sees it when the wire is faster than the store: every chunk of the folder arrives at once
 * (newest first, a small first one), before the first write has committed.
 */
function burstingCore(total: number, sizes: number[]): CoreApi {
  return {
    call: (async (_method: string, _params: unknown, opts?: { onChunk?: (c: unknown) => void }) => {
      let high = total
      for (const size of sizes) {
        const headers = Array.from({ length: size }, (_, i) => header(high - i))
        high -= size
        const chunk: ChunkOf<'imap.headers'> = {
          uidValidity: 7,
          uidValidityChanged: false,
          headers,
          remaining: high,
        }
        opts?.onChunk?.(chunk)
      }
      return { uidValidity: 7, count: total }
    }) as CoreApi['call'],
    on: () => ({ dispose: () => undefined }),
  }
}

describe('syncFolderHeaders', () => {
  it('writes chunks that queued behind a commit together, and stores every row once with its threads', async () => {
    const store = await openMailStore('sync-folder-headers-1')
    stores.push(store)
    const folder = testImapInbox()
    await store.fast.folders.put(folder)
    const written: number[] = []
    let last: object | undefined
    // Counts the new rows of each transaction by the ids it gives (one run of ids per folder and write).
    const count = (tx: object, n: number): void => {
      // One entry per transaction, counting its new rows.
      if (last !== tx) written.push(0)
      last = tx
      written[written.length - 1]! += n
    }
    // eslint-disable-next-line no-restricted-syntax
    store.fast.messageIdRanges.hook('creating', (_key, run, tx) => count(tx, run.end - run.start))
    // eslint-disable-next-line no-restricted-syntax
    store.fast.messageIdRanges.hook('updating', (mods, _key, run, tx) => {
      const end = (mods as { end?: number }).end
      if (end !== undefined) count(tx, end - run.end)
    })
    const sizes = [100, 500, 500, 500, 500, 500, 400]
    const result = await syncFolderHeaders(store, burstingCore(3000, sizes), folder, {
      uidValidity: 7,
      uidNext: 3001,
    })
    expect(result).toEqual({ added: 3000, rebuilt: false })
    // The first chunk alone (the newest mail shows at once), the rest in transactions of at most 2,000 rows.
    expect(written[0]).toBe(100)
    expect(written.slice(1).every((n) => n <= 2000)).toBe(true)
    expect(written.length).toBeLessThan(sizes.length)
    expect(written.reduce((a, b) => a + b, 0)).toBe(3000)
    const rows = await allMessages(store.fast)
    expect(new Set(rows.map((r) => r.uid)).size).toBe(3000)
    expect(
      threadDrift(
        await testThreadRows(store.fast).toArray(),
        await testDayCounts(store.fast.threadDayCounts).toArray(),
        rows,
      ),
    ).toEqual([])
    expect((await store.fast.folders.get(folder.id))?.uidNext).toBe(3001)
  })
})
