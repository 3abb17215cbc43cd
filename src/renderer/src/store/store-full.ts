import { MailError } from '../../../shared/errors'

/**
 * Whether a store write failed because there is no room: IndexedDB's QuotaExceededError (the disk is full,
 * or the browser's share of it is used up). Dexie passes it on as is, or wraps it (an aborted transaction's
 * `inner`, a bulk write's `failures`), so the whole chain is searched.
 */
export function isStoreFull(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown }
  if (e.name === 'QuotaExceededError') return true
  const failures = Array.isArray(e.failures) ? (e.failures as unknown[]) : []
  return [e.inner, e.cause, ...failures].some((inner) => isStoreFull(inner, depth + 1))
}

/** What the user reads when the store is full: what happened, that nothing was lost, what to do. */
export function storeFullError(detail?: unknown): MailError {
  return new MailError(
    'DISK_FULL',
    'There is no room left on this computer to save mail: the disk, or the space the system allows ' +
      'Harbor Mail, is full. Nothing was lost: what could not be saved stays on the server, or where it ' +
      'was. Free some disk space, then try again.',
    detail === undefined ? undefined : String(detail),
  )
}
