import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from './mail-db'
import { ORPHANS_SWEPT_KEY, SWEEP_EVERY_MS, sweepOrphanRows, sweepOrphanRowsWhenDue } from './orphan-rows'
import { testMessageRow } from './test-message-row'
import { addMessages, deleteMessage, deleteMessages } from './messages'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function storeWith(n: number): Promise<{ s: MailStore; ids: number[] }> {
  const s = await openMailStore(`orphan-rows-${++counter}`)
  stores.push(s)
  const ids = (await addMessages(
    s.fast,
    Array.from({ length: n }, (_, i) => testMessageRow(i + 1)),
  )) as number[]
  await s.fast.messageWords.bulkPut(ids.map((id) => ({ id, words: [`w${id}`] })))
  await s.fast.snippets.bulkPut(ids.map((id) => ({ id, text: `s${id}` })))
  return { s, ids }
}

describe('sweepOrphanRows', () => {
  it('removes words and snippets of messages that are gone, and nothing else', async () => {
    const { s, ids } = await storeWith(6)
    const gone = [ids[1]!, ids[3]!]
    await deleteMessages(s.fast, gone)
    expect(await sweepOrphanRows(s.fast)).toBe(4)
    const kept = ids.filter((id) => !gone.includes(id))
    expect(((await s.fast.messageWords.toCollection().primaryKeys()) as number[]).sort()).toEqual(kept)
    expect(((await s.fast.snippets.toCollection().primaryKeys()) as number[]).sort()).toEqual(kept)
  })

  it('leaves rows above the newest message alone (written for a message stored after the keys were read)', async () => {
    const { s, ids } = await storeWith(3)
    const newest = ids.at(-1)!
    await s.fast.messageWords.put({ id: newest + 5, words: ['later'] })
    expect(await sweepOrphanRows(s.fast)).toBe(0)
    expect(await s.fast.messageWords.get(newest + 5)).toBeDefined()
  })

  it('runs when due only: once per SWEEP_EVERY_MS', async () => {
    const { s, ids } = await storeWith(3)
    await deleteMessage(s.fast, ids[0]!)
    const t0 = Date.now()
    expect(await sweepOrphanRowsWhenDue(s.fast, undefined, t0)).toBe(2)
    expect(typeof (await s.fast.syncState.get(ORPHANS_SWEPT_KEY))?.value).toBe('number')
    await deleteMessage(s.fast, ids[1]!)
    expect(await sweepOrphanRowsWhenDue(s.fast, undefined, t0 + 1000)).toBe(0)
    expect(await sweepOrphanRowsWhenDue(s.fast, undefined, t0 + SWEEP_EVERY_MS + 60_000)).toBe(2)
  })
})
