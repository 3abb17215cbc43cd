import { describe, expect, it } from 'vitest'
import { SnippetPartCache } from './snippet-part-cache'

const text = { part: '1', type: 'text/plain', charset: 'utf-8', encoding: '7bit' }

describe('SnippetPartCache', () => {
  it('answers only for the same folder and UIDVALIDITY, and nothing after forget', () => {
    const cache = new SnippetPartCache()
    cache.remember(
      'INBOX',
      7,
      new Map([
        [1, text],
        [2, null],
      ]),
    )
    expect(cache.lookup('INBOX', 7, [1, 2, 3])).toEqual(
      new Map([
        [1, text],
        [2, null],
      ]),
    )
    expect(cache.lookup('INBOX', 8, [1]).size).toBe(0)
    expect(cache.lookup('Other', 7, [1]).size).toBe(0)
    cache.forget('INBOX')
    expect(cache.lookup('INBOX', 7, [1]).size).toBe(0)
  })

  it('a new UIDVALIDITY replaces what was known for the folder', () => {
    const cache = new SnippetPartCache()
    cache.remember('INBOX', 7, new Map([[1, text]]))
    cache.remember('INBOX', 9, new Map([[2, null]]))
    expect(cache.lookup('INBOX', 7, [1]).size).toBe(0)
    expect(cache.lookup('INBOX', 9, [1, 2])).toEqual(new Map([[2, null]]))
  })

  it('stays bounded: the oldest folder goes first', () => {
    const cache = new SnippetPartCache()
    const many = (from: number): Map<number, null> =>
      new Map(Array.from({ length: 150_000 }, (_, i) => [from + i, null]))
    cache.remember('A', 1, many(1))
    cache.remember('B', 1, many(1))
    expect(cache.lookup('A', 1, [1]).size).toBe(0)
    expect(cache.lookup('B', 1, [1]).size).toBe(1)
  })
})
