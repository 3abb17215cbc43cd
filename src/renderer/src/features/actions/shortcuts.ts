/** What a key press asks for; null when it is not one of ours. Kept pure so the table is easy to test. */
export type ShortcutAction =
  | 'search'
  | 'new'
  | 'reply'
  | 'reply-all'
  | 'forward'
  | 'delete'
  | 'mark-read'
  | 'mark-unread'
  | 'flag'
  | 'move'
  | 'sync'
  | 'undo'

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/**
 * Outlook's shortcuts (Ctrl on Windows/Linux; ⌘ works too on macOS). Ctrl+F is Forward in Outlook, not Find:
 * finding is Ctrl+E / F3.
 * @param inTextField true when the key was typed into an input: only window-wide keys apply there.
 */
export function shortcutFor(e: KeyLike, inTextField: boolean): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
  if (e.altKey) return null
  if (key === 'F9' && !mod) return 'sync'
  if (mod && !e.shiftKey && key === 'e') return 'search'
  if (key === 'F3' && !mod) return 'search'
  if (inTextField) return null
  if (mod && !e.shiftKey) {
    const plain: Record<string, ShortcutAction> = {
      n: 'new',
      r: 'reply',
      f: 'forward',
      q: 'mark-read',
      u: 'mark-unread',
      z: 'undo',
    }
    return plain[key] ?? null
  }
  if (mod && e.shiftKey) {
    if (key === 'r') return 'reply-all'
    if (key === 'g') return 'flag'
    if (key === 'v') return 'move'
    return null
  }
  if (key === 'Delete') return 'delete'
  if (key === 'Insert') return 'flag'
  return null
}

export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
  return false
}
