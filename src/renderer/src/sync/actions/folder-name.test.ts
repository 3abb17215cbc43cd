import { describe, expect, it } from 'vitest'
import type { PendingActionRow } from '../../store/rows'
import { childPath, folderNameProblem, isInTree } from './folder-name'
import { queuedFolderPaths } from './imap-folder-actions'

describe('folder names', () => {
  it('accepts ordinary names and says what is wrong with bad ones', () => {
    expect(folderNameProblem('Receipts 2026', '/')).toBeNull()
    expect(folderNameProblem('Ünïcødé ✓', '.')).toBeNull()
    expect(folderNameProblem('   ', '/')).toMatch(/Type a name/)
    expect(folderNameProblem('a/b', '/')).toMatch(/cannot contain “\/”/)
    expect(folderNameProblem('a.b', '.')).toMatch(/cannot contain “\.”/)
    expect(folderNameProblem('a.b', '/')).toBeNull()
    expect(folderNameProblem('50%', '/')).toMatch(/%/)
    expect(folderNameProblem('tab\there', '/')).toMatch(/control/)
    expect(folderNameProblem('x'.repeat(201), '/')).toMatch(/too long/)
  })

  it('builds paths and knows subtrees by the delimiter, not by prefix alone', () => {
    expect(childPath(null, ' Work ', '/')).toBe('Work')
    expect(childPath('Work', 'Old', '.')).toBe('Work.Old')
    expect(isInTree('Work/Old', 'Work', '/')).toBe(true)
    expect(isInTree('Work', 'Work', '/')).toBe(true)
    expect(isInTree('Workshop', 'Work', '/')).toBe(false)
  })
})

describe('folder paths the sync must not contradict while their actions are queued', () => {
  const row = (payload: unknown): PendingActionRow => ({
    accountId: 'a',
    kind: 'imap',
    payload,
    messageIds: [],
    createdAt: 0,
    attempts: 0,
    lastError: null,
  })

  it('follows creates, renames and deletes in queue order', () => {
    const { kept, hidden } = queuedFolderPaths(
      [
        row({ kind: 'create-folder', path: 'New' }),
        row({ kind: 'rename-folder', from: 'Old', to: 'Renamed' }),
        row({ kind: 'create-folder', path: 'Gone' }),
        row({ kind: 'delete-folder', path: 'Gone' }),
        row({ kind: 'flags', folder: 'INBOX', uids: [1], add: ['\\Seen'], remove: [] }),
      ],
      '/',
    )
    expect(kept.sort()).toEqual(['New', 'Renamed'])
    expect(hidden.sort()).toEqual(['Gone', 'Old'])
  })
})
