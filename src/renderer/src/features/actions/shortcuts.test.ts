import { describe, expect, it } from 'vitest'
import { shortcutFor, type KeyLike } from './shortcuts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('Outlook shortcuts', () => {
  it('maps the documented keys', () => {
    expect(shortcutFor(key('e', { ctrlKey: true }), false)).toBe('search')
    expect(shortcutFor(key('n', { ctrlKey: true }), false)).toBe('new')
    expect(shortcutFor(key('r', { ctrlKey: true }), false)).toBe('reply')
    expect(shortcutFor(key('R', { ctrlKey: true, shiftKey: true }), false)).toBe('reply-all')
    expect(shortcutFor(key('f', { metaKey: true }), false)).toBe('forward')
    expect(shortcutFor(key('q', { ctrlKey: true }), false)).toBe('mark-read')
    expect(shortcutFor(key('u', { ctrlKey: true }), false)).toBe('mark-unread')
    expect(shortcutFor(key('Insert'), false)).toBe('flag')
    expect(shortcutFor(key('G', { ctrlKey: true, shiftKey: true }), false)).toBe('flag')
    expect(shortcutFor(key('V', { ctrlKey: true, shiftKey: true }), false)).toBe('move')
    expect(shortcutFor(key('Delete'), false)).toBe('delete')
    expect(shortcutFor(key('F9'), false)).toBe('sync')
    expect(shortcutFor(key('z', { ctrlKey: true }), false)).toBe('undo')
  })

  it('leaves typing alone: only search and F9 work inside text fields', () => {
    expect(shortcutFor(key('Delete'), true)).toBeNull()
    expect(shortcutFor(key('u', { ctrlKey: true }), true)).toBeNull()
    // Ctrl+Z in a field undoes typing, not the last move.
    expect(shortcutFor(key('z', { ctrlKey: true }), true)).toBeNull()
    expect(shortcutFor(key('e', { ctrlKey: true }), true)).toBe('search')
    expect(shortcutFor(key('F9'), true)).toBe('sync')
    expect(shortcutFor(key('r', { ctrlKey: true, altKey: true }), false)).toBeNull()
    expect(shortcutFor(key('x'), false)).toBeNull()
  })
})
