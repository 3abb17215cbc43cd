import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from './mail-db'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'
import {
  FIRST_INDEX_BATCH,
  indexWordsBatch,
  indexWordsTimeBoxed,
  MAX_INDEX_BATCH,
  MIN_INDEX_BATCH,
  nextIndexBatch,
  wordsIndexedUpTo,
} from './search-index'
import { searchMessages } from './queries/search'
import { addMessage, addMessages, deleteMessage } from './messages'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = folderId('a', 'INBOX')

function row(uid: number, subject: string): MessageRow {
  return testMessageRow(uid, {
    folderId: inbox,
    from: [{ name: 'Ann', address: 'ann@example.org' }],
    subject,
    unread: 1,
  })
}

async function fresh(): Promise<MailStore> {
  const s = await openMailStore(`search-index-${++counter}`)
  stores.push(s)
  return s
}

describe('the background word index', () => {
  it('indexes rows in id order, batch by batch, and remembers how far it got', async () => {
    const { fast } = await fresh()
    const ids = await addMessages(
      fast,
      Array.from({ length: 5 }, (_, i) => row(i + 1, `Budget ${i + 1}`)),
    )
    expect(await indexWordsBatch(fast, 2)).toBe(2)
    expect(await wordsIndexedUpTo(fast)).toBe(ids[1])
    expect(await indexWordsBatch(fast, 10)).toBe(3)
    expect(await indexWordsBatch(fast, 10)).toBe(0)
    expect(await wordsIndexedUpTo(fast)).toBe(ids[4])
    expect((await fast.messageWords.get(ids[2]!))?.words).toEqual(['budget', '3', 'ann', 'example', 'org'])
    // A row written later lies above the mark and is indexed by the next run.
    const late = await addMessage(fast, row(6, 'Late arrival'))
    expect(await indexWordsBatch(fast)).toBe(1)
    expect(await fast.messageWords.where('words').equals('arrival').primaryKeys()).toEqual([late])
  })

  it('answers indexed rows from the word table, not by scanning them', async () => {
    const s = await fresh()
    const [first, second] = await addMessages(s.fast, [row(1, 'Budget draft'), row(2, 'Budget final')])
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([second, first])
    await indexWordsBatch(s.fast)
    // Taking a row's words out of the table takes it out of the results: indexed rows are not scanned.
    await s.fast.messageWords.delete(first!)
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([second])
  })

  it('skips the words of a message deleted after it was indexed', async () => {
    const s = await fresh()
    const [gone, kept] = await addMessages(s.fast, [row(1, 'Budget draft'), row(2, 'Budget final')])
    await indexWordsBatch(s.fast)
    await deleteMessage(s.fast, gone!)
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([kept])
  })
})

describe('word batches sized by time', () => {
  it('fits the next batch to the budget at the last pace, grows at most twofold, within bounds', () => {
    expect(nextIndexBatch(100, 50, 25)).toBe(50)
    expect(nextIndexBatch(100, 1, 25)).toBe(200)
    expect(nextIndexBatch(100, 10_000, 25)).toBe(MIN_INDEX_BATCH)
    expect(nextIndexBatch(1_500, 1, 25)).toBe(MAX_INDEX_BATCH)
  })

  const many = async (n: number): Promise<{ s: MailStore; ids: number[] }> => {
    const s = await fresh()
    const ids = (await addMessages(
      s.fast,
      Array.from({ length: n }, (_, i) => row(i + 1, `Budget ${i + 1}`)),
    )) as number[]
    return { s, ids }
  }

  it('writes small batches when writes are slow, and every row all the same', async () => {
    const { s, ids } = await many(250)
    const batches: number[] = []
    // A budget of 0 ms: every write is over it, so every batch after the first is the smallest.
    const total = await indexWordsTimeBoxed(
      s.fast,
      new AbortController().signal,
      (_, r) => batches.push(r),
      0,
    )
    expect(total).toBe(250)
    expect(batches[0]).toBe(FIRST_INDEX_BATCH)
    expect(batches.slice(1).every((r) => r <= MIN_INDEX_BATCH)).toBe(true)
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids.at(-1))
    expect(await s.fast.messageWords.count()).toBe(250)
  })

  it('grows batches back when writes are quick', async () => {
    const { s } = await many(1_000)
    const batches: number[] = []
    await indexWordsTimeBoxed(s.fast, new AbortController().signal, (_, r) => batches.push(r), Infinity)
    expect(batches).toEqual([100, 200, 400, 300])
  })

  it('stops between batches when told, and the mark covers exactly the words written', async () => {
    const { s, ids } = await many(300)
    const stop = new AbortController()
    let writes = 0
    await indexWordsTimeBoxed(s.fast, stop.signal, () => ++writes === 2 && stop.abort(), 0)
    expect(writes).toBe(2)
    const written = FIRST_INDEX_BATCH + MIN_INDEX_BATCH
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids[written - 1])
    expect(await s.fast.messageWords.count()).toBe(written)
    // The next run goes on from the mark.
    await indexWordsTimeBoxed(s.fast, new AbortController().signal, undefined, 0)
    expect(await s.fast.messageWords.count()).toBe(300)
  })
})
