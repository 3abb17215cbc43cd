import { MailError } from '../../../../shared/errors'
import { newMessageId } from '../../../../shared/mail/message-id'
import { readBody } from '../../store/bodies/body-store'
import type { MailDb } from '../../store/mail-db'
import type { ComposeAddress, DraftContent, RecipientEntry } from '../../store/compose-rows'
import type { WorkerLink } from '../../sync/worker-link'
import type { ParsedAddress, ParsedRecipient } from '../reading-pane/parse-message'
import { parseInWorker } from '../reading-pane/safety/parse-in-worker'
import { normalizeAddress } from './address-parse'
import { escapeHtml } from './compose-html'
import { sanitizeComposeHtml } from './compose-sanitize'
import { htmlToText } from './html-to-text'
import { getMessage } from '../../store/messages'

const ids = (value: string | null): string[] => (value ?? '').match(/<[^<>\s]+@[^<>\s]+>/g) ?? []

function mailbox(a: ParsedAddress): ComposeAddress | null {
  const address = a.address ? normalizeAddress(a.address) : null
  return address ? { name: a.name.trim(), address } : null
}

/** To/Cc/Bcc as the composer keeps them: mailboxes and RFC 5322 §3.4 groups (kept as groups). */
function entries(list: readonly ParsedRecipient[]): RecipientEntry[] {
  return list.flatMap((a): RecipientEntry[] => {
    if ('group' in a) {
      const members = a.members.map(mailbox).filter((m) => m !== null)
      return [{ group: a.group.trim() || 'Group', members }]
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
  const row = await getMessage(db, localId)
  if (!row) throw new MailError('NOT_FOUND', 'This draft is no longer here.')
  if (row.messageId) {
    const local = await db.drafts
      .where('accountId')
      .equals(row.accountId)
      .filter((d) => d.messageId === row.messageId && !d.discarded)
      .first()
    if (local) return local
  }
  let body = await readBody(db, row)
  if (!body || row.bodyState !== 'full') {
    await link.command({ kind: 'load-body', messageId: localId })
    const fresh = await getMessage(db, localId)
    body = fresh && (await readBody(db, fresh))
  }
  if (!body) throw new MailError('NOT_FOUND', 'The draft could not be downloaded. Try again when online.')
  // Parsed by the reading pane's worker, with its limits: a draft may come from anywhere (another client,
  // an attacker with access to the mailbox) and a big one would stall the window if parsed here.
  const outcome = await parseInWorker(new Uint8Array(body))
  if (outcome.kind === 'limited') {
    throw new MailError(
      'INVALID_PARAMS',
      `This draft cannot be opened for editing: ${outcome.reason.message} It stays in Drafts; open it in the reading pane to see its text.`,
    )
  }
  const email = outcome.message
  const from = email.from.map(mailbox).find((m) => m !== null)
  const html = email.html
    ? sanitizeComposeHtml(email.html)
    : `<p>${escapeHtml(email.text ?? '').replace(/\r?\n/g, '<br>')}</p>`
  const messageId = ids(email.messageId)[0] ?? row.messageId ?? null
  return {
    // One id per server draft: opening it twice edits the same local draft.
    id: `server:${row.accountId}:${messageId ?? localId}`,
    accountId: row.accountId,
    messageId: messageId ?? newMessageId(from?.address ?? 'draft@localhost'),
    from: from ?? { name: '', address: '' },
    to: entries(email.recipients.to),
    cc: entries(email.recipients.cc),
    bcc: entries(email.recipients.bcc),
    subject: email.subject || row.subject,
    html,
    text: htmlToText(html),
    attachments: email.attachments.map((a, i) => ({
      id: `srv-${i}`,
      filename: a.filename,
      contentType: a.mimeType,
      size: a.size,
      content: new Uint8Array(a.content),
      // A picture in the draft's text (sent by us in multipart/related) stays one.
      ...(a.inline && a.contentId ? { contentId: a.contentId } : {}),
    })),
    inReplyTo: ids(email.inReplyTo)[0] ?? null,
    references: ids(email.references),
    source: null,
    createdAt: email.date ?? row.date,
  }
}
