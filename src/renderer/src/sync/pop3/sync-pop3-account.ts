/**
 * One check of a POP3 account, in the order that makes a crash at any point harmless:
 *
 *   1. open a session, list the maildrop (UIDL, or header hashes without UIDL: see header-generations.ts);
 *   2. RETR each message the ledger does not know (newest first), in batches;
 *   3. commit each batch — bytes + message row + ledger row — in ONE strict-durability transaction; only
 *      bytes that match core's sha256 (verify-downloaded.ts): a damaged message gets no ledger row;
 *   4. only after every commit: DELE what the account's policy says (fully stored messages only);
 *   5. QUIT, which is when the server deletes (RFC 1939 §6); then record deletedFromServerAt.
 *
 * Killed before 3 completes: nothing was stored and nothing deleted; the message comes again next time.
 * Killed between 3 and 5: stored and still on the server; the ledger stops a second download and the
 * next check sends the DELE again. Killed after QUIT: the ledger row without deletedFromServerAt is noticed
 * as gone from the server. Core drops a session without QUIT when our connection dies, so DELE marks of a
 * killed worker are forgotten by the server.
 *
 * All of that trusts the store to keep what it committed. It does not always (Chromium's IndexedDB came
 * back empty after a browser SIGKILL in the kill test), so core also keeps its own durable copy of every
 * message before it sends DELE, and DELEs only for the store identity it trusts; at open it names the copies
 * this store has not confirmed, which are restored here before anything else (src/core/pop3/NO-LOSS.md).
 */
import { MailError } from '../../../../shared/errors'
import type { AccountConfig } from '../../../../shared/model/account'
import type { Pop3ListingEntry } from '../../../../shared/contract/pop3'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, Pop3LedgerRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { closeThreadCache, readThreadCache, type FolderThreadCache } from '../../store/derived-rows'
import { withAccountLock } from './account-lock'
import { startCheckTimeline } from './check-timeline'
import { retrieveFull, retrieveHeaders } from './fetch-messages'
import { resolveHeaderGenerations } from './header-generations'
import { ensureLocalFolders } from './local-folders'
import { newMailKey, pop3ProgressKey, type NewMailNotice, type Pop3Progress } from './pop3-status'
import { planDeletions } from './retention'
import { ledgerIds } from './ledger-ids'
import { withSizes, type ListedEntry } from './listing-sizes'
import { restoreFromSpool, type StoreStanding } from './restore-from-spool'
import {
  commitDownloaded,
  prepareDownloaded,
  type DownloadedMessage,
  type PreparedBatch,
} from './store-downloaded'
import { readStoreIdentity, storeIdentity } from '../../store/store-identity'
import { accountLedger, changeLedgerRows, ledgerRows } from '../../store/pop3-ledger'
import { noteStoreReset } from './store-reset-record'
import { damagedDownloadError } from './verify-downloaded'

export type Pop3Account = Extract<AccountConfig, { kind: 'pop3' }>

export interface Pop3CheckReport {
  listed: number
  downloaded: number
  headersOnly: number
  deletedFromServer: number
  /** Messages restored from core's safety copy because this store did not have them. */
  restored: number
  /** 'reset': this store is not the one core trusts for the account; nothing was deleted from the server. */
  standing: StoreStanding
}

/**
 * A batch ends at this many messages or bytes: bounds memory (at most three batches held: one being
 * received, one waiting to commit, one committing) and commit size. The first batch is small so the newest
 * mail shows soon; later ones are larger because each strict commit costs a fixed flush in Chromium's
 * storage: 1,000 messages (35 KB) took a median 9.6 s with 100 / 4 MB and 7.0 s with 250 / 10 MB (same
 * machine and load, bench pop3-store). e2e/pop3-no-loss.e2e.ts (30 rounds) passed twice with these sizes.
 */
const FIRST_BATCH = { messages: 100, bytes: 4 * 1024 * 1024 }
const LATER_BATCH = { messages: 250, bytes: 10 * 1024 * 1024 }
const PROGRESS_EVERY_MS = 250
/** A download keeps the Inbox's thread rows in memory when it brings at least 1/4 of the messages there. */
const THREAD_CACHE_SHARE = 4

function batches(entries: readonly Pop3ListingEntry[]): Pop3ListingEntry[][] {
  const out: Pop3ListingEntry[][] = []
  let current: Pop3ListingEntry[] = []
  let bytes = 0
  for (const e of entries) {
    const limit = out.length === 0 ? FIRST_BATCH : LATER_BATCH
    if (current.length > 0 && (current.length >= limit.messages || bytes + e.size > limit.bytes)) {
      out.push(current)
      current = []
      bytes = 0
    }
    current.push(e)
    bytes += e.size
  }
  if (current.length > 0) out.push(current)
  return out
}

/** Checks one POP3 account; see the file comment for why the order cannot lose or duplicate mail. */
export function syncPop3Account(
  store: MailStore,
  core: CoreApi,
  account: Pop3Account,
  signal?: AbortSignal,
): Promise<Pop3CheckReport> {
  return withAccountLock(account.id, () => check(store, core, account, signal))
}

async function check(
  store: MailStore,
  core: CoreApi,
  account: Pop3Account,
  signal: AbortSignal | undefined,
): Promise<Pop3CheckReport> {
  const accountId = account.id
  const opts = signal ? { signal } : {}
  const timeline = startCheckTimeline()
  const progress: Pop3Progress = {
    phase: 'connecting',
    done: 0,
    total: 0,
    bytesDone: 0,
    bytesTotal: 0,
    startedAt: Date.now(),
    updatedAt: Date.now(),
  }
  let lastProgress = 0
  // Progress is for the eye only: the check does not wait for each write (a read-write transaction can
  // queue behind the page's reads for 100+ ms), but the writes stay in order and the last is awaited.
  let reporting: Promise<unknown> = Promise.resolve()
  const report = (force = false): void => {
    if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return
    lastProgress = Date.now()
    progress.updatedAt = lastProgress
    const value = { ...progress }
    reporting = reporting
      .then(() => store.fast.syncState.put({ key: pop3ProgressKey(accountId), value }))
      .catch((error: unknown) => console.warn('[pop3] progress not recorded', error))
  }
  // The reads of syncState come before the first progress write: a read waits for a write queued before
  // it, and that write waits for the page's reads (seconds, with the message list open).
  const storeId = await storeIdentity(store.durable)
  timeline.mark('store identity read')
  // The ledger's ids (counted, or read the first time: ~0.15 s for 10k under load) while core logs in: only
  // this check, under the account lock, adds ledger rows.
  const ledger = ledgerIds(store.fast, storeId, accountId).then((ids) => {
    timeline.mark('ledger ids read')
    return ids
  })
  // Awaited later; marked handled so a failed login is not reported twice.
  ledger.catch(() => undefined)
  report(true)
  timeline.mark('progress queued')
  // Core logs in meanwhile: the local folders are needed only once there is something to store.
  const opening = core.call('pop3.open', { accountId, store: storeId }, opts)
  opening.catch(() => undefined)
  let inbox: FolderRow
  try {
    inbox = await ensureLocalFolders(store.durable, accountId)
    timeline.mark('local folders read')
  } catch (error) {
    void opening.then(({ sessionId }) => core.call('pop3.close', { sessionId })).catch(() => undefined)
    throw error
  }
  const { sessionId, spool } = await opening
  timeline.mark('pop3.open answered')
  let quit = false
  // Set for the download of many messages: the Inbox's thread rows, so each commit need not read them.
  let threads: FolderThreadCache | undefined
  try {
    // Compared in memory: a check with nothing new must not load 10k ledger rows.
    const have = await ledger
    timeline.mark('ledger ids awaited')
    const stored: number[] = []
    // Arrived with bytes that were not the ones core hashed: not stored, so never DELE'd; reported at the end.
    const damaged: string[] = []
    const commit = async (batch: DownloadedMessage[], prepared?: PreparedBatch): Promise<string[]> => {
      const done = await commitDownloaded(store, accountId, inbox.id, batch, prepared, threads)
      stored.push(...done.ids)
      damaged.push(...done.damaged)
      // In the ledger now (or already was, if a racing pass stored it): retention must see it.
      const left = new Set(done.damaged)
      for (const m of batch) if (!left.has(m.id)) have.add(m.id)
      progress.done += batch.length
      progress.bytesDone += batch.reduce((sum, m) => sum + (m.full ? m.size : 0), 0)
      report()
      return done.damaged
    }
    const restore = await restoreFromSpool(
      store,
      core,
      accountId,
      sessionId,
      spool.unconfirmed,
      commit,
      spool.standing,
      signal,
    )
    // Recorded before anything else can fail: the user must learn of a reset even if this check stops.
    // A reset core trusted at once (nothing ever left the server) comes with its resetAt too.
    const resetRecord =
      spool.standing === 'reset' || spool.resetAt !== null
        ? await noteStoreReset(
            store,
            accountId,
            {
              resetAt: spool.resetAt ?? Date.now(),
              restored: restore.restored,
              dropped: spool.dropped,
              trusted: restore.standing === 'known',
            },
            await identityFacts(store),
          )
        : null
    progress.phase = 'listing'
    progress.done = 0
    progress.bytesDone = 0
    report(true)
    // Ids only where the server has UIDL: the sizes (LIST) are asked for the new messages alone, so a check
    // that finds nothing new sends no LIST (0.13 s of Dovecot's time at 10,000 messages).
    timeline.mark('restore checked')
    const listing = await core.call('pop3.list', { sessionId, sizes: false }, opts)
    timeline.mark('pop3.list answered')
    // After the restore: header-hash generations must see every ledger row the store holds.
    const messages: ListedEntry[] =
      listing.idKind === 'header-hash'
        ? resolveHeaderGenerations(
            await withSizes(core, sessionId, listing.messages, opts),
            await accountLedger(store.fast, accountId),
          )
        : listing.messages
    // Newest first: message numbers follow arrival order, and recent mail is what the user waits for.
    const fresh = (
      await withSizes(
        core,
        sessionId,
        messages.filter((m) => !have.has(m.id)),
        opts,
      )
    ).sort((a, b) => b.n - a.n)
    const limit = account.maxFullDownloadBytes
    const full = fresh.filter((m) => limit === null || m.size <= limit)
    const big = fresh.filter((m) => limit !== null && m.size > limit)
    timeline.mark('new ones picked')
    progress.phase = 'downloading'
    progress.total = fresh.length
    progress.bytesTotal = full.reduce((sum, m) => sum + m.size, 0)
    report(true)

    // Each message's commit would read its thread's row otherwise (a get per message). Reading the Inbox's
    // thread rows once (at most one per message there) pays off when the download brings a good share of
    // what the Inbox will hold; a few new messages into a big Inbox read only their own.
    if (fresh.length > 0 && fresh.length * THREAD_CACHE_SHARE >= inbox.total) {
      threads = await readThreadCache(store.durable.threadDays, inbox.id)
    }
    let headersOnly = 0
    if (big.length > 0) {
      const received: DownloadedMessage[] = []
      await retrieveHeaders(core, sessionId, big, (m) => received.push(m), signal)
      await commit(received)
      headersOnly = received.length
    }
    // Receiving never waits for the store: batch k+1 is asked for as soon as batch k is in, and is on the
    // wire while batch k is parsed, hashed and committed (timed per batch, the commits always finished
    // before the next batch was in: the receiving sets the pace, and a request asked only after parsing
    // left the connection idle for that long, ~25 ms a batch). One call at a time still: POP3 answers in
    // order. At most three batches are held: one received, one waiting for the commit before it, one
    // committing.
    const receive = (entries: readonly Pop3ListingEntry[]) => {
      const received: DownloadedMessage[] = []
      const done = retrieveFull(core, sessionId, entries, (m) => received.push(m), signal)
      // Awaited in its round; marked handled now so a failure is not reported as unhandled meanwhile.
      done.catch(() => undefined)
      return { received, done }
    }
    const all = batches(full)
    let next = all.length > 0 ? receive(all[0]!) : undefined
    let committing: Promise<unknown> = Promise.resolve()
    for (let i = 0; next !== undefined; i++) {
      const { received, done } = next
      try {
        await done
      } catch (error) {
        // Keep what arrived whole before the failure, so a flaky link still makes progress.
        await committing
        await commit(received)
        throw error
      }
      next = i + 1 < all.length ? receive(all[i + 1]!) : undefined
      const prepared = prepareDownloaded(accountId, inbox.id, received)
      await committing
      committing = commit(received, prepared)
      committing.catch(() => undefined)
    }
    await committing
    if (threads) closeThreadCache(threads)
    timeline.mark('downloaded')

    progress.phase = 'deleting'
    report(true)
    const deleted = await applyRetention(
      store,
      core,
      account,
      sessionId,
      messages,
      have,
      restore.standing === 'known',
      opts,
    )
    quit = true
    timeline.mark('retention + quit')
    progress.phase = 'done'
    report(true)
    if (stored.length > 0) {
      const notice: NewMailNotice = {
        accountId,
        count: stored.length,
        messageIds: stored.slice(0, 50),
        at: Date.now(),
      }
      await store.fast.syncState.put({ key: newMailKey(accountId), value: notice })
    }
    if (restore.standing !== 'known') {
      throw storeResetError(spool.dropped, resetRecord?.restored ?? restore.restored)
    }
    if (damaged.length > 0) throw damagedDownloadError(damaged)
    return {
      listed: messages.length,
      downloaded: stored.length - restore.restored,
      headersOnly,
      deletedFromServer: deleted,
      restored: restore.restored,
      standing: restore.standing,
    }
  } finally {
    if (threads) closeThreadCache(threads)
    // Any way out but a completed QUIT drops the session without QUIT: no DELE mark takes effect.
    if (!quit) await core.call('pop3.close', { sessionId }).catch(() => undefined)
    await reporting
    timeline.mark('progress written')
  }
}

async function identityFacts(
  store: MailStore,
): Promise<{ createdAt: number | null; dataLoss: string | null }> {
  const identity = await readStoreIdentity(store.durable)
  return { createdAt: identity?.createdAt ?? null, dataLoss: identity?.dataLoss ?? null }
}

/** What the user sees when core does not trust this store: what happened, what was kept, what to expect. */
function storeResetError(dropped: number, restored: number): MailError {
  const lost =
    dropped > 0
      ? ` Up to ${dropped} older messages that had already been removed from the server were only in ` +
        'the old store and could not be restored.'
      : ''
  return new MailError(
    'STORE_RESET',
    `This computer's local mail store for this account was reset or replaced. ${restored} messages ` +
      `removed from the server earlier were restored from the app's safety copy.${lost} Until this is ` +
      'resolved nothing is deleted from the server; new mail is still downloaded. Accept this store to ' +
      'resume.',
  )
}

/** Steps 4 and 5: DELE per policy, QUIT, then record what the server removed. Returns how many. */
async function applyRetention(
  store: MailStore,
  core: CoreApi,
  account: Pop3Account,
  sessionId: string,
  listing: readonly ListedEntry[],
  ledgerIds: ReadonlySet<string>,
  /** False while core does not trust this store: nothing may be deleted from the server. */
  mayDelete: boolean,
  opts: { signal?: AbortSignal },
): Promise<number> {
  const db = store.durable
  const listed = new Map(listing.map((m) => [m.id, m.n]))
  // Only ledger rows that can change something are read: those the server no longer lists (to record
  // that they are gone) and, unless the policy leaves everything on the server, those it still lists (DELE
  // candidates). With "leave" and nothing gone, a check reads no ledger row at all.
  const wanted: string[] = []
  for (const id of ledgerIds) {
    if (!listed.has(id) || account.retention.kind !== 'leave') wanted.push(id)
  }
  // Read after every commit above has resolved: only durably stored rows can be in this plan.
  const ledger =
    wanted.length === 0
      ? []
      : (await ledgerRows(db, account.id, wanted)).filter((row): row is Pop3LedgerRow => row !== undefined)
  const plan = mayDelete
    ? planDeletions(account.retention, ledger, listed, Date.now())
    : { ...planDeletions({ kind: 'leave' }, ledger, listed, Date.now()) }
  if (plan.dele.length > 0) {
    // Deleted for good by the user: no copy to keep. Everything else gets core's safety copy before DELE.
    const discardedIds = new Set(ledger.filter((r) => r.deletedLocallyAt !== null).map((r) => r.uidl))
    const keep = plan.dele.map((n, i) => ({ n, id: plan.ids[i]! })).filter((d) => !discardedIds.has(d.id))
    const discarded = plan.dele.filter((_, i) => discardedIds.has(plan.ids[i]!))
    await core.call(
      'pop3.dele',
      { sessionId, ns: keep.map((d) => d.n), ids: keep.map((d) => d.id), discarded },
      opts,
    )
  }
  // RFC 1939 §6: a -ERR to QUIT rejects here and nothing is marked; the next check looks again.
  await core.call('pop3.quit', { sessionId }, opts)
  const now = Date.now()
  const gone = [...plan.ids, ...plan.goneFromServer]
  if (gone.length > 0) {
    await db.transaction('rw', db.pop3LedgerBatches, () =>
      changeLedgerRows(db, account.id, gone, { deletedFromServerAt: now }),
    )
  }
  return plan.ids.length
}
