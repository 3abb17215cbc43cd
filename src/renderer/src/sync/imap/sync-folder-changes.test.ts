import { describe, expect, it } from 'vitest'
import { folderRowFrom, sameFolderRow } from './folder-rows'
import { unchangedSince } from './sync-folder-changes'
import { testImapInbox } from './test-header-record'

const cached = { ...testImapInbox(), uidValidity: 7, uidNext: 101, highestModseq: '5000', syncedExists: 100 }
const same = { uidValidity: 7, uidNext: 101, highestModseq: '5000', messages: 100 }

describe('unchangedSince (STATUS proves a folder unchanged, so the pass neither opens nor reads it)', () => {
  it('holds when UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ are all as cached', () => {
    expect(unchangedSince(cached, same)).toBe(true)
  })

  it('fails on new mail, a flag change or expunge (a higher mod-sequence), or a new UIDVALIDITY', () => {
    expect(unchangedSince(cached, { ...same, uidNext: 102 })).toBe(false)
    expect(unchangedSince(cached, { ...same, highestModseq: '5001' })).toBe(false)
    expect(unchangedSince(cached, { ...same, uidValidity: 8 })).toBe(false)
  })

  it('fails when the count differs from the one at the last sync (an expunge a CONDSTORE-only server hid)', () => {
    expect(unchangedSince(cached, { ...same, messages: 99 })).toBe(false)
    expect(unchangedSince(cached, { uidValidity: 7, uidNext: 101, highestModseq: '5000' })).toBe(false)
    // Rows cached before the count was recorded, and a listing's `total`, prove nothing.
    const { syncedExists: _unrecorded, ...olderRow } = cached
    expect(unchangedSince(olderRow, same)).toBe(false)
    expect(unchangedSince({ ...cached, syncedExists: null, total: 100 }, same)).toBe(false)
  })

  it('proves nothing without CONDSTORE (no HIGHESTMODSEQ on either side) or without a STATUS', () => {
    const { highestModseq: _none, ...withoutModseq } = same
    expect(unchangedSince(cached, withoutModseq)).toBe(false)
    expect(unchangedSince({ ...cached, highestModseq: null }, same)).toBe(false)
    expect(unchangedSince(cached, null)).toBe(false)
    expect(unchangedSince({ ...cached, uidNext: null }, same)).toBe(false)
  })
})

describe('sameFolderRow (an equal listing is not written again)', () => {
  const info = {
    path: 'INBOX',
    name: 'INBOX',
    delimiter: '/',
    parentPath: null,
    specialUse: '\\Inbox' as const,
    specialUseSource: 'server' as const,
    subscribed: true,
    flags: [],
    selectable: true,
    status: { messages: 100, unseen: 3, uidNext: 101, uidValidity: 7, highestModseq: '5000' },
  }

  it('is true for the row a listing builds from an equal stored row, false once a count moves', () => {
    const stored = folderRowFrom('a1', info, { ...cached, total: 100, unread: 3 })
    expect(sameFolderRow(folderRowFrom('a1', info, stored), stored)).toBe(true)
    const moreUnread = { ...info, status: { ...info.status, unseen: 4 } }
    expect(sameFolderRow(folderRowFrom('a1', moreUnread, stored), stored)).toBe(false)
    expect(sameFolderRow(stored, undefined)).toBe(false)
  })
})
