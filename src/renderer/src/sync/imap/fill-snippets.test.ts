import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId, type FolderRow } from '../../store/rows'
import { testMessageRow } from '../../store/test-message-row'
import { rowsWithoutSnippet } from './fill-snippets'
import { addMessage, addMessages } from '../../store/messages'

const stores: MailStore[] = []
let counter = 0
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const inbox = { id: folderId('a', 'INBOX') } as FolderRow

describe('rowsWithoutSnippet', () => {
  it('reads the folder chunk by chunk and finds every row still without a snippet, newest first', async () => {
    const s = await openMailStore(`fill-snippets-${++counter}`)
    stores.push(s)
    // Uids 1..25; 3, 6, 9 … carry a snippet in the row, 4, 8, 12 … have one in the snippets table.
    const uids = Array.from({ length: 25 }, (_, i) => i + 1)
    const ids = (await addMessages(
      s.fast,
      uids.map((u) => testMessageRow(u, { snippet: u % 3 === 0 ? 'in the row' : '' })),
    )) as number[]
    await s.fast.snippets.bulkPut(
      uids.flatMap((u, i) => (u % 4 === 0 ? [{ id: ids[i]!, text: 'filled' }] : [])),
    )
    // Another folder's rows are not looked at.
    await addMessage(s.fast, testMessageRow(30, { folderId: folderId('a', 'Sent') }))

    const wanted = (u: number): boolean => u >= 5 && u % 3 !== 0 && u % 4 !== 0
    const expected = uids.filter(wanted).reverse()
    for (const chunk of [1, 7, 10, 1_000]) {
      const got = await rowsWithoutSnippet(s, inbox, 5, undefined, chunk)
      expect([...got.keys()]).toEqual(expected)
      expect([...got.values()]).toEqual(expected.map((u) => ids[u - 1]))
    }
  })

  it('stops between chunks when a pass wants the store', async () => {
    const s = await openMailStore(`fill-snippets-${++counter}`)
    stores.push(s)
    await addMessages(
      s.fast,
      Array.from({ length: 20 }, (_, i) => testMessageRow(i + 1)),
    )
    const stop = new AbortController()
    stop.abort()
    await expect(rowsWithoutSnippet(s, inbox, 1, stop.signal, 5)).rejects.toThrow()
  })
})
