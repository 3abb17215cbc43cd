import { describe, expect, it } from 'vitest'
import { threadKeyOf } from '../imap/header-to-row'
import { summarizeMessage } from '../pop3/mime/message-summary'
import { saneThreadingIds, threadKey } from './thread-key'

const imap = (messageId: string | null, references: string[], inReplyTo: string | null = null, uid = 7) => ({
  messageId,
  references,
  inReplyTo,
  uid,
})

/** What store-downloaded.ts keys a POP3 message by, from its summary. */
function pop3Key(raw: string): string {
  const s = summarizeMessage(new TextEncoder().encode(raw.replace(/\r?\n/g, '\r\n')))
  return (s.references[0] ?? s.inReplyTo ?? s.messageId ?? 'local:x').toLowerCase()
}

describe('threadKeyOf (IMAP)', () => {
  it('keys by the root of References, else In-Reply-To, else the own id, else the UID', () => {
    expect(threadKeyOf(imap('<c@x>', ['<A@x>', '<b@x>'], '<b@x>'))).toBe('<a@x>')
    expect(threadKeyOf(imap('<c@x>', [], '<B@x>'))).toBe('<b@x>')
    expect(threadKeyOf(imap('<C@x>', []))).toBe('<c@x>')
    expect(threadKeyOf(imap(null, []))).toBe('uid:7')
  })

  it('skips self-references: a message naming itself is its own root, not a loop', () => {
    expect(threadKeyOf(imap('<self@x>', ['<self@x>', '<SELF@x>'], '<self@x>'))).toBe('<self@x>')
    expect(threadKeyOf(imap('<self@x>', ['<self@x>', '<root@x>']))).toBe('<root@x>')
  })

  it('gives each half of a References loop a key without following it', () => {
    expect(threadKeyOf(imap('<a@x>', ['<b@x>'], '<b@x>'))).toBe('<b@x>')
    expect(threadKeyOf(imap('<b@x>', ['<a@x>'], '<a@x>'))).toBe('<a@x>')
  })

  it('ignores absurd ids and reads only the start of a huge References', () => {
    const long = `<${'x'.repeat(5000)}@x>`
    expect(threadKeyOf(imap(long, []))).toBe('uid:7')
    expect(threadKeyOf(imap('<m@x>', [long, '<root@x>']))).toBe('<root@x>')
    expect(threadKeyOf(imap('<m@x>', ['<bad\u0000id@x>'], '<p@x>'))).toBe('<p@x>')
    const refs = Array.from({ length: 20_000 }, (_, i) => `<r${i}@x>`)
    const started = performance.now()
    expect(threadKeyOf(imap('<m@x>', refs))).toBe('<r0@x>')
    // A guard against a walk over all 20,000 (normally ~1 ms); loose, since CI shares 2 cores.
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('saneThreadingIds', () => {
  it('drops the message itself, duplicates and unusable ids; keeps 100 references at most', () => {
    const refs = [
      'a@x',
      'self@x',
      'a@x',
      'x'.repeat(2000),
      ...Array.from({ length: 300 }, (_, i) => `r${i}@x`),
    ]
    const sane = saneThreadingIds({ messageId: 'self@x', inReplyTo: 'self@x', references: refs })
    expect(sane.inReplyTo).toBeNull()
    expect(sane.references[0]).toBe('a@x')
    expect(sane.references).toHaveLength(100)
    expect(new Set(sane.references).size).toBe(100)
    expect(sane.references).not.toContain('self@x')
  })

  it('agrees with threadKey whichever path computes the key', () => {
    const ids = { messageId: 'm@x', inReplyTo: 'm@x', references: ['m@x', 'm@x'] }
    const sane = saneThreadingIds(ids)
    expect(threadKey(ids, 'f')).toBe('m@x')
    expect(sane.references[0] ?? sane.inReplyTo ?? sane.messageId).toBe('m@x')
  })
})

describe('POP3 thread key (summarizeMessage + store-downloaded)', () => {
  it('survives self-references, loops, missing headers and absurd lengths', () => {
    expect(pop3Key('Message-ID: <self@x>\nReferences: <self@x> <self@x>\nIn-Reply-To: <self@x>\n\nx')).toBe(
      'self@x',
    )
    expect(pop3Key('Message-ID: <a@x>\nReferences: <b@x>\n\nx')).toBe('b@x')
    expect(pop3Key('Message-ID: <b@x>\nReferences: <a@x>\n\nx')).toBe('a@x')
    expect(pop3Key('Subject: nothing else\n\nx')).toBe('local:x')
    expect(pop3Key('')).toBe('local:x')
    const refs = Array.from({ length: 20_000 }, (_, i) => `<ref-${i}@x>`).join('\n ')
    const started = performance.now()
    expect(pop3Key(`Message-ID: <${'y'.repeat(5000)}@x>\nReferences: ${refs}\n\nx`)).toBe('ref-0@x')
    expect(performance.now() - started).toBeLessThan(2000)
    expect(pop3Key(`Message-ID: <${'y'.repeat(5000)}@x>\n\nx`)).toBe('local:x')
  })
})
