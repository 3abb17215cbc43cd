import { useEffect, useRef } from 'react'
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
 */
export function useMarkReadWhenShown(id: number, row: MessageRow | undefined): void {
  const { markRead } = useMailView()
  const link = useWorkerLink()
  const notify = useNotify()
  const marked = useRef<number | null>(null)
  const unread = row?.id === id && row.unread === 1
  useEffect(() => {
    const delay = MARK_READ_DELAY_MS[markRead]
    if (!unread || delay === null || marked.current === id) return
    const timer = setTimeout(() => {
      marked.current = id
      link
        .command({ kind: 'set-flags', messageIds: [id], add: ['\\Seen'], remove: [] })
        .catch((error: unknown) => notify.error('Mark as read failed', error))
    }, delay)
    return () => clearTimeout(timer)
  }, [id, unread, markRead, link, notify])
}
