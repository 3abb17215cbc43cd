import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../../store/mail-db'

/**
 * What the status bar shows per account. The sync engine publishes it as a syncState row
 * `{ key: 'status:<accountId>', value: SyncStatusView }` (the UI only reads; anything unreadable is ignored).
 */
export interface SyncStatusView {
  phase: 'idle' | 'syncing' | 'error'
  /** While syncing: what is being done, e.g. "Inbox: headers". */
  detail?: string
  done?: number
  total?: number
  /** ms since the epoch of the last complete sync. */
  lastSyncAt?: number
  /** With phase 'error': core's message for the user. */
  error?: string
}

export const SYNC_STATUS_PREFIX = 'status:'

export function parseSyncStatus(value: unknown): SyncStatusView | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (v['phase'] !== 'idle' && v['phase'] !== 'syncing' && v['phase'] !== 'error') return null
  const num = (k: string): number | undefined => (typeof v[k] === 'number' ? v[k] : undefined)
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined)
  return {
    phase: v['phase'],
    detail: str('detail'),
    done: num('done'),
    total: num('total'),
    lastSyncAt: num('lastSyncAt'),
    error: str('error'),
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

export function describeSync(status: SyncStatusView | undefined, now = Date.now()): string {
  if (!status) return 'Not synced yet'
  if (status.phase === 'syncing') {
    const progress = status.total ? ` ${status.done ?? 0}/${status.total}` : ''
    return `Syncing${status.detail ? ` ${status.detail}` : ''}${progress}…`
  }
  if (status.phase === 'error') return status.error ?? 'Sync failed'
  if (status.lastSyncAt) {
    const minutes = Math.round((now - status.lastSyncAt) / 60_000)
    return minutes < 1 ? 'Up to date' : `Synced ${minutes} min ago`
  }
  return 'Up to date'
}
