import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../../store/mail-db'
import { statusKey, type AccountSyncStatus } from '../../sync/engine/account-status'

/**
 * What the status bar shows per account, read from the sync engine's status rows
 * (`AccountSyncStatus` under `account-status:<accountId>` in syncState; the UI only reads, and anything
 * unreadable is ignored).
 */
export interface SyncStatusView {
  phase: 'idle' | 'syncing' | 'error'
  /** While syncing: what is being done, e.g. "Inbox: headers". */
  detail?: string
  done?: number
  total?: number
  /** ms since the epoch of the last complete sync. */
  lastSyncAt?: number
  /** With phase 'error': core's message for the user, and its code. */
  error?: string
  errorCode?: string
}

export const SYNC_STATUS_PREFIX = statusKey('')

export function parseSyncStatus(value: unknown): SyncStatusView | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Partial<AccountSyncStatus>
  if (v.state !== 'idle' && v.state !== 'syncing' && v.state !== 'error') return null
  return {
    phase: v.state,
    lastSyncAt: typeof v.lastSuccessAt === 'number' ? v.lastSuccessAt : undefined,
    error: typeof v.error?.message === 'string' ? v.error.message : undefined,
    errorCode: typeof v.error?.code === 'string' ? v.error.code : undefined,
  }
}

/** Sync state per account id; accounts without a row have not been synced yet. */
export function useSyncStatuses(db: MailDb | undefined): Map<string, SyncStatusView> | undefined {
  return useLiveQuery(async () => {
    if (!db) return undefined
    const rows = await db.syncState.where('key').startsWith(SYNC_STATUS_PREFIX).toArray()
    const map = new Map<string, SyncStatusView>()
    for (const row of rows) {
      const status = parseSyncStatus(row.value)
      if (status) map.set(row.key.slice(SYNC_STATUS_PREFIX.length), status)
    }
    return map
  }, [db])
}

/** `storeFull`: the last sync could not write the store, so a "syncing" row there is stale (see StoreNoticeBars). */
export function describeSync(
  status: SyncStatusView | undefined,
  storeFull = false,
  now = Date.now(),
): string {
  if (storeFull && status?.phase !== 'idle') return 'Stopped: no room to save mail'
  if (!status) return 'Not synced yet'
  if (status.phase === 'syncing') {
    const progress = status.total ? ` ${status.done ?? 0}/${status.total}` : ''
    return `Syncing${status.detail ? ` ${status.detail}` : ''}${progress}…`
  }
  // The whole story is in the store-reset notice above the panes; one line here points to it.
  if (status.phase === 'error' && status.errorCode === 'STORE_RESET') {
    return 'Local mail store was reset: nothing is deleted from the server until you accept it'
  }
  if (status.phase === 'error') return status.error ?? 'Sync failed'
  if (status.lastSyncAt) {
    const minutes = Math.round((now - status.lastSyncAt) / 60_000)
    return minutes < 1 ? 'Up to date' : `Synced ${minutes} min ago`
  }
  return 'Up to date'
}
