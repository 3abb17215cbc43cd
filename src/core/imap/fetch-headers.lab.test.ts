import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabTools } from '../../lab/lab'
import { generateCorpus, type CorpusMessageMeta } from '../../lab/corpus'
import { closeQuietly, connectImap } from './connect'
import { fetchHeaders, type HeaderBatch } from './fetch-headers'
import { fetchSnippetBatches } from './fetch-snippet-batches'
import type { SnippetPart } from './header-record'
import { labAccount, useLab, type LabHandle } from './lab-fixture'

const FOLDER = 'Corpus1k'
const COUNT = 1000
let handle: LabHandle
let lab: LabTools
let client: ImapFlow
const metas: CorpusMessageMeta[] = []
/** List-Id values as written in each raw message (newsletters carry one too, not only `list` mail). */
const listIds: (string | null)[] = []

beforeAll(async () => {
  handle = await useLab()
  lab = handle.lab
  const messages = []
  for (const { raw, meta } of generateCorpus({
    count: COUNT,
    seed: 5,
    domain: lab.domain,
    users: ['carol'],
  })) {
    metas.push(meta)
    const header = raw
      .subarray(0, raw.indexOf('\r\n\r\n'))
      .toString('latin1')
      .replace(/\r\n[ \t]+/g, ' ')
    listIds.push(/^List-Id:[^\r]*<([^>]+)>/im.exec(header)?.[1] ?? null)
    messages.push({ raw, flags: meta.flags, date: meta.date })
  }
  // A fresh folder: UIDs follow the load order, so UID n is metas[n - 1].
  await lab.loadMaildir('carol', FOLDER, messages)
  client = await connectImap(labAccount(lab, 'carol'))
})
afterAll(async () => {
  if (client) await closeQuietly(client)
  await handle?.release()
})

const normalize = (s: string): string => s.replace(/\s+/g, ' ').trim()

describe('fetchHeaders', () => {
  it('delivers the newest messages first, then every other UID exactly once in descending ranges', async () => {
    const started = Date.now()
    const batches: HeaderBatch[] = []
    let firstMs = 0
    for await (const batch of fetchHeaders(client, FOLDER, { firstBatchSize: 100, batchSize: 300 })) {
      firstMs ||= Date.now() - started
      batches.push(batch)
    }
    const totalMs = Date.now() - started
    console.info(`fetchHeaders ${COUNT} messages: first batch ${firstMs} ms, all ${totalMs} ms`)

    expect(batches.map((b) => b.headers.length)).toEqual([100, 300, 300, 300])
    expect(batches.map((b) => b.remaining)).toEqual([900, 600, 300, 0])
    expect(batches[0]!.headers.map((h) => h.uid)).toEqual(Array.from({ length: 100 }, (_, i) => COUNT - i))
    const all = batches.flatMap((b) => b.headers.map((h) => h.uid))
    expect(all).toEqual(Array.from({ length: COUNT }, (_, i) => COUNT - i))
    expect(batches.every((b) => b.uidValidity === batches[0]!.uidValidity && !b.uidValidityChanged)).toBe(
      true,
    )

    for (const h of batches.flatMap((b) => b.headers)) {
      const meta = metas[h.uid - 1]!
      expect(h.subject).toBe(meta.subject)
      expect(h.messageId).toBe(meta.messageId)
      expect(h.from.map((a) => [a.name, a.address])).toEqual([[meta.from.name ?? '', meta.from.address]])
      expect(h.to.map((a) => a.address)).toEqual(meta.to.map((a) => a.address))
      expect(h.inReplyTo).toBe(meta.inReplyTo ?? null)
      expect(h.references).toEqual(meta.references)
      expect(h.listId).toBe(listIds[h.uid - 1])
      if (meta.listId !== undefined) expect(h.listId).toBe(meta.listId)
      expect(h.hasAttachments).toBe(meta.attachments.some((a) => !a.inline))
      // PEEK everywhere: the flags are still exactly those the corpus was loaded with (no \Seen added).
      expect(h.flags.sort()).toEqual([...meta.flags].sort())
      expect(h.size).toBe(meta.size)
      expect(h.snippet).not.toBeNull()
    }
  })

  it('decodes snippets, subjects and names in legacy charsets', async () => {
    const samples = new Map<string, CorpusMessageMeta>()
    for (const m of metas) {
      for (const cs of [m.bodyCharset, m.headerCharset])
        if (cs !== 'utf-8' && !samples.has(cs)) samples.set(cs, m)
    }
    expect(samples.size).toBeGreaterThanOrEqual(3)
    const wanted = new Set([...samples.values()].map((m) => m.index + 1))
    const seen = new Map<number, { subject: string; snippet: string | null; from: string }>()
    for await (const batch of fetchHeaders(client, FOLDER, { batchSize: 1000 })) {
      for (const h of batch.headers) {
        if (wanted.has(h.uid))
          seen.set(h.uid, { subject: h.subject, snippet: h.snippet, from: h.from[0]?.name ?? '' })
      }
    }
    for (const [charset, meta] of samples) {
      const got = seen.get(meta.index + 1)!
      expect(got.subject, charset).toBe(meta.subject)
      expect(got.from, charset).toBe(meta.from.name ?? '')
      const firstWords = normalize(meta.text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 15)
      expect(got.snippet, charset).toContain(firstWords)
    }
  })

  it('reports a UIDVALIDITY mismatch as a value and stops', async () => {
    const batches: HeaderBatch[] = []
    for await (const b of fetchHeaders(client, FOLDER, { uidValidity: 1 })) batches.push(b)
    expect(batches).toHaveLength(1)
    expect(batches[0]).toMatchObject({ uidValidityChanged: true, headers: [], remaining: 0 })
    expect(batches[0]!.uidValidity).toBe(await lab.uidValidity('carol', FOLDER))
  })

  it('stops early without leaving the folder locked', async () => {
    for await (const batch of fetchHeaders(client, FOLDER, { firstBatchSize: 10 })) {
      expect(batch.headers).toHaveLength(10)
      break
    }
    // The next operation on the same connection must not wait for a leftover lock.
    const lock = await client.getMailboxLock('INBOX', { acquireTimeout: 2_000 })
    lock.release()
  })

  it('compares with a raw imapflow loop fetching the same fields (printed, not asserted)', async () => {
    const raw = await connectImap(labAccount(lab, 'carol'))
    try {
      await raw.mailboxOpen(FOLDER)
      const query = {
        uid: true,
        flags: true,
        internalDate: true,
        size: true,
        envelope: true,
        bodyStructure: true,
      }
      let t = Date.now()
      let n = 0
      for await (const _ of raw.fetch('1:*', { ...query, headers: ['references', 'list-id'] }, { uid: true }))
        n++
      const rawMs = Date.now() - t
      t = Date.now()
      for await (const b of fetchHeaders(client, FOLDER, { snippets: false, batchSize: 500 }))
        n -= b.headers.length
      const noSnippetMs = Date.now() - t
      t = Date.now()
      for await (const b of fetchHeaders(client, FOLDER, { batchSize: 500 })) void b
      const withSnippetMs = Date.now() - t
      expect(n).toBe(0)
      console.info(
        `raw loop ${rawMs} ms, fetchHeaders without snippets ${noSnippetMs} ms, with ${withSnippetMs} ms`,
      )
    } finally {
      await closeQuietly(raw)
    }
  })
})

describe('fetchSnippetBatches', () => {
  it('fills in exactly the snippets fetchHeaders would have fetched, newest first, and nothing for gone UIDs', async () => {
    const inline = new Map<number, string | null>()
    for await (const b of fetchHeaders(client, FOLDER, { batchSize: 1000 }))
      for (const h of b.headers) inline.set(h.uid, h.snippet)
    const uidValidity = await lab.uidValidity('carol', FOLDER)
    const uids = [...inline.keys(), COUNT + 500] // one UID the folder does not have
    const got: number[] = []
    const batches: number[] = []
    for await (const b of fetchSnippetBatches(client, FOLDER, uids, { uidValidity, batchSize: 400 })) {
      expect(b.uidValidityChanged).toBe(false)
      batches.push(b.snippets.length)
      for (const s of b.snippets) {
        got.push(s.uid)
        expect(s.snippet, `UID ${s.uid}`).toBe(inline.get(s.uid) ?? '')
      }
    }
    // The missing UID is the highest: it takes a place in the first batch.
    expect(batches).toEqual([399, 400, 201])
    expect(got).toEqual([...inline.keys()].sort((a, b) => b - a))
  })

  it('with the text parts the header pass saw, gives the same snippets as the single pass', async () => {
    const inline = new Map<number, string | null>()
    for await (const b of fetchHeaders(client, FOLDER, { batchSize: 1000 }))
      for (const h of b.headers) inline.set(h.uid, h.snippet)
    const knownParts = new Map<number, SnippetPart | null>()
    for await (const b of fetchHeaders(client, FOLDER, { batchSize: 1000, snippets: false })) {
      expect(b.headers.every((h) => h.snippet === null)).toBe(true)
      for (const [uid, part] of b.snippetParts ?? []) knownParts.set(uid, part)
    }
    expect(knownParts.size).toBe(inline.size)
    const uidValidity = await lab.uidValidity('carol', FOLDER)
    const got = new Map<number, string>()
    for await (const b of fetchSnippetBatches(client, FOLDER, [...inline.keys()], {
      uidValidity,
      knownParts,
    }))
      for (const s of b.snippets) got.set(s.uid, s.snippet)
    expect(got.size).toBe(inline.size)
    for (const [uid, snippet] of inline) expect(got.get(uid), `UID ${uid}`).toBe(snippet ?? '')
  })

  it('reports a UIDVALIDITY mismatch as a value and stops', async () => {
    const batches = []
    for await (const b of fetchSnippetBatches(client, FOLDER, [1, 2], { uidValidity: 1 })) batches.push(b)
    expect(batches).toEqual([{ uidValidityChanged: true, snippets: [] }])
  })
})
