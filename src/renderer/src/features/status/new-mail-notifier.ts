import { useEffect } from 'react'
import type { MailDb } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { readSetting, writeSetting } from '../../components/local-settings'
import { cleanDisplayText } from '../reading-pane/safety/display-text'
import { highestGivenId, readFolderByDate } from '../../store/messages'
import { throttledLiveQuery } from '../../store/queries/use-coalesced-live-query'

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

/** How often, at most, the notifier looks for new mail while the store changes. */
const NOTIFY_CHECK_MS = 1000
/** Mail dated earlier than this before now is not news (a first sync of a new account, a folder's backlog). */
const RECENT_MS = 2 * 86_400_000

/**
 * Rows stored after id `seen` that a notice is about: unread, in an Inbox, dated within RECENT_MS. Only the
 * newest chunks of each Inbox are read (rows are kept in date order), never the rows a bulk download stores
 * elsewhere in the folder: reading every row above `seen` after each commit cost a 10,000-message POP3
 * download most of the page's reads.
 */
async function freshInInboxes(db: MailDb, inboxes: readonly string[], seen: number): Promise<MessageRow[]> {
  const from = Date.now() - RECENT_MS
  const parts = await Promise.all(inboxes.map((id) => readFolderByDate(db, id, { filter: 'unread', from })))
  return parts.flat().filter((r) => r.id! > seen)
}

/**
 * Notifies about unread mail arriving in an Inbox while the window is open. The highest id given so far is
 * watched (one id-run record), at most once per NOTIFY_CHECK_MS while the store changes; when it grows, the
 * Inboxes' recent unread rows above the last id seen are read. Mail that was already stored when the window
 * opened never notifies.
 */
export function useNewMailNotifications(db: MailDb | undefined, inboxIds: readonly string[]): void {
  // Folder ids contain NUL themselves (account NUL path): JSON keeps them apart.
  const inboxKey = JSON.stringify(inboxIds)
  useEffect(() => askOnceOnFirstGesture(), [])
  useEffect(() => {
    if (!db) return
    const inboxes = JSON.parse(inboxKey) as string[]
    let seen: number | null = null
    const check = async (): Promise<MessageRow[]> => {
      const top = await highestGivenId(db)
      if (seen === null || top <= seen) {
        seen = Math.max(seen ?? 0, top)
        return []
      }
      const fresh = await freshInInboxes(db, inboxes, seen)
      // A row stored after `top` was read is in `fresh` already: never again.
      seen = fresh.reduce((high, r) => Math.max(high, r.id!), top)
      return fresh
    }
    const subscription = throttledLiveQuery(check, NOTIFY_CHECK_MS).subscribe((fresh) => {
      if (fresh.length > 0) show(newMailNotice(fresh))
    })
    return () => subscription.unsubscribe()
  }, [db, inboxKey])
}
