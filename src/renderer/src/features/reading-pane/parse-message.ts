import PostalMime, { type Address, type Attachment } from 'postal-mime'

export interface ParsedAddress {
  name: string
  address: string
}

/** A mailbox, or an RFC 5322 §3.4 group of them ("Team: a@x, b@x;"). */
export type ParsedRecipient = ParsedAddress | { group: string; members: ParsedAddress[] }

export interface ParsedAttachment {
  filename: string
  mimeType: string
  size: number
  content: Uint8Array
  contentId: string | null
  /** Referenced from the HTML (cid:) and shown inline rather than listed. */
  inline: boolean
}

export interface ParsedMessage {
  subject: string
  from: ParsedAddress[]
  to: ParsedAddress[]
  cc: ParsedAddress[]
  replyTo: ParsedAddress[]
  /** To, Cc and Bcc with their groups kept (the lists above flatten them), for reopening a draft. */
  recipients: { to: ParsedRecipient[]; cc: ParsedRecipient[]; bcc: ParsedRecipient[] }
  date: number | null
  /** Threading ids as written (`<id@host>`), for replies; postal-mime's values, unvalidated. */
  messageId: string | null
  inReplyTo: string | null
  references: string | null
  html: string | null
  text: string | null
  attachments: ParsedAttachment[]
}

/** Hostile mail can nest parts or stack headers to exhaust memory: fail the parse rather than the window. */
const LIMITS = { maxNestingDepth: 64, maxHeadersSize: 1024 * 1024, maxRfc822NestingDepth: 4 } as const

function flatten(list: Address[] | Address | undefined): ParsedAddress[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list]
  return items.flatMap((a) =>
    a.group
      ? a.group.map((m) => ({ name: m.name, address: m.address }))
      : [{ name: a.name, address: a.address ?? '' }],
  )
}

function withGroups(list: Address[] | Address | undefined): ParsedRecipient[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list]
  return items.map((a) =>
    a.group
      ? { group: a.name, members: a.group.map((m) => ({ name: m.name, address: m.address })) }
      : { name: a.name, address: a.address ?? '' },
  )
}

function bytesOf(content: Attachment['content']): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content)
  return content instanceof Uint8Array ? content : new Uint8Array(content)
}

function attachmentOf(a: Attachment, index: number): ParsedAttachment {
  const content = bytesOf(a.content)
  return {
    filename: a.filename?.trim() || `attachment-${index + 1}`,
    mimeType: a.mimeType || 'application/octet-stream',
    size: content.byteLength,
    content,
    contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
    inline: a.related === true && a.disposition !== 'attachment',
  }
}

/**
 * Parses the raw RFC 5322 bytes for display, in the page. postal-mime is built for browsers (no Node
 * streams or Buffer), decodes charsets with TextDecoder and has limits on depth and header size.
 * The bytes never leave this function as HTML: the caller sanitizes before showing anything.
 * `limits` tightens the defaults; safety/parse-with-limits.ts is the caller that applies them all.
 */
export async function parseMessage(
  raw: Uint8Array,
  limits: Partial<Record<keyof typeof LIMITS, number>> = {},
): Promise<ParsedMessage> {
  const email = await PostalMime.parse(raw, { ...LIMITS, ...limits, attachmentEncoding: 'arraybuffer' })
  const parsedDate = email.date ? Date.parse(email.date) : NaN
  return {
    subject: email.subject ?? '',
    from: flatten(email.from),
    to: flatten(email.to),
    cc: flatten(email.cc),
    replyTo: flatten(email.replyTo),
    recipients: { to: withGroups(email.to), cc: withGroups(email.cc), bcc: withGroups(email.bcc) },
    date: Number.isNaN(parsedDate) ? null : parsedDate,
    messageId: email.messageId ?? null,
    inReplyTo: email.inReplyTo ?? null,
    references: email.references ?? null,
    html: email.html ?? null,
    text: email.text ?? null,
    attachments: email.attachments.map(attachmentOf),
  }
}
