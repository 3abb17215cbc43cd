import { useEffect } from 'react'
import { isTextField, shortcutFor, type ShortcutAction } from './shortcuts'
import { useMoveDialog } from './MoveDialog'
import { useMailActions } from './use-mail-actions'

/** The search box's id, so Ctrl+E can focus it from anywhere. */
export const SEARCH_INPUT_ID = 'harbor-search'

/**
 * One window-wide keydown listener for Outlook's shortcuts. Keys that open dialogs are ignored while a
 * dialog is open (its own keys win), and typing in a field never triggers Delete or Ctrl+letters.
 */
export function useShortcuts(): void {
  const actions = useMailActions()
  const { openMove } = useMoveDialog()
  useEffect(() => {
    const handlers: Record<ShortcutAction, () => void> = {
      search: () => {
        const input = document.getElementById(SEARCH_INPUT_ID)
        if (input instanceof HTMLInputElement) {
          input.focus()
          input.select()
        }
      },
      new: () => actions.compose('new'),
      reply: () => actions.compose('reply'),
      'reply-all': () => actions.compose('reply-all'),
      forward: () => actions.compose('forward'),
      delete: actions.deleteSelected,
      'mark-read': () => actions.markRead(true),
      'mark-unread': () => actions.markRead(false),
      flag: actions.toggleFlag,
      move: openMove,
      sync: () => actions.syncNow(),
      undo: actions.undo,
    }
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return
      const action = shortcutFor(e, isTextField(e.target))
      if (!action) return
      // Ctrl+R would reload, Ctrl+E focuses the browser's address bar, Ctrl+U shows the page source.
      e.preventDefault()
      handlers[action]()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [actions, openMove])
}
