import { describe, expect, it } from 'vitest'
import { outgoingMessageSchema } from '../../shared/contract/compose'
import { buildMessage, envelopeRecipients } from './build-message'

const message = outgoingMessageSchema.parse({
  messageId: '<fixed@example.org>',
  date: Date.UTC(2024, 0, 2, 3, 4, 5),
  from: { name: 'Müller, Jörg', address: 'joerg@example.org' },
  to: [
    {
      group: 'Team A',
      members: [
        { name: 'Ann "Q" Lee', address: 'ann@example.org' },
        { name: '', address: 'bo@example.org' },
      ],
    },
  ],
  cc: [{ name: '', address: 'ANN@example.org' }],
  bcc: [{ name: 'Hidden', address: 'hid@example.org' }],
  subject: 'Re: Grüße',
  text: 'hi',
})

describe('buildMessage', () => {
  it('fixes Message-ID and Date, quotes names and writes groups (RFC 5322 §3.4)', async () => {
    const raw = (await buildMessage(message)).toString('latin1')
    expect(raw).toMatch(/^Message-ID: <fixed@example\.org>\r$/m)
    expect(raw).toMatch(/^Date: Tue, 02 Jan 2024 03:04:05 \+0000\r$/m)
    expect(raw).toMatch(/^From: =\?UTF-8\?Q\?M=C3=BCller=2C_J=C3=B6rg\?= <joerg@example\.org>\r$/m)
    expect(raw).toMatch(/^To: Team A:"Ann \\"Q\\" Lee" <ann@example\.org>, bo@example\.org;\r$/m)
    expect(raw).not.toMatch(/^Bcc:/m)
  })

  it('sends a picture of the text inline: multipart/related with its Content-ID, not as a file', async () => {
    const raw = (
      await buildMessage(
        outgoingMessageSchema.parse({
          ...message,
          html: '<p>Logo: <img src="cid:logo.1@example.org"></p>',
          attachments: [
            {
              filename: 'logo.png',
              contentType: 'image/png',
              content: new Uint8Array([1, 2, 3]),
              contentId: 'logo.1@example.org',
            },
            { filename: 'a.pdf', contentType: 'application/pdf', content: new Uint8Array([4]) },
          ],
        }),
      )
    ).toString('latin1')
    expect(raw).toMatch(/^Content-Type: multipart\/related;/m)
    expect(raw).toMatch(/^Content-ID: <logo\.1@example\.org>\r$/m)
    expect(raw).toMatch(/^Content-Disposition: inline; filename=logo\.png\r$/m)
    expect(raw).toMatch(/^Content-Disposition: attachment; filename=a\.pdf\r$/m)
  })

  it('keeps Bcc only when asked (the Sent copy), and lists each envelope recipient once', async () => {
    expect((await buildMessage(message, true)).toString()).toMatch(/^Bcc: Hidden <hid@example\.org>\r$/m)
    expect(envelopeRecipients(message)).toEqual(['ann@example.org', 'bo@example.org', 'hid@example.org'])
  })
})
