import type { MailErrorData } from '../../../../shared/errors'

/** What the status bar shows per account; kept in syncState under `statusKey(accountId)`. */
export interface AccountSyncStatus {
  state: 'idle' | 'syncing' | 'error'
  lastSuccessAt: number | null
  error: MailErrorData | null
}

export const statusKey = (accountId: string): string => `account-status:${accountId}`

/** Something the server refused that was undone in the cache; the UI shows these and clears them. */
export interface AccountNotice {
  at: number
  message: string
}

export const noticeKey = (accountId: string): string => `account-notices:${accountId}`
