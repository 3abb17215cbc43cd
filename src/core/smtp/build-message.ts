import MailComposer from 'nodemailer/lib/mail-composer'
import type { AddressEntry, Mailbox, ParsedOutgoingMessage } from '../../shared/contract/compose'

/** Quotes a display name when it is not an RFC 5322 §3.2.3 atom sequence (commas, dots, quotes …). */
function quotedName(name: string): string {
  if (/^[\p{L}\p{N}!#$%&'*+\-/=?^_`{|}~ ]*$/u.test(name)) return name
  return `"${name.replace(/(["\\])/g, '\\$1')}"`
}

/**
 * MailComposer takes groups only as text (`Team: a@x, b@y;`, RFC 5322 §3.4); its address parser reads the
 * group back and RFC 2047-encodes non-ASCII names, so members are written with quoted names here.
 */
function groupText(group: string, members: readonly Mailbox[]): string {
  const list = members.map((m) => (m.name ? `${quotedName(m.name)} <${m.address}>` : `<${m.address}>`))
  return `${quotedName(group)}: ${list.join(', ')};`
}

type ComposerAddress = { name: string; address: string } | string

function composerAddresses(entries: readonly AddressEntry[]): ComposerAddress[] {
  return entries.map((e) =>
    'group' in e ? groupText(e.group, e.members) : { name: e.name, address: e.address },
  )
}

/** Every addr-spec an envelope needs, in order, each once (case-insensitively). */
export function envelopeRecipients(message: ParsedOutgoingMessage): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const entry of [...message.to, ...message.cc, ...message.bcc]) {
    for (const m of 'group' in entry ? entry.members : [entry]) {
      const key = m.address.toLowerCase()
      if (seen.has(key)) continue
      seen.add(key)
      out.push(m.address)
    }
  }
  return out
}

/**
 * RFC 5322 bytes for a message, built by nodemailer's MailComposer: display names and Subject as RFC 2047
 * encoded-words, attachment filenames as RFC 2231 parameters (plus an encoded `name` for old readers),
 * text/plain + text/html as multipart/alternative, CRLF line ends. Message-ID and Date come from the caller,
 * so rebuilding the same draft gives the same identity. Non-ASCII addresses stay UTF-8 (RFC 6532); they are
 * only sent where the server offers SMTPUTF8.
 */
export async function buildMessage(message: ParsedOutgoingMessage, keepBcc = false): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: message.from.name, address: message.from.address },
    to: composerAddresses(message.to),
    cc: composerAddresses(message.cc),
    bcc: composerAddresses(message.bcc),
    subject: message.subject,
    messageId: message.messageId,
    date: new Date(message.date),
    text: message.text,
    ...(message.html === null ? {} : { html: message.html }),
    ...(message.inReplyTo === null ? {} : { inReplyTo: message.inReplyTo }),
    ...(message.references.length === 0 ? {} : { references: message.references }),
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary, never base64.
      ...(a.contentType.toLowerCase() === 'message/rfc822' ? { contentTransferEncoding: '8bit' } : {}),
      // A picture in the text: MailComposer puts it with the HTML in multipart/related.
      ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
    })),
    // No X-Mailer: nothing in the message should say which client (and version) the user runs.
    xMailer: false,
  })
  const node = composer.compile()
  node.keepBcc = keepBcc
  return node.build()
}
