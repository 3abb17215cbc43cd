import PostalMime from 'postal-mime'
import { MailError } from '../../../../shared/errors'
import { newMessageId } from '../../../../shared/mail/message-id'
import type { MailDb } from '../../store/mail-db'
import type { ComposeAddress, DraftContent, RecipientEntry } from '../../store/compose-rows'
import type { WorkerLink } from '../../sync/worker-link'
import { normalizeAddress } from './address-parse'
import { escapeHtml } from './compose-html'
import { sanitizeComposeHtml } from './compose-sanitize'
import { htmlToText } from './html-to-text'

const LIMITS = { maxNestingDepth: 64, maxHeadersSize: 1024 * 1024, maxRfc822NestingDepth: 4 } as const

const ids = (value: string | undefined): string[] => (value ?? '').match(/<[^<>\s]+@[^<>\s]+>/g) ?? []

interface PostalAddress {
  name: string
  address?: string
  group?: { name: string; address: string }[]
}

function mailbox(a: { name: string; address?: string }): ComposeAddress | null {
  const address = a.address ? normalizeAddress(a.address) : null
  return address ? { name: a.name.trim(), address } : null
}

/** To/Cc/Bcc as the composer keeps them: mailboxes and RFC 5322 §3.4 groups (kept as groups). */
function entries(list: PostalAddress[] | PostalAddress | undefined): RecipientEntry[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list]
  return items.flatMap((a): RecipientEntry[] => {
    if (a.group) {
      const members = a.group.map(mailbox).filter((m) => m !== null)
      return [{ group: a.name.trim() || 'Group', members }]
    }
    const m = mailbox(a)
    return m ? [m] : []
  })
}

/**
 * A draft from the account's Drafts folder (saved by another device or an earlier install) as the composer
 * edits it: headers, recipients with groups and Bcc, HTML (or the text made HTML), attachments, thread
 * headers. Its Message-ID is kept, so saving replaces the server copy (compose.save-draft removes the
 * other copies with that Message-ID) and sending removes it. A draft this device already holds locally
 * opens from the local copy, which is at least as new.
 */
export async function loadServerDraft(db: MailDb, link: WorkerLink, localId: number): Promise<DraftContent> {
  const row = await db.messages.get(localId)
  if (!row) throw new MailError('NOT_FOUND', 'This draft is no longer here.')
  if (row.messageId) {
    const local = await db.drafts
      .where('accountId')
      .equals(row.accountId)
      .filter((d) => d.messageId === row.messageId && !d.discarded)
      .first()
    if (local) return local
  }
  let body = await db.bodies.get(localId)
  if (!body || row.bodyState !== 'full') {
    await link.command({ kind: 'load-body', messageId: localId })
    body = await db.bodies.get(localId)
  }
  if (!body) throw new MailError('NOT_FOUND', 'The draft could not be downloaded. Try again when online.')
  const email = await PostalMime.parse(new Uint8Array(body.raw), {
    ...LIMITS,
    attachmentEncoding: 'arraybuffer',
  })
  const from = entries(email.from as PostalAddress | undefined).find((e) => !('group' in e))
  const html = email.html
    ? sanitizeComposeHtml(email.html)
    : `<p>${escapeHtml(email.text ?? '').replace(/\r?\n/g, '<br>')}</p>`
  const messageId = ids(email.messageId)[0] ?? row.messageId ?? null
  const date = email.date ? Date.parse(email.date) : NaN
  return {
    // One id per server draft: opening it twice edits the same local draft.
    id: `server:${row.accountId}:${messageId ?? localId}`,
    accountId: row.accountId,
    messageId: messageId ?? newMessageId(from && 'address' in from ? from.address : 'draft@localhost'),
    from: from && 'address' in from ? from : { name: '', address: '' },
    to: entries(email.to as PostalAddress[] | undefined),
    cc: entries(email.cc as PostalAddress[] | undefined),
    bcc: entries(email.bcc as PostalAddress[] | undefined),
    subject: email.subject ?? row.subject,
    html,
    text: htmlToText(html),
    attachments: email.attachments.map((a, i) => {
      const content =
        typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content)
      const contentId = a.contentId?.replace(/^<|>$/g, '')
      return {
        id: `srv-${i}`,
        filename: a.filename?.trim() || `attachment-${i + 1}`,
        contentType: a.mimeType || 'application/octet-stream',
        size: content.byteLength,
        content,
        // A picture in the draft's text (sent by us in multipart/related) stays one.
        ...(a.related && a.disposition !== 'attachment' && contentId ? { contentId } : {}),
      }
    }),
    inReplyTo: ids(email.inReplyTo)[0] ?? null,
    references: ids(email.references),
    source: null,
    createdAt: Number.isNaN(date) ? row.date : date,
  }
}
