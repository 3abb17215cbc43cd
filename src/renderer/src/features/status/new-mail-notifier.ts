import { useEffect } from 'react'
import { liveQuery } from 'dexie'
import type { MailDb } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { readSetting, writeSetting } from '../../components/local-settings'
import { cleanDisplayText } from '../reading-pane/safety/display-text'
import { messagesAboveId, newestMessageIds } from '../../store/messages'

const ASKED_KEY = 'notification-permission-asked'
const isBool = (v: unknown): v is boolean => typeof v === 'boolean'

function senderName(row: MessageRow): string {
  const from = row.from[0]
  return from ? cleanDisplayText(from.name) || from.address : 'Unknown sender'
}

/** What a notice says: one message by sender and subject, several as a count with the first senders. */
export function newMailNotice(rows: readonly MessageRow[]): { title: string; body: string } {
  if (rows.length === 1) {
    const row = rows[0]!
    return {
      title: `New mail from ${senderName(row)}`,
      body: cleanDisplayText(row.subject) || '(no subject)',
    }
  }
  const senders = [...new Set(rows.map(senderName))]
  const named = senders.slice(0, 2).join(', ')
  return {
    title: `${rows.length} new messages`,
    body: senders.length > 2 ? `From ${named} and others` : `From ${named}`,
  }
}

function show(notice: { title: string; body: string }): void {
  if (window.harbor) {
    // Electron: main shows it with the OS's notification (src/main/notifications.ts).
    window.harbor.notify(notice)
    return
  }
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  const shown = new Notification(notice.title, { body: notice.body, tag: 'harbor-new-mail' })
  shown.onclick = () => window.focus()
}

/**
 * Under the web host the browser asks the user once: at the first click or key press in the window (browsers
 * only show the prompt for a user gesture), and never again in this profile, whatever the answer.
 */
function askOnceOnFirstGesture(): () => void {
  if (window.harbor || typeof Notification === 'undefined') return () => undefined
  if (Notification.permission !== 'default' || readSetting(ASKED_KEY, false, isBool)) return () => undefined
  const ask = (): void => {
    remove()
    writeSetting(ASKED_KEY, true)
    void Notification.requestPermission()
  }
  const remove = (): void => {
    window.removeEventListener('pointerdown', ask, true)
    window.removeEventListener('keydown', ask, true)
  }
  window.addEventListener('pointerdown', ask, true)
  window.addEventListener('keydown', ask, true)
  return remove
}

/**
 * Notifies about unread mail arriving in an Inbox while the window is open. The newest primary key is
 * watched live (one index entry); when it grows, the rows above the last one seen are read once. Mail that
 * was already stored when the window opened never notifies.
 */
export function useNewMailNotifications(db: MailDb | undefined, inboxIds: readonly string[]): void {
  // Folder ids contain NUL themselves (account NUL path): JSON keeps them apart.
  const inboxKey = JSON.stringify(inboxIds)
  useEffect(() => askOnceOnFirstGesture(), [])
  useEffect(() => {
    if (!db) return
    const inboxes = new Set(JSON.parse(inboxKey) as string[])
    let lastSeen: number | null = null
    // Old mail found later (a first sync of a new account, a folder's backlog) is not news.
    const recentFrom = Date.now() - 2 * 86_400_000
    let busy = Promise.resolve()
    const subscription = liveQuery(() => newestMessageIds(db, 1)).subscribe({
      next: ([newest]) => {
        const top = newest ?? 0
        busy = busy.then(async () => {
          if (lastSeen === null || top <= lastSeen) {
            lastSeen = Math.max(lastSeen ?? 0, top)
            return
          }
          const from = lastSeen
          lastSeen = top
          const rows = await messagesAboveId(db, from, 2000)
          const fresh = rows.filter((r) => r.unread === 1 && inboxes.has(r.folderId) && r.date >= recentFrom)
          if (fresh.length > 0) show(newMailNotice(fresh))
        })
      },
    })
    return () => subscription.unsubscribe()
  }, [db, inboxKey])
}
