import { MailError } from '../../../../shared/errors'
import { clampText, HEADER_LIMITS } from '../../../../shared/mail/header-limits'
import { readBody } from '../../store/bodies/body-store'
import type { MailDb } from '../../store/mail-db'
import type { WorkerLink } from '../../sync/worker-link'
import { parseInWorker } from '../reading-pane/safety/parse-in-worker'
import type { SourceMessage } from './reply-model'
import { getMessage } from '../../store/messages'

const ids = (value: string | null | undefined): string[] =>
  (value ?? '').match(/<[^<>\s]+@[^<>\s]+>/g)?.filter((id) => id.length <= HEADER_LIMITS.idChars) ?? []

/**
 * The message the user replies to or forwards, from the store: its bytes are downloaded first when only
 * headers are cached. Parsed by the reading pane's parse worker, with all its limits (the message is
 * untrusted: size, depth, parts, header size, time). A message beyond them is still answered: the reply
 * is built from the list row (sender, subject, ids) without quoting the body, and forwarding as an
 * attachment carries the raw bytes unchanged.
 */
export async function loadSource(db: MailDb, link: WorkerLink, localId: number): Promise<SourceMessage> {
  let row = await getMessage(db, localId)
  if (!row) throw new MailError('NOT_FOUND', 'This message is no longer here.')
  let body = await readBody(db, row)
  if (!body || row.bodyState !== 'full') {
    await link.command({ kind: 'load-body', messageId: localId })
    row = await getMessage(db, localId)
    if (!row) throw new MailError('NOT_FOUND', 'This message is no longer here.')
    body = await readBody(db, row)
  }
  if (!body) throw new MailError('NOT_FOUND', 'The text of this message could not be downloaded.')
  const raw = new Uint8Array(body)
  const outcome = await parseInWorker(raw)
  if (outcome.kind === 'limited') {
    return {
      localId,
      messageId: row.messageId,
      inReplyTo: null,
      references: [],
      from: row.from,
      replyTo: [],
      to: row.to,
      cc: row.cc,
      subject: row.subject,
      date: row.date,
      html: null,
      text: null,
      attachments: [],
      raw,
    }
  }
  const email = outcome.message
  const addresses = (list: { name: string; address: string }[]) => list.filter((a) => a.address)
  return {
    localId,
    messageId: ids(email.messageId)[0] ?? row.messageId,
    inReplyTo: ids(email.inReplyTo)[0] ?? null,
    // The new message's References repeat these: a 20,000-id header is not carried on (RFC 5322 §3.6.4
    // allows trimming from the middle; the root and the parent matter).
    references: trimReferences(ids(email.references)),
    from: addresses(email.from),
    replyTo: addresses(email.replyTo),
    to: addresses(email.to),
    cc: addresses(email.cc),
    subject: clampText(email.subject || row.subject, HEADER_LIMITS.subjectChars),
    date: email.date ?? row.date,
    html: email.html,
    text: email.text,
    // Pictures in the text come along with their Content-ID, so the quoted or forwarded text still shows them.
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.mimeType,
      size: a.size,
      content: new Uint8Array(a.content),
      ...(a.inline && a.contentId ? { contentId: a.contentId } : {}),
    })),
    raw,
  }
}

/** The first id (the thread's root) and the last 20: what a reply needs of a long References header. */
function trimReferences(list: string[]): string[] {
  return list.length <= 21 ? list : [list[0]!, ...list.slice(-20)]
}
