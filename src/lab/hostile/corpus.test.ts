import { describe, expect, it } from 'vitest'
import { hostileCorpus, HOSTILE_CASE_COUNT } from './corpus'

const ctx = { to: 'alice@lab.test', canary: 'http://127.0.0.1:9', now: new Date(Date.UTC(2026, 0, 15, 12)) }

describe('hostileCorpus', () => {
  const corpus = hostileCorpus(ctx)

  it('is deterministic: the same context gives the same bytes', () => {
    const again = hostileCorpus(ctx)
    expect(again.map((c) => c.raw.equals(corpus[c.id - 1]!.raw))).toEqual(corpus.map(() => true))
  })

  it('numbers every case once, with unique keys', () => {
    expect(corpus).toHaveLength(HOSTILE_CASE_COUNT)
    expect(corpus.map((c) => c.id)).toEqual(corpus.map((_, i) => i + 1))
    expect(new Set(corpus.map((c) => c.key)).size).toBe(corpus.length)
  })

  it('points every remote reference and script at the canary only', () => {
    for (const c of corpus) {
      const text = c.raw.toString('latin1')
      for (const m of text.matchAll(/https?:\/\/[^\s"'<>)/]+/gi)) {
        if (/^https?:\/\/(www\.w3\.org|example\.org)$/i.test(m[0])) continue
        expect(m[0].toLowerCase(), `case ${c.id} ${c.key}`).toBe(ctx.canary)
      }
    }
  })

  it('carries each body marker in the bytes (plainly, or encoded for the encoded cases)', () => {
    const encoded = new Set(['svg-script', 'utf7-html', 'invalid-base64'])
    for (const c of corpus) {
      if (encoded.has(c.key)) continue
      expect(c.raw.includes(c.marker), `case ${c.id} ${c.key}`).toBe(true)
    }
  })

  it('has the sizes it promises: a 1 MiB header line and a ~20 MiB message', () => {
    const line = corpus.find((c) => c.key === 'megabyte-header-line')!
    expect(line.raw.length).toBeGreaterThan(1024 * 1024)
    const large = corpus.find((c) => c.key === 'very-large')!
    expect(large.raw.length).toBeGreaterThan(20 * 1024 * 1024)
  })
})
