/**
 * The record of a store reset, kept in the (new) store so the user sees that it happened, when, what came
 * back from core's safety copy and what could not, and can accept the new store when core will not trust it
 * on its own (src/core/pop3/NO-LOSS.md, "Resolving a reset"). Written by the sync worker; the UI only reads.
 */
import type { MailStore } from '../../store/mail-db'
import { storeIdentity } from '../../store/store-identity'
import type { CoreApi } from '../engine/core-api'

export interface StoreResetRecord {
  accountId: string
  /** When core first saw this store as a different one than it trusted (the reset, as core knows it). */
  resetAt: number
  /** When this store was created, and what Chromium said about the data it lost then (if it said). */
  storeCreatedAt: number | null
  dataLoss: string | null
  /** Messages removed from the server that were put back from core's safety copy, over every check. */
  restored: number
  /** Copies core had dropped after their grace period: mail the old store alone held, not restorable. */
  dropped: number
  /**
   * needs-user: core does not delete from the server for this store until the user accepts it.
   * restored: every copy came back and core trusts the store again by itself. accepted: the user did.
   */
  outcome: 'needs-user' | 'restored' | 'accepted'
  resolvedAt: number | null
  /** The user closed the notice of a resolved reset (a reset that needs the user cannot be closed). */
  dismissedAt: number | null
}

export const STORE_RESET_PREFIX = 'store-reset:'
export const storeResetKey = (accountId: string): string => `${STORE_RESET_PREFIX}${accountId}`

export function isStoreResetRecord(value: unknown): value is StoreResetRecord {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<StoreResetRecord>
  return (
    typeof v.accountId === 'string' &&
    typeof v.resetAt === 'number' &&
    typeof v.restored === 'number' &&
    typeof v.dropped === 'number' &&
    (v.outcome === 'needs-user' || v.outcome === 'restored' || v.outcome === 'accepted')
  )
}

async function read(store: MailStore, accountId: string): Promise<StoreResetRecord | null> {
  const value = (await store.durable.syncState.get(storeResetKey(accountId)))?.value
  return isStoreResetRecord(value) ? value : null
}

/**
 * A check found core's standing "reset" for this store: adds what it restored to the record of this reset
 * (a new reset, seen by its `resetAt`, starts a new record) and notes whether core trusts the store now.
 */
export async function noteStoreReset(
  store: MailStore,
  accountId: string,
  seen: { resetAt: number; restored: number; dropped: number; trusted: boolean },
  identity: { createdAt: number | null; dataLoss: string | null },
): Promise<StoreResetRecord> {
  const previous = await read(store, accountId)
  const same = previous !== null && previous.resetAt === seen.resetAt
  const now = Date.now()
  const record: StoreResetRecord = {
    accountId,
    resetAt: seen.resetAt,
    storeCreatedAt: identity.createdAt,
    dataLoss: identity.dataLoss,
    restored: (same ? previous.restored : 0) + seen.restored,
    dropped: seen.dropped,
    outcome: seen.trusted ? 'restored' : 'needs-user',
    resolvedAt: seen.trusted ? now : null,
    dismissedAt: null,
  }
  await store.durable.syncState.put({ key: storeResetKey(accountId), value: record })
  // For the log (the browser console, kept by the web host's test runs and by bug reports).
  console.warn(
    `[pop3] local store reset noticed for account ${accountId}: reset at ${new Date(seen.resetAt).toISOString()}, ` +
      `${record.restored} restored from the safety copy, ${seen.dropped} not restorable, ` +
      (seen.trusted ? 'trusted again' : 'waiting for the user to accept it'),
  )
  return record
}

/**
 * The user accepts this store after reading what could not be restored: core resumes DELE for it. The
 * record stays (as accepted) so the user can still see that the reset happened.
 */
export async function acceptResetStore(store: MailStore, core: CoreApi, accountId: string): Promise<void> {
  const id = await storeIdentity(store.durable)
  await core.call('pop3.acceptStore', { accountId, store: id })
  const record = await read(store, accountId)
  if (record) {
    await store.durable.syncState.put({
      key: storeResetKey(accountId),
      value: { ...record, outcome: 'accepted', resolvedAt: Date.now() } satisfies StoreResetRecord,
    })
  }
  console.warn(`[pop3] the user accepted the reset local store for account ${accountId}`)
}

/** Closes the notice of a resolved reset. One that still needs the user stays. */
export async function dismissStoreReset(store: MailStore, accountId: string): Promise<void> {
  const record = await read(store, accountId)
  if (!record || record.outcome === 'needs-user') return
  await store.durable.syncState.put({
    key: storeResetKey(accountId),
    value: { ...record, dismissedAt: Date.now() } satisfies StoreResetRecord,
  })
}
