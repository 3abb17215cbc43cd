import { useCallback, useEffect, useRef } from 'react'
import { useMailView, type MarkReadWhen } from '../../app/mail-view'
import { useNotify } from '../../components/notify'
import type { MessageRow } from '../../store/rows'
import { useWorkerLink } from '../../sync/worker-link-context'

/**
 * How long a message stays in the reading pane before it is marked read. "When shown" still waits a moment:
 * holding an arrow key runs through messages the user never looked at, and those stay unread.
 */
export const MARK_READ_DELAY_MS: Record<MarkReadWhen, number | null> = {
  shown: 400,
  'after-5s': 5000,
  never: null,
}

/**
 * Marks the message shown in the reading pane read, as the View menu's setting says (through the sync
 * worker, like Ctrl+Q: at once in the store, queued for the server). Once per showing: marked unread again
 * (Ctrl+U) while it is shown, it stays unread.
 *
 * Under the Unread filter it is marked when the user moves on, not while it is shown: marked read, it would
 * leave the list at once, the next unread message would move into its row and be shown, be marked read in
 * turn, and so on through every unread message. Marked on leaving, it leaves the list behind the user.
 */
export function useMarkReadWhenShown(id: number, row: MessageRow | undefined): void {
  const { markRead, filter } = useMailView()
  const link = useWorkerLink()
  const notify = useNotify()
  const marked = useRef<number | null>(null)
  const unread = row?.id === id && row.unread === 1
  const delay = MARK_READ_DELAY_MS[markRead]
  const onLeaving = filter === 'unread'

  const mark = useCallback(
    (messageId: number): void => {
      marked.current = messageId
      link
        .command({ kind: 'set-flags', messageIds: [messageId], add: ['\\Seen'], remove: [] })
        .catch((error: unknown) => notify.error('Mark as read failed', error))
    },
    [link, notify],
  )

  // Under the Unread filter: marked when the pane moves on, if it was shown long enough and was unread the
  // whole time (read before, or marked unread while shown with Ctrl+U, it is left as the user left it).
  const shown = useRef({ unread: false, wasRead: false })
  useEffect(() => {
    if (!onLeaving || delay === null) return
    shown.current = { unread: false, wasRead: false }
    const since = Date.now()
    return () => {
      const s = shown.current
      if (s.unread && !s.wasRead && Date.now() - since >= delay) mark(id)
    }
  }, [id, onLeaving, delay, mark])
  // Declared after the effect above: on a new message its reset runs first, then this records the new one.
  useEffect(() => {
    if (row?.id !== id) return
    shown.current.unread = unread
    if (!unread) shown.current.wasRead = true
  }, [id, row, unread])

  useEffect(() => {
    if (onLeaving || delay === null || !unread || marked.current === id) return
    const timer = setTimeout(() => mark(id), delay)
    return () => clearTimeout(timer)
  }, [id, unread, delay, onLeaving, mark])
}
