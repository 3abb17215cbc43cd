import { createHash } from 'node:crypto'
import { simpleParser, type AddressObject } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { generateCorpus, type CorpusMessage, type CorpusOptions } from './generate'

function corpusHash(opts: CorpusOptions): string {
  const h = createHash('sha256')
  for (const m of generateCorpus(opts)) h.update(m.raw)
  return h.digest('hex')
}

function collect(opts: CorpusOptions): CorpusMessage[] {
  return [...generateCorpus(opts)]
}

const normalize = (s: string): string => s.replace(/\r\n/g, '\n').trim()

function names(addr: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(addr) ? addr : addr ? [addr] : []
  return list.flatMap((a) => a.value.map((v) => v.name))
}

describe('generateCorpus', () => {
  it('is byte-identical for a seed and different for another seed', () => {
    const opts = { count: 300, seed: 7 }
    expect(corpusHash(opts)).toBe(corpusHash(opts))
    expect(corpusHash(opts)).not.toBe(corpusHash({ ...opts, seed: 8 }))
  })

  it('writes CRLF only, lines within 998 octets, and unique Message-IDs', () => {
    const ids = new Set<string>()
    for (const { raw, meta } of generateCorpus({ count: 500, seed: 3 })) {
      ids.add(meta.messageId)
      let lineStart = 0
      let bareLf = 0
      let longest = 0
      for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
        if (raw[i - 1] !== 0x0d) bareLf++
        longest = Math.max(longest, i - 1 - lineStart)
        lineStart = i + 1
      }
      expect(bareLf, `bare LF in message ${meta.index}`).toBe(0)
      expect(longest).toBeLessThanOrEqual(998)
      expect(raw.at(-1)).toBe(0x0a)
    }
    expect(ids.size).toBe(500)
  })

  it(
    'parses with mailparser to exactly what it meant (subjects, names, text, attachments)',
    { timeout: 60_000 },
    async () => {
      const sample = collect({ count: 1500, seed: 11 }).filter((_, i) => i % 5 === 0)
      expect(sample.length).toBe(300)
      for (const { raw, meta } of sample) {
        const parsed = await simpleParser(raw)
        const where = `message ${meta.index} (${meta.headerCharset}/${meta.bodyCharset})`
        expect(parsed.messageId, where).toBe(meta.messageId)
        expect(parsed.subject, where).toBe(meta.subject)
        expect(names(parsed.from), where).toEqual([meta.from.name ?? ''])
        expect(names(parsed.to), where).toEqual(meta.to.map((a) => a.name ?? ''))
        expect(names(parsed.cc), where).toEqual(meta.cc.map((a) => a.name ?? ''))
        expect(parsed.date?.getTime(), where).toBe(Math.floor(meta.date.getTime() / 1000) * 1000)
        expect(normalize(parsed.text ?? ''), where).toBe(normalize(meta.text))
        expect(Boolean(parsed.html), where).toBe(meta.hasHtml)
        expect(
          parsed.attachments.map((a) => [a.filename, a.contentType, a.size]),
          where,
        ).toEqual(meta.attachments.map((a) => [a.filename, a.contentType, a.size]))
        expect(parsed.inReplyTo, where).toBe(meta.inReplyTo)
        if (meta.listId) expect(parsed.headers.get('list'), where).toMatchObject({ id: { id: meta.listId } })
      }
    },
  )

  it('covers the legacy charsets, encoded-words, RFC 2231 filenames and list headers', () => {
    const charsets = new Set<string>()
    const raws: string[] = []
    let lists = 0
    let replies = 0
    let withAttachments = 0
    for (const { raw, meta } of generateCorpus({ count: 2000, seed: 1 })) {
      charsets.add(meta.headerCharset).add(meta.bodyCharset)
      if (meta.listId) lists++
      if (meta.inReplyTo) replies++
      if (meta.attachments.some((a) => !a.inline)) withAttachments++
      raws.push(raw.subarray(0, Math.min(raw.length, 64_000)).toString('latin1'))
    }
    for (const c of [
      'utf-8',
      'iso-8859-1',
      'windows-1252',
      'koi8-r',
      'shift_jis',
      'iso-2022-jp',
      'us-ascii',
    ]) {
      expect(charsets, c).toContain(c)
    }
    const all = raws.join('\n')
    for (const needle of [
      '=?ISO-2022-JP?B?',
      '=?KOI8-R?',
      '=?SHIFT_JIS?B?',
      '?Q?',
      "filename*=utf-8''",
      'filename*0*=',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Transfer-Encoding: base64',
      'Content-Transfer-Encoding: 8bit',
      'Content-Transfer-Encoding: 7bit',
      'multipart/alternative',
      'multipart/mixed',
      'multipart/related',
      'List-Unsubscribe:',
      'Precedence: list',
      'Precedence: bulk',
    ]) {
      expect(all, needle).toContain(needle)
    }
    expect(lists / 2000).toBeGreaterThan(0.15)
    expect(replies / 2000).toBeGreaterThan(0.1)
    expect(withAttachments / 2000).toBeGreaterThan(0.05)
  })

  it('builds threads only on earlier Message-IDs, and replies quote their parent', () => {
    const seen = new Map<string, CorpusMessage['meta']>()
    let deep = 0
    for (const { meta } of generateCorpus({ count: 3000, seed: 5 })) {
      if (meta.inReplyTo) {
        const parent = seen.get(meta.inReplyTo)
        expect(parent, `parent of ${meta.index}`).toBeDefined()
        expect(meta.references.at(-1)).toBe(meta.inReplyTo)
        for (const ref of meta.references) expect(seen.has(ref), ref).toBe(true)
        expect(meta.threadId).toBe(parent!.threadId)
        expect(parent!.date.getTime()).toBeLessThan(meta.date.getTime())
        const firstParentLine = parent!.text.split('\n')[0]!
        expect(meta.text).toContain(`> ${firstParentLine}`)
        if (meta.references.length >= 3) deep++
      } else {
        expect(meta.references).toEqual([])
        expect(meta.threadId).toBe(meta.messageId)
      }
      seen.set(meta.messageId, meta)
    }
    expect(deep).toBeGreaterThan(10)
  })

  it('spreads dates over about three years, in order', () => {
    const dates = collect({ count: 1000, seed: 2, size: 'small' }).map((m) => m.meta.date.getTime())
    expect(dates).toEqual([...dates].sort((a, b) => a - b))
    const years = (dates.at(-1)! - dates[0]!) / (365 * 86_400_000)
    expect(years).toBeGreaterThan(2.9)
    expect(years).toBeLessThan(3.01)
  })

  it('has a realistic size distribution, and a small one on request', () => {
    const sizes = collect({ count: 4000, seed: 1 })
      .map((m) => m.meta.size)
      .sort((a, b) => a - b)
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length
    // 10k messages ≈ 300-400 MB: a mean of ~30-40 KB, most messages small, a long tail.
    expect(mean).toBeGreaterThan(28_000)
    expect(mean).toBeLessThan(45_000)
    expect(sizes[sizes.length / 2]).toBeLessThan(12_000)
    expect(sizes.at(-1)).toBeGreaterThan(1_000_000)
    const small = collect({ count: 1000, seed: 1, size: 'small' }).map((m) => m.meta.size)
    expect(small.reduce((a, b) => a + b, 0) / small.length).toBeLessThan(8_000)
  })

  it('addresses the given users at the given domain', () => {
    const users = ['alice@lab.test', 'bob']
    for (const { meta } of generateCorpus({
      count: 200,
      seed: 4,
      domain: 'lab.test',
      users,
      size: 'small',
    })) {
      const recipients = [...meta.to, ...meta.cc].map((a) => a.address)
      if (meta.kind !== 'list')
        expect(recipients.some((a) => a === 'alice@lab.test' || a === 'bob@lab.test')).toBe(true)
    }
  })
})
