import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { testMessageRow } from '../../store/test-message-row'
import { indexWordsBatch, INDEX_BATCH, wordsIndexedUpTo } from '../../store/search-index'
import { IdleWork } from './idle-work'
import { addMessages } from '../../store/messages'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const rows = (n: number, firstUid = 1): MessageRow[] =>
  Array.from({ length: n }, (_, i) =>
    testMessageRow(firstUid + i, { threadId: `t${i}`, date: i, subject: `Note ${i}`, unread: 1 }),
  )

/** The indexing step of the engine's idle work, batch by batch until caught up or told to stop. */
const indexAll =
  (s: MailStore) =>
  async (signal: AbortSignal): Promise<void> => {
    while (!signal.aborted && (await indexWordsBatch(s.fast)) > 0);
  }

describe('IdleWork', () => {
  it('catches up in batches, does not start while a pass is busy, and goes on when kicked again', async () => {
    const s = await openMailStore(`idle-${++counter}`)
    stores.push(s)
    const ids = await addMessages(s.fast, rows(INDEX_BATCH + 10))
    let busy = false
    const idle = new IdleWork(indexAll(s), () => busy)
    idle.kick()
    await idle.settled()
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids.at(-1))
    expect(await s.fast.messageWords.count()).toBe(INDEX_BATCH + 10)

    busy = true
    const more = await addMessages(s.fast, rows(5, 10_000))
    idle.kick()
    await idle.settled()
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids.at(-1)) // nothing written while busy

    busy = false
    idle.kick()
    await idle.settled()
    expect(await wordsIndexedUpTo(s.fast)).toBe(more.at(-1))
    await idle.stop()
  })

  it('runs again when kicked while a paused run is still stopping (a pass ended meanwhile)', async () => {
    let runs = 0
    let release = (): void => undefined
    const idle = new IdleWork(
      async () => {
        if (++runs === 1) await new Promise<void>((r) => (release = r))
      },
      () => false,
    )
    idle.kick()
    idle.pause() // a pass starts …
    idle.kick() // … and ends before the first run has noticed
    release()
    await idle.settled()
    expect(runs).toBe(2)
  })

  it('stops at the next step when a pass starts (pause), keeping what it did', async () => {
    const s = await openMailStore(`idle-${++counter}`)
    stores.push(s)
    const ids = await addMessages(s.fast, rows(3 * INDEX_BATCH))
    let steps = 0
    const idle = new IdleWork(
      async (signal) => {
        while (!signal.aborted && (await indexWordsBatch(s.fast)) > 0) {
          if (++steps === 1) idle.pause()
        }
      },
      () => false,
    )
    idle.kick()
    await idle.settled()
    expect(steps).toBe(1)
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids[INDEX_BATCH - 1])
    idle.kick()
    await idle.settled()
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids.at(-1))
  })
})
