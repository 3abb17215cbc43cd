/**
 * What a POP3 check tells the UI, through the store (syncState) so every window sees it with
 * `useLiveQuery`: progress while it runs, and a notice when new mail arrived (the new-mail hook).
 */
export interface Pop3Progress {
  phase: 'connecting' | 'listing' | 'downloading' | 'deleting' | 'done'
  /** Messages stored in this check so far, of `total` new ones. */
  done: number
  total: number
  bytesDone: number
  bytesTotal: number
  startedAt: number
  updatedAt: number
}

/** The last check that stored new mail. The UI notifies when `at` changes. */
export interface NewMailNotice {
  accountId: string
  count: number
  /** Local ids of the newest messages of that check (at most 50), newest first. */
  messageIds: number[]
  at: number
}

export const pop3ProgressKey = (accountId: string): string => `pop3-progress:${accountId}`
export const newMailKey = (accountId: string): string => `new-mail:${accountId}`
