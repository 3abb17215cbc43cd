import type { MailErrorData } from '../../../../shared/errors'

/** What the status bar shows per account; kept in syncState under `statusKey(accountId)`. */
export interface AccountSyncStatus {
  state: 'idle' | 'syncing' | 'error'
  lastSuccessAt: number | null
  error: MailErrorData | null
}

export const statusKey = (accountId: string): string => `account-status:${accountId}`
