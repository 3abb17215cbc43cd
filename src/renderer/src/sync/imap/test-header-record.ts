import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { newFolderRow, type FolderRow } from '../../store/rows'

/** The IMAP Inbox the header-pass tests write into (account "a1", never synced). */
export function testImapInbox(): FolderRow {
  return newFolderRow({
    accountId: 'a1',
    path: 'INBOX',
    name: 'Inbox',
    delimiter: '/',
    parentPath: null,
    specialUse: 'inbox',
    local: false,
  })
}

/** A header record as core sends it, for tests: a plain message with its UID in the subject and Message-ID. */
export function testHeaderRecord(uid: number, over: Partial<HeaderRecordWire> = {}): HeaderRecordWire {
  return {
    uid,
    flags: [],
    internalDate: '2026-01-01T00:00:00.000Z',
    size: 100,
    date: null,
    subject: `subject ${uid}`,
    from: [{ name: 'Zoë', address: 'zoe@example.org' }],
    sender: [],
    replyTo: [],
    to: [],
    cc: [],
    bcc: [],
    messageId: `<m${uid}@test>`,
    inReplyTo: null,
    references: [],
    listId: null,
    hasAttachments: false,
    snippet: null,
    ...over,
  }
}
