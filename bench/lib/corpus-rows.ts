import type { CorpusMessageMeta } from '../../src/lab/corpus/generate'
import type { MessageRow } from '../../src/renderer/src/store/rows'

/**
 * The store row the sync worker would write for a corpus message's headers (no body stored): for benches
 * that fill a store directly instead of syncing. Its search words go to `messageWords` (searchWordsOf).
 */
export function corpusMessageRow(
  m: CorpusMessageMeta,
  where: { accountId: string; folderId: string; uid: number; dateShift?: number },
): MessageRow {
  return {
    accountId: where.accountId,
    folderId: where.folderId,
    uid: where.uid,
    uidl: null,
    messageId: m.messageId,
    threadId: m.threadId,
    date: m.date.getTime() + (where.dateShift ?? 0),
    from: [{ name: m.from.name ?? '', address: m.from.address }],
    to: m.to.map((a) => ({ name: a.name ?? '', address: a.address })),
    cc: m.cc.map((a) => ({ name: a.name ?? '', address: a.address })),
    subject: m.subject,
    snippet: m.text.slice(0, 200).replace(/\s+/g, ' '),
    flags: m.flags,
    unread: m.flags.includes('\\Seen') ? 0 : 1,
    flagged: m.flags.includes('\\Flagged') ? 1 : 0,
    size: m.size,
    hasAttachments: m.attachments.some((a) => !a.inline) ? 1 : 0,
    bodyState: 'none',
  }
}
