import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from './mail-db'
import { folderId, type MessageRow } from './rows'
import { testMessageRow } from './test-message-row'
import { indexWordsBatch, wordsIndexedUpTo } from './search-index'
import { searchMessages } from './queries/search'

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
    const ids = await fast.messages.bulkAdd(
      Array.from({ length: 5 }, (_, i) => row(i + 1, `Budget ${i + 1}`)),
      { allKeys: true },
    )
    expect(await indexWordsBatch(fast, 2)).toBe(2)
    expect(await wordsIndexedUpTo(fast)).toBe(ids[1])
    expect(await indexWordsBatch(fast, 10)).toBe(3)
    expect(await indexWordsBatch(fast, 10)).toBe(0)
    expect(await wordsIndexedUpTo(fast)).toBe(ids[4])
    expect((await fast.messageWords.get(ids[2]!))?.words).toEqual(['budget', '3', 'ann', 'example', 'org'])
    // A row written later lies above the mark and is indexed by the next run.
    const late = await fast.messages.add(row(6, 'Late arrival'))
    expect(await indexWordsBatch(fast)).toBe(1)
    expect(await fast.messageWords.where('words').equals('arrival').primaryKeys()).toEqual([late])
  })

  it('answers indexed rows from the word table, not by scanning them', async () => {
    const s = await fresh()
    const [first, second] = await s.fast.messages.bulkAdd([row(1, 'Budget draft'), row(2, 'Budget final')], {
      allKeys: true,
    })
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([second, first])
    await indexWordsBatch(s.fast)
    // Taking a row's words out of the table takes it out of the results: indexed rows are not scanned.
    await s.fast.messageWords.delete(first!)
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([second])
  })

  it('skips the words of a message deleted after it was indexed', async () => {
    const s = await fresh()
    const [gone, kept] = await s.fast.messages.bulkAdd([row(1, 'Budget draft'), row(2, 'Budget final')], {
      allKeys: true,
    })
    await indexWordsBatch(s.fast)
    await s.fast.messages.delete(gone!)
    expect((await searchMessages(s.fast, 'budget')).map((r) => r.id)).toEqual([kept])
  })
})
