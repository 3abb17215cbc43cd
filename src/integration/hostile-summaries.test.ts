import { describe, expect, it } from 'vitest'
import { hostileCorpus } from '../lab/hostile'
import { summarizeMessage } from '../renderer/src/sync/pop3/mime/message-summary'
import { HEADER_LIMITS } from '../shared/mail/header-limits'

/**
 * The sync worker's POP3/import header parser (message-summary.ts) on every message of the hostile corpus;
 * here rather than next to the parser because the corpus generator is Node code (Buffer).
 */
describe('summarizeMessage on the hostile corpus (src/lab/hostile)', () => {
  // No time bound here (a loaded machine makes any figure flaky); the walk and size limits bound the work.
  it('every case: a summary within the row limits, never an exception', { timeout: 60_000 }, () => {
    const corpus = hostileCorpus({ to: 'mallory@lab.test', canary: 'http://127.0.0.1:9', now: new Date(0) })
    for (const c of corpus) {
      const s = summarizeMessage(new Uint8Array(c.raw))
      expect(s.subject.length, c.key).toBeLessThanOrEqual(HEADER_LIMITS.subjectChars)
      for (const list of [s.from, s.to, s.cc]) {
        expect(list.length, c.key).toBeLessThanOrEqual(HEADER_LIMITS.addressesPerField)
        for (const a of list) expect(a.name.length + a.address.length, c.key).toBeLessThanOrEqual(576)
      }
      expect(s.references.length, c.key).toBeLessThanOrEqual(100)
      // Where the case keeps its subject, the list shows it.
      if (c.key !== 'missing-headers' && !c.key.startsWith('encoded-words')) {
        expect(s.subject, c.key).toContain(`HOSTILE-CASE-${String(c.id).padStart(2, '0')}`)
      }
    }
  })
})
