import { folderId, type MessageRow } from './rows'

/**
 * A message row for store tests: account "a", its INBOX, uid and date from `uid`, no addresses, read, no
 * body; `patch` sets what a test is about. One shape for every store test, so a new field of MessageRow
 * is added once.
 */
export function testMessageRow(uid: number, patch: Partial<MessageRow> = {}): MessageRow {
  return {
    accountId: 'a',
    folderId: folderId('a', 'INBOX'),
    uid,
    uidl: null,
    messageId: null,
    threadId: `t${uid}`,
    date: uid,
    from: [],
    to: [],
    cc: [],
    subject: `Message ${uid}`,
    snippet: '',
    flags: [],
    unread: 0,
    flagged: 0,
    size: 1,
    hasAttachments: 0,
    bodyState: 'none',
    ...patch,
  }
}
