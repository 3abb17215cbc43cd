import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import type { MessageRow } from '../rows'
import { testMessageRow } from '../test-message-row'
import { withSnippets } from './snippets'
import { addMessages, getMessages } from '../messages'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const row = (uid: number, snippet: string): MessageRow =>
  testMessageRow(uid, { subject: `s${uid}`, snippet, unread: 1 })

describe('withSnippets', () => {
  it('fills the snippets of rows written without one from the snippets table, and keeps the others', async () => {
    const s = await openMailStore('with-snippets')
    stores.push(s)
    const [a, b, c] = await addMessages(s.fast, [row(1, ''), row(2, 'own text'), row(3, '')])
    await s.fast.snippets.bulkPut([
      { id: a!, text: 'fetched later' },
      { id: b!, text: 'not used' },
    ])
    const rows = await withSnippets(s.fast, [...(await getMessages(s.fast, [a!, b!, c!])), undefined])
    expect(rows.map((r) => r?.snippet)).toEqual(['fetched later', 'own text', '', undefined])
  })
})
