import { describe, expect, it } from 'vitest'
import {
  initialDraft,
  replyRecipients,
  threadHeaders,
  type Identity,
  type SourceMessage,
} from './reply-model'

const me = 'me@example.org'
const identity: Identity = { accountId: 'a', name: 'Me', address: me, signature: 'Me\nExample Inc.' }
const source: SourceMessage = {
  localId: 7,
  messageId: '<p@x>',
  inReplyTo: '<r2@x>',
  references: ['<r1@x>', '<r2@x>'],
  from: [{ name: 'Zoë, Z.', address: 'zoe@x.org' }],
  replyTo: [],
  to: [
    { name: 'Me', address: 'ME@example.org' },
    { name: '', address: 'ann@x.org' },
  ],
  cc: [
    { name: '', address: 'bob@x.org' },
    { name: '', address: 'ann@x.org' },
  ],
  subject: 'AW: Re: Plan',
  date: Date.UTC(2024, 0, 2, 3, 4),
  html: null,
  text: 'Line 1\n<b>not html</b>',
  attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', size: 1, content: new Uint8Array([1]) }],
  raw: new Uint8Array([70, 111]),
}
const keep = (html: string): string => html

describe('reply model', () => {
  it('threads by RFC 5322 §3.6.4: References = parent References + parent Message-ID', () => {
    expect(threadHeaders(source)).toEqual({ inReplyTo: '<p@x>', references: ['<r1@x>', '<r2@x>', '<p@x>'] })
    expect(threadHeaders({ messageId: '<p@x>', inReplyTo: '<q@x>', references: [] })).toEqual({
      inReplyTo: '<p@x>',
      references: ['<q@x>', '<p@x>'],
    })
    const long = {
      messageId: '<p@x>',
      inReplyTo: null,
      references: Array.from({ length: 40 }, (_, i) => `<r${i}@x>`),
    }
    const refs = threadHeaders(long).references
    expect(refs).toHaveLength(20)
    expect(refs[0]).toBe('<r0@x>')
    expect(refs.at(-1)).toBe('<p@x>')
  })

  it('replies to Reply-To or From; reply all adds To and Cc without me or duplicates', () => {
    expect(replyRecipients('reply', source, [me])).toEqual({ to: source.from, cc: [] })
    expect(
      replyRecipients('reply', { ...source, replyTo: [{ name: 'List', address: 'l@x.org' }] }, [me]).to,
    ).toEqual([{ name: 'List', address: 'l@x.org' }])
    expect(replyRecipients('reply-all', source, [me])).toEqual({
      to: [source.from[0], { name: '', address: 'ann@x.org' }],
      cc: [{ name: '', address: 'bob@x.org' }],
    })
  })

  it('quotes a reply with attribution, signature above the quote, and escapes the original text', () => {
    const d = initialDraft('reply', identity, [me], source, keep)
    expect(d.subject).toBe('Re: Plan')
    expect(d.inReplyTo).toBe('<p@x>')
    expect(d.source).toEqual({ kind: 'reply', messageId: 7 })
    expect(d.html).toMatch(
      /-- <br>Me<br>Example Inc\.<\/p><p class="attribution">On .*&#34;Zoë, Z\.&#34; &#60;zoe@x\.org&#62; wrote:<\/p><blockquote type="cite">/,
    )
    expect(d.html).toContain('&#60;b&#62;not html&#60;/b&#62;')
    expect(d.text).toMatch(/^-- \nMe\nExample Inc\.\n\nOn .* wrote:\n\n> Line 1\n> <b>not html<\/b>$/)
  })

  it('a reply keeps the pictures of the quoted text and leaves the files behind', () => {
    const picture = {
      filename: 'logo.png',
      contentType: 'image/png',
      size: 1,
      content: new Uint8Array([2]),
      contentId: 'logo@x',
    }
    const withPicture = { ...source, attachments: [...source.attachments, picture] }
    const reply = initialDraft('reply', identity, [me], withPicture, keep)
    expect(reply.attachments.map((a) => [a.filename, a.contentId])).toEqual([['logo.png', 'logo@x']])
    const forward = initialDraft('forward', identity, [me], withPicture, keep)
    expect(forward.attachments.map((a) => a.filename)).toEqual(['a.pdf', 'logo.png'])
  })

  it('forwards inline with a header block and the attachments, or the whole message as message/rfc822', () => {
    const inline = initialDraft('forward', identity, [me], source, keep)
    expect(inline.subject).toBe('Fwd: Plan')
    expect(inline.to).toEqual([])
    expect(inline.inReplyTo).toBeNull()
    expect(inline.text).toContain('---------- Forwarded message ----------\nFrom: "Zoë, Z." <zoe@x.org>')
    expect(inline.attachments.map((a) => a.filename)).toEqual(['a.pdf'])
    const attached = initialDraft('forward-attachment', identity, [me], source, keep)
    expect(attached.attachments).toEqual([
      { id: 'fwd', filename: 'AW Re Plan.eml', contentType: 'message/rfc822', size: 2, content: source.raw },
    ])
  })
})
