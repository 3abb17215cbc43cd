import type { HeaderRecordWire } from '../../../../shared/model/imap'
import type { MessageRow } from '../../store/rows'
import { threadKey } from '../threading/thread-key'

/**
 * The thread key of a message: the first Message-ID of its References (the thread's root), else its
 * In-Reply-To, else its own id. Lower-cased because Message-IDs are compared case-insensitively in practice.
 * Self-references, over-long or broken ids are skipped (see ../threading/thread-key.ts).
 */
export function threadKeyOf(
  h: Pick<HeaderRecordWire, 'references' | 'inReplyTo' | 'messageId' | 'uid'>,
): string {
  return threadKey(h, `uid:${h.uid}`)
}

function dateOf(h: HeaderRecordWire): number {
  // The Date header is what users sort by; a missing or absurd one falls back to the server's arrival time.
  const header = h.date === null ? NaN : Date.parse(h.date)
  const internal = Date.parse(h.internalDate)
  if (Number.isFinite(header) && header > 0 && header < Date.now() + 7 * 86_400_000) return header
  return Number.isFinite(internal) ? internal : 0
}

export function headerToRow(h: HeaderRecordWire, accountId: string, folderId: string): MessageRow {
  const flags = [...h.flags]
  return {
    accountId,
    folderId,
    uid: h.uid,
    uidl: null,
    messageId: h.messageId,
    threadId: threadKeyOf(h),
    date: dateOf(h),
    from: h.from,
    to: h.to,
    cc: h.cc,
    subject: h.subject,
    snippet: h.snippet ?? '',
    flags,
    unread: flags.includes('\\Seen') ? 0 : 1,
    flagged: flags.includes('\\Flagged') ? 1 : 0,
    size: h.size,
    hasAttachments: h.hasAttachments ? 1 : 0,
    bodyState: 'none',
  }
}
