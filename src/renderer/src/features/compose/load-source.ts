import PostalMime from 'postal-mime'
import { MailError } from '../../../../shared/errors'
import type { MailDb } from '../../store/mail-db'
import type { WorkerLink } from '../../sync/worker-link'
import type { SourceMessage } from './reply-model'

const LIMITS = { maxNestingDepth: 64, maxHeadersSize: 1024 * 1024, maxRfc822NestingDepth: 4 } as const

const ids = (value: string | undefined): string[] => (value ?? '').match(/<[^<>\s]+@[^<>\s]+>/g) ?? []

type PostalAddress = { name: string; address?: string; group?: { name: string; address: string }[] }
function flat(list: PostalAddress[] | PostalAddress | undefined): { name: string; address: string }[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list]
  return items.flatMap((a) => (a.group ? a.group : a.address ? [{ name: a.name, address: a.address }] : []))
}

/**
 * The message the user replies to or forwards, from the store: its bytes are downloaded first when only
 * headers are cached. Parsed with postal-mime (limits on depth and header size: the message is untrusted).
 */
export async function loadSource(db: MailDb, link: WorkerLink, localId: number): Promise<SourceMessage> {
  const row = await db.messages.get(localId)
  if (!row) throw new MailError('NOT_FOUND', 'This message is no longer here.')
  let body = await db.bodies.get(localId)
  if (!body || row.bodyState !== 'full') {
    await link.command({ kind: 'load-body', messageId: localId })
    body = await db.bodies.get(localId)
  }
  if (!body) throw new MailError('NOT_FOUND', 'The text of this message could not be downloaded.')
  const raw = new Uint8Array(body.raw)
  const email = await PostalMime.parse(raw, { ...LIMITS, attachmentEncoding: 'arraybuffer' })
  const date = email.date ? Date.parse(email.date) : NaN
  return {
    localId,
    messageId: email.messageId ?? row.messageId,
    inReplyTo: ids(email.inReplyTo)[0] ?? null,
    references: ids(email.references),
    from: flat(email.from as PostalAddress | undefined),
    replyTo: flat(email.replyTo as PostalAddress[] | undefined),
    to: flat(email.to as PostalAddress[] | undefined),
    cc: flat(email.cc as PostalAddress[] | undefined),
    subject: email.subject ?? row.subject,
    date: Number.isNaN(date) ? row.date : date,
    html: email.html ?? null,
    text: email.text ?? null,
    attachments: email.attachments
      .filter((a) => a.disposition !== 'inline' || !a.contentId)
      .map((a, i) => {
        const content =
          typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content)
        return {
          filename: a.filename?.trim() || `attachment-${i + 1}`,
          contentType: a.mimeType || 'application/octet-stream',
          size: content.byteLength,
          content,
        }
      }),
    raw,
  }
}
