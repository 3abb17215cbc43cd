import { describe, expect, it } from 'vitest'
import type { MessageRow } from '../../store/rows'
import { senderText } from './MessageRowView'

function row(name: string, address: string): MessageRow {
  return {
    accountId: 'a',
    folderId: 'f',
    uid: 1,
    uidl: null,
    messageId: null,
    threadId: 't',
    date: 0,
    from: [{ name, address }],
    to: [],
    cc: [],
    subject: '',
    snippet: '',
    flags: [],
    unread: 0,
    flagged: 0,
    size: 0,
    hasAttachments: 0,
    bodyState: 'none',
  }
}

describe('the sender shown in the message list', () => {
  it('is the display name when it hides nothing', () => {
    expect(senderText(row('Zoë Müller', 'zoe@example.org'))).toBe('Zoë Müller')
  })

  it('shows the real address beside a name that pretends to be another address', () => {
    expect(senderText(row('support@bank.example', 'crook@evil.example'))).toBe(
      'support@bank.example <crook@evil.example>',
    )
    // Fullwidth ＠ reads as @ to a person, so it counts too.
    expect(senderText(row('service＠paypal.example', 'x@evil.example'))).toContain('<x@evil.example>')
  })

  it('drops control and bidi characters that could fake a line or reorder text', () => {
    expect(senderText(row('Support\u0000 Bcc: victim@bank.example', 'a@evil.example'))).not.toContain(
      '\u0000',
    )
    expect(senderText(row('abc\u202Edcba', 'a@example.org'))).toBe('abcdcba')
  })

  it('falls back to the address when there is no usable name', () => {
    expect(senderText(row('\u202E', 'a@example.org'))).toBe('a@example.org')
  })
})
