import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId, type MessageRow } from '../../store/rows'
import { INDEX_BATCH, wordsIndexedUpTo } from '../../store/search-index'
import { SearchIndexer } from './search-indexer'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const rows = (n: number, firstUid = 1): MessageRow[] =>
  Array.from({ length: n }, (_, i) => ({
    accountId: 'a',
    folderId: folderId('a', 'INBOX'),
    uid: firstUid + i,
    uidl: null,
    messageId: null,
    threadId: `t${i}`,
    date: i,
    from: [],
    to: [],
    cc: [],
    subject: `Note ${i}`,
    snippet: '',
    flags: [],
    unread: 1,
    flagged: 0,
    size: 1,
    hasAttachments: 0,
    bodyState: 'none',
  }))

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10))
}

describe('SearchIndexer', () => {
  it('catches up in batches, steps aside while a pass is busy, and goes on when kicked again', async () => {
    const s = await openMailStore(`indexer-${++counter}`)
    stores.push(s)
    const ids = await s.fast.messages.bulkAdd(rows(INDEX_BATCH + 10), { allKeys: true })
    let busy = false
    const indexer = new SearchIndexer(s.fast, () => busy)
    indexer.kick()
    await until(async () => (await wordsIndexedUpTo(s.fast)) === ids.at(-1))
    expect(await s.fast.messageWords.count()).toBe(INDEX_BATCH + 10)

    busy = true
    const more = await s.fast.messages.bulkAdd(rows(5, 10_000), { allKeys: true })
    indexer.kick()
    await new Promise((r) => setTimeout(r, 100))
    expect(await wordsIndexedUpTo(s.fast)).toBe(ids.at(-1)) // nothing written while busy

    busy = false
    indexer.kick()
    await until(async () => (await wordsIndexedUpTo(s.fast)) === more.at(-1))
    expect(await s.fast.messageWords.count()).toBe(INDEX_BATCH + 15)
    await indexer.stop()
  })
})
