import { describe, expect, it } from 'vitest'
import type { FolderRow } from '../../store/rows'
import { buildFolderTree, isSelectable } from './folder-tree'

function folder(path: string, extra: Partial<FolderRow> = {}): FolderRow {
  const parts = path.split('/')
  return {
    id: `a\u0000${path}`,
    accountId: 'a',
    path,
    name: parts.at(-1)!,
    delimiter: '/',
    parentPath: parts.length > 1 ? parts.slice(0, -1).join('/') : null,
    specialUse: null,
    local: false,
    selectable: true,
    uidValidity: 1,
    highestModseq: null,
    uidNext: 1,
    total: 0,
    unread: 0,
    syncedAt: null,
    ...extra,
  }
}

describe('buildFolderTree', () => {
  it('nests by parent path and puts special-use folders first in Outlook order', () => {
    const tree = buildFolderTree([
      folder('Zebra'),
      folder('Trash', { specialUse: 'trash' }),
      folder('Projects', { selectable: false }),
      folder('Projects/b2'),
      folder('Projects/b10'),
      folder('Sent', { specialUse: 'sent' }),
      folder('INBOX'),
      folder('Orphan/child'),
    ])
    // The orphan (its parent is not in the list) sorts by its own name, 'child'.
    expect(tree.map((n) => n.folder.path)).toEqual([
      'INBOX',
      'Sent',
      'Trash',
      'Orphan/child',
      'Projects',
      'Zebra',
    ])
    const projects = tree.find((n) => n.folder.path === 'Projects')!
    expect(projects.children.map((n) => n.folder.name)).toEqual(['b2', 'b10'])
    expect(isSelectable(projects.folder)).toBe(false)
  })
})
