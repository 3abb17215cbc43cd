import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostileCorpus, type HostileCase } from '../../lab/hostile'
import { HEADER_LIMITS } from '../../shared/mail/header-limits'
import { closeQuietly, connectImap } from './connect'
import { fetchHeaders } from './fetch-headers'
import { MAX_REFERENCES } from './header-record'
import { fetchMessageSource } from './fetch-source'
import { labAccount, useLab, type LabHandle } from './lab-fixture'
import type { HeaderRecord } from './types'

/**
 * Core's parsers of untrusted bytes on the IMAP path (ENVELOPE, BODYSTRUCTURE, References/List-Id) fed the
 * hostile corpus through real Dovecot, plus what the corpus leaves out: a megabyte Subject and ten thousand
 * recipients. Every message must come back as a record within HEADER_LIMITS, and its source unchanged.
 */
const FOLDER = 'HostileCore'
const USER = 'erin'

function extremeHeaders(): Buffer {
  const to = Array.from({ length: 10_000 }, (_, i) => `"${'N'.repeat(300)}" <r${i}@x.test>`).join(',\r\n ')
  const subject = Array.from({ length: 16_000 }, () => 'Subject-words-').join(' ')
  return Buffer.from(
    `From: a@x.test\r\nTo: ${to}\r\nSubject: EXTREME ${subject}\r\nMessage-ID: <extreme@x.test>\r\n\r\nbody\r\n`,
  )
}

let handle: LabHandle
let client: ImapFlow
let corpus: HostileCase[]
let raws: Buffer[]

beforeAll(async () => {
  handle = await useLab()
  corpus = hostileCorpus({
    to: handle.lab.user(USER).address,
    canary: 'http://127.0.0.1:9',
    now: new Date(0),
  })
  raws = [...corpus.map((c) => c.raw), extremeHeaders()]
  await handle.lab.loadMaildir(USER, FOLDER, raws)
  client = await connectImap(labAccount(handle.lab, USER))
})
afterAll(async () => {
  if (client) await closeQuietly(client)
  await handle?.release()
})

describe('core IMAP header records of hostile mail', () => {
  it('every message becomes a record within the row limits; the extreme one is cut, not dropped', async () => {
    const records: HeaderRecord[] = []
    for await (const batch of fetchHeaders(client, FOLDER, { firstBatchSize: 20, batchSize: 20 })) {
      records.push(...batch.headers)
    }
    expect(records.map((r) => r.uid).sort((a, b) => a - b)).toEqual(raws.map((_, i) => i + 1))
    for (const r of records) {
      const what = `uid ${r.uid}: ${r.subject.slice(0, 40)}`
      expect(r.subject.length, what).toBeLessThanOrEqual(HEADER_LIMITS.subjectChars)
      for (const list of [r.from, r.sender, r.replyTo, r.to, r.cc, r.bcc]) {
        expect(list.length, what).toBeLessThanOrEqual(HEADER_LIMITS.addressesPerField)
        for (const a of list) {
          expect(a.name.length, what).toBeLessThanOrEqual(HEADER_LIMITS.nameChars)
          expect(a.address.length, what).toBeLessThanOrEqual(HEADER_LIMITS.addressChars)
        }
      }
      expect(r.references.length, what).toBeLessThanOrEqual(MAX_REFERENCES)
      expect((r.messageId ?? '').length, what).toBeLessThanOrEqual(HEADER_LIMITS.idChars)
    }
    const extreme = records.find((r) => r.uid === raws.length)!
    expect(extreme.subject.startsWith('EXTREME Subject-words-')).toBe(true)
    expect(extreme.subject.endsWith('…')).toBe(true)
    expect(extreme.to).toHaveLength(HEADER_LIMITS.addressesPerField)
    expect(extreme.messageId).toBe('<extreme@x.test>')
    // The corpus' 20,000 References arrive as the first 100; its 3,000-part and 60-level messages are records.
    const refs = records.find((r) => r.uid === corpus.findIndex((c) => c.key === 'references-absurd') + 1)
    expect(refs?.references).toHaveLength(MAX_REFERENCES)
  })

  it('the whole source of the biggest and the extreme message is still there, byte for byte', async () => {
    for (const i of [corpus.findIndex((c) => c.key === 'very-large'), raws.length - 1]) {
      const chunks: Buffer[] = []
      for await (const chunk of fetchMessageSource(client, FOLDER, i + 1)) chunks.push(chunk)
      const source = Buffer.concat(chunks)
      expect(Buffer.compare(source, raws[i]!), `message ${i + 1}`).toBe(0)
    }
  })
})
