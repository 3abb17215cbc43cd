import { newMessageId } from '../../../../shared/mail/message-id'
import type { ComposeAddress, ComposeKind, DraftAttachment, DraftContent } from '../../store/compose-rows'
import { formatMailbox } from './address-parse'
import { escapeHtml, signatureHtml } from './compose-html'
import { htmlToText } from './html-to-text'
import { forwardSubject, replySubject } from './subject'

/** The message being answered or forwarded, as the composer needs it (parsed from the stored bytes). */
export interface SourceMessage {
  localId: number
  messageId: string | null
  inReplyTo: string | null
  references: string[]
  from: ComposeAddress[]
  replyTo: ComposeAddress[]
  to: ComposeAddress[]
  cc: ComposeAddress[]
  subject: string
  date: number
  html: string | null
  text: string | null
  attachments: Omit<DraftAttachment, 'id'>[]
  /** The whole message, for "forward as attachment". */
  raw: Uint8Array<ArrayBuffer>
}

export interface Identity {
  accountId: string
  name: string
  address: string
  /** Plain text; added below the new text with the "-- " separator (RFC 3676 §4.3). */
  signature: string
}

/** Longest References header we write: the root plus the newest ids (RFC 5322 §3.6.4 allows trimming). */
const MAX_REFERENCES = 20

/**
 * RFC 5322 §3.6.4: References = the parent's References (or, lacking them, its In-Reply-To) followed by the
 * parent's Message-ID; In-Reply-To = the parent's Message-ID.
 */
export function threadHeaders(source: Pick<SourceMessage, 'messageId' | 'inReplyTo' | 'references'>): {
  inReplyTo: string | null
  references: string[]
} {
  if (!source.messageId) return { inReplyTo: null, references: [] }
  const base = source.references.length > 0 ? source.references : source.inReplyTo ? [source.inReplyTo] : []
  const all = [...base.filter((id) => id !== source.messageId), source.messageId]
  const references = all.length > MAX_REFERENCES ? [all[0]!, ...all.slice(-(MAX_REFERENCES - 1))] : all
  return { inReplyTo: source.messageId, references }
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

function without(list: readonly ComposeAddress[], drop: readonly string[]): ComposeAddress[] {
  const out: ComposeAddress[] = []
  for (const m of list) {
    if (drop.some((d) => same(d, m.address)) || out.some((o) => same(o.address, m.address))) continue
    out.push(m)
  }
  return out
}

/**
 * Who a reply goes to: Reply-To when the author set one (RFC 5322 §3.6.2), else From. Reply all adds the
 * original To and Cc, never the user's own addresses and never anyone twice. Replying to one's own
 * message goes to its original recipients.
 */
export function replyRecipients(
  kind: 'reply' | 'reply-all',
  source: Pick<SourceMessage, 'from' | 'replyTo' | 'to' | 'cc'>,
  selfAddresses: readonly string[],
): { to: ComposeAddress[]; cc: ComposeAddress[] } {
  const fromSelf = source.from.some((f) => selfAddresses.some((s) => same(s, f.address)))
  const primary = fromSelf ? source.to : source.replyTo.length > 0 ? source.replyTo : source.from
  const to = kind === 'reply' && !fromSelf ? without(primary, []) : without(primary, selfAddresses)
  if (kind === 'reply') return { to, cc: [] }
  const more = fromSelf ? [] : source.to
  const toAll = without([...to, ...more], selfAddresses)
  const cc = without(source.cc, [...selfAddresses, ...toAll.map((m) => m.address)])
  return { to: toAll, cc }
}

function dateLine(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

const list = (m: readonly ComposeAddress[]): string => m.map(formatMailbox).join(', ')

/** The original as HTML to quote: its sanitized HTML, or its text with line breaks kept. */
function bodyHtml(source: SourceMessage, sanitize: (html: string) => string): string {
  if (source.html) return sanitize(source.html)
  return `<div>${escapeHtml(source.text ?? '').replace(/\r?\n/g, '<br>')}</div>`
}

/**
 * The first state of a composer: recipients, subject with one prefix, thread headers, the quoted original
 * (replies: an attribution line and a <blockquote type="cite">; inline forwards: a header block and the
 * original's attachments; forward as attachment: the untouched bytes as message/rfc822, RFC 2046 §5.2.1).
 */
export function initialDraft(
  kind: ComposeKind,
  identity: Identity,
  selfAddresses: readonly string[],
  source: SourceMessage | null,
  sanitize: (html: string) => string,
): DraftContent {
  const from = { name: identity.name, address: identity.address }
  const signature = signatureHtml(identity.signature)
  const base: DraftContent = {
    id: globalThis.crypto.randomUUID(),
    accountId: identity.accountId,
    messageId: newMessageId(identity.address),
    from,
    to: [],
    cc: [],
    bcc: [],
    subject: '',
    html: `<p><br></p>${signature}`,
    text: '',
    attachments: [],
    inReplyTo: null,
    references: [],
    source: null,
    createdAt: Date.now(),
  }
  if (kind === 'new' || !source) return withText(base)
  const sourceRef = { kind, messageId: source.localId }
  if (kind === 'reply' || kind === 'reply-all') {
    const { to, cc } = replyRecipients(kind, source, selfAddresses)
    const author = source.from[0] ? formatMailbox(source.from[0]) : 'someone'
    const html =
      `<p><br></p>${signature}<p class="attribution">On ${escapeHtml(dateLine(source.date))}, ${escapeHtml(author)} wrote:</p>` +
      `<blockquote type="cite">${bodyHtml(source, sanitize)}</blockquote>`
    return withText({
      ...base,
      to,
      cc,
      subject: replySubject(source.subject),
      html,
      // The original's files stay behind (as in every mail client); the pictures in the quoted text come.
      attachments: source.attachments
        .filter((a) => a.contentId !== undefined)
        .map((a, i) => ({ ...a, id: `quoted-${i}` })),
      ...threadHeaders(source),
      source: sourceRef,
    })
  }
  const subject = forwardSubject(source.subject)
  if (kind === 'forward-attachment') {
    const name = `${(source.subject || 'message')
      .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100)}.eml`
    const attachment = {
      id: 'fwd',
      filename: name,
      contentType: 'message/rfc822',
      size: source.raw.byteLength,
      content: source.raw,
    }
    return withText({ ...base, subject, attachments: [attachment], source: sourceRef })
  }
  const header = [
    '---------- Forwarded message ----------',
    `From: ${list(source.from)}`,
    `Date: ${dateLine(source.date)}`,
    `Subject: ${source.subject}`,
    `To: ${list(source.to)}`,
    ...(source.cc.length > 0 ? [`Cc: ${list(source.cc)}`] : []),
  ]
    .map(escapeHtml)
    .join('<br>')
  return withText({
    ...base,
    subject,
    html: `<p><br></p>${signature}<p class="forward-header">${header}</p>${bodyHtml(source, sanitize)}`,
    attachments: source.attachments.map((a, i) => ({ ...a, id: `fwd-${i}` })),
    source: sourceRef,
  })
}

function withText(draft: DraftContent): DraftContent {
  return { ...draft, text: htmlToText(draft.html) }
}
