import { ImapFlow, type MessageStructureObject } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../lab'
import { generateCorpus, type CorpusOptions } from './generate'
import { corpusForLab } from './index'

// Dovecot is the first real consumer of the corpus: it must parse every message the way we meant it.
// Starts its own lab (~2 s) so it does not depend on what the shared lab holds.
let lab: Lab
let opts: CorpusOptions

beforeAll(async () => {
  lab = await startLab()
  opts = { count: 300, seed: 21, domain: lab.domain, users: [lab.user('alice').address] }
  await lab.loadMaildir('alice', 'Corpus', corpusForLab(opts))
})

afterAll(async () => {
  await lab?.stop()
})

function countAttachments(node: MessageStructureObject | undefined): number {
  if (!node) return 0
  const own =
    node.disposition === 'attachment' || (node.disposition === 'inline' && node.type.startsWith('image/'))
      ? 1
      : 0
  return own + (node.childNodes ?? []).reduce((sum, child) => sum + countAttachments(child), 0)
}

describe('corpus in the lab', () => {
  it('is seen by Dovecot with the intended subjects, ids, flags, dates and attachments', async () => {
    const user = lab.user('alice')
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: lab.ports.imaps,
      secure: true,
      tls: { ca: lab.caPem, servername: 'localhost' },
      auth: { user: user.name, pass: user.password },
      logger: false,
    })
    await client.connect()
    try {
      await client.mailboxOpen('Corpus', { readOnly: true })
      const expected = [...generateCorpus(opts)].map((m) => m.meta)
      const query = { uid: true, envelope: true, flags: true, internalDate: true, bodyStructure: true }
      let i = 0
      for await (const msg of client.fetch('1:*', query)) {
        const meta = expected[i++]!
        const where = `message ${meta.index}`
        expect(msg.envelope?.messageId, where).toBe(meta.messageId)
        expect(msg.envelope?.subject, where).toBe(meta.subject)
        expect([...(msg.flags ?? [])].filter((f) => f !== '\\Recent').sort(), where).toEqual(
          [...meta.flags].sort(),
        )
        expect(new Date(msg.internalDate ?? 0).getTime(), where).toBe(
          Math.floor(meta.date.getTime() / 1000) * 1000,
        )
        expect(countAttachments(msg.bodyStructure), where).toBe(meta.attachments.length)
      }
      expect(i).toBe(300)
    } finally {
      await client.logout()
    }
  })
})
