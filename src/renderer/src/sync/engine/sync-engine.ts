import { MailError, type MailErrorData } from '../../../../shared/errors'
import type { AccountConfig } from '../../../../shared/model/account'
import { hasBody } from '../../store/bodies/body-store'
import type { MailStore } from '../../store/mail-db'
import type { AccountRow } from '../../store/rows'
import { isStoreFull } from '../../store/store-full'
import { replayImapActions } from '../actions/replay-imap-actions'
import {
  runImapCommand,
  runImapFolderCommand,
  type FolderCommand,
  type MessageCommand,
} from '../actions/run-imap-command'
import { fetchBodies, readBodiesComplete } from '../imap/fetch-bodies'
import { passMark, startPassTimeline } from '../imap/pass-timeline'
import { syncImapAccount } from '../imap/sync-imap-account'
import { watchInbox, type InboxWatch } from '../imap/watch-inbox'
import { forgetLedgerIds } from '../pop3/ledger-ids'
import { syncPop3Account } from '../pop3/sync-pop3-account'
import { storeResetKey } from '../pop3/store-reset-record'
import { noticeKey, statusKey, type AccountNotice, type AccountSyncStatus } from './account-status'
import type { CoreApi } from './core-api'
import { afterSync, IdleWork } from './idle-work'
import { deleteAccountLedger } from '../../store/pop3-ledger'
import { errorDataOf } from './error-data'
import {
  accountMessageIds,
  deleteMessages,
  getMessage,
  getMessages,
  messageTables,
} from '../../store/messages'

/** The pass over every account that catches what IDLE cannot see (other folders, POP3). */
const DEFAULT_PERIOD_MS = 5 * 60_000

/** Errors a fresh connection may cure: the pass is retried a few times before the account shows an error. */
const RETRYABLE = new Set(['NETWORK', 'TIMEOUT', 'TRANSPORT_CLOSED'])
const RETRY_DELAYS_MS = [250, 1_500]
/** A pass shows as "syncing" once it has run this long; a shorter one only updates the last sync time. */
const SHOW_SYNCING_AFTER_MS = 200

function accountRow(account: AccountConfig, position: number): AccountRow {
  return { id: account.id, kind: account.kind, name: account.name, email: account.email, position }
}

/**
 * Keeps the store in step with core's accounts and their servers. Runs only in the writer worker. Each
 * account syncs on its own: one failing or slow account never holds up another, and a second request for an
 * account that is already syncing joins the running pass instead of starting another.
 */
export class SyncEngine {
  private readonly running = new Map<string, Promise<void>>()
  /** The last pass failed for lack of room (the window was told; the next good pass tells it again). */
  private storeFull = false
  private readonly again = new Set<string>()
  private readonly watches = new Map<string, InboxWatch>()
  /** Core's account settings as of the last mirror (the store keeps only what the UI shows). */
  private readonly configs = new Map<string, AccountConfig>()
  /** The account rows as this engine last wrote them (JSON), to skip writing the same again. */
  private mirrored: { json: string; connection: ReturnType<MailStore['fast']['backendDB']> } | undefined
  private readonly disposers: { dispose(): void }[] = []
  private stopped = false
  /** Snippets and search words are filled in between passes, never while one runs (see afterSync). */
  private readonly idle: IdleWork

  constructor(
    private readonly store: MailStore,
    private readonly core: CoreApi,
    /** IDLE on every IMAP INBOX; tests that drive passes by hand turn it off. */
    private readonly watchInboxes = true,
    /**
     * Told when a pass could not write the store for lack of room (with the error), and when a pass wrote it
     * again (null). A full store may refuse even the account's status row, so this is the way the window
     * hears of it.
     */
    private readonly onStoreFull: (error: MailErrorData | null) => void = () => undefined,
    /** A pass shows as "syncing" once it has run this long (tests choose their own). */
    private readonly showSyncingAfterMs = SHOW_SYNCING_AFTER_MS,
  ) {
    this.idle = new IdleWork(
      (signal) => afterSync(store, core, signal),
      () => this.running.size > 0,
    )
  }

  /**
   * Mirrors the account list, syncs everything once, then keeps up: IDLE on each IMAP INBOX, a periodic
   * pass over everything (other folders, POP3 checks), and account changes as they happen.
   */
  start(periodMs = DEFAULT_PERIOD_MS): Promise<void> {
    const kickAll = (): void => {
      this.syncAll().catch((error: unknown) => {
        if (!this.stopped) console.error('sync of all accounts failed', error)
      })
    }
    this.disposers.push(this.core.on('accounts.changed', kickAll))
    const timer = setInterval(kickAll, periodMs)
    this.disposers.push({ dispose: () => clearInterval(timer) })
    // The background work (snippets, search words, the orphan sweep) starts after the first passes (syncAll
    // kicks it once none is running, also when there was none to run), not with them: at the worker's start
    // it competed with the window's first reads of the store (the first list rows came ~200 ms later) only
    // to be paused by the first pass a moment after.
    return this.syncAll()
  }

  /**
   * No new pass starts; resolves once the passes already running have ended, so whoever closes the store
   * after this cannot pull it from under a pass that is still writing.
   */
  async stop(): Promise<void> {
    this.stopped = true
    for (const d of this.disposers.splice(0)) d.dispose()
    for (const w of this.watches.values()) w.stop()
    this.watches.clear()
    this.again.clear()
    await Promise.allSettled([...this.running.values()])
    await this.idle.stop()
  }

  /** A pass nobody waits for (a timer, an event, a queued action): its outcome is in the account's status. */
  private kick(accountId: string): void {
    this.syncAccount(accountId).catch((error: unknown) => {
      if (!this.stopped) console.error('sync pass failed outside its status', error)
    })
  }

  /** Resolves when the work that follows the passes (snippets, search words) has ended or stepped aside. */
  backgroundSettled(): Promise<void> {
    return this.idle.settled()
  }

  async syncAll(): Promise<void> {
    if (this.stopped) return
    // The background work steps aside now (it stops at its next step; a write under way still finishes), not
    // once the account passes start: a words batch begun while the accounts were mirrored held up the pass's
    // first read.
    this.idle.pause()
    startPassTimeline()
    try {
      const accounts = await this.mirrorAccounts()
      passMark('accounts mirrored')
      this.updateWatches(accounts)
      await Promise.allSettled(accounts.map((a) => this.syncAccount(a.id)))
    } finally {
      // No pass ran (no account, core unreachable) or all have ended: the background work goes on.
      if (this.running.size === 0) this.idle.kick()
    }
  }

  /** One IDLE watch per IMAP account, started once and stopped when the account leaves core's list. */
  private updateWatches(accounts: readonly AccountRow[]): void {
    if (this.stopped || !this.watchInboxes) return
    for (const [id, watch] of this.watches) {
      if (!accounts.some((a) => a.id === id)) {
        watch.stop()
        this.watches.delete(id)
      }
    }
    for (const account of accounts) {
      if (account.kind !== 'imap' || this.watches.has(account.id)) continue
      this.watches.set(
        account.id,
        watchInbox(this.core, account.id, () => this.kick(account.id)),
      )
    }
  }

  /**
   * Syncs one account; resolves when the pass is over (its outcome is in the account's status). A request
   * that arrives during a pass (say, a new queued action) gets one more pass after it, not a parallel one.
   */
  syncAccount(accountId: string): Promise<void> {
    if (this.stopped) return Promise.resolve()
    const running = this.running.get(accountId)
    if (running) {
      this.again.add(accountId)
      return running
    }
    this.idle.pause()
    const pass = this.runPass(accountId).finally(() => {
      this.running.delete(accountId)
      if (this.again.delete(accountId)) this.kick(accountId)
      if (this.running.size === 0) this.idle.kick()
    })
    this.running.set(accountId, pass)
    return pass
  }

  /**
   * A user action on messages: applied to the cache at once and queued (durably) for the server, then
   * replayed right away in the background. Offline, it simply waits in the queue for the next pass.
   */
  async act(command: MessageCommand): Promise<void> {
    const accounts = await runImapCommand(this.store, command)
    for (const accountId of accounts) this.kick(accountId)
  }

  /** Creates, renames or deletes an IMAP folder: here at once, queued for the server, replayed right away. */
  async folderAction(command: FolderCommand): Promise<{ folderId: string | null }> {
    const { accountId, folderId } = await runImapFolderCommand(this.store, command)
    this.kick(accountId)
    return { folderId }
  }

  /**
   * Makes sure a message's raw bytes are in the store: the reading pane calls this when a message is opened
   * whose body is not offline yet. Resolves when stored; rejects with a MailError the UI can show.
   */
  async loadBody(messageId: number): Promise<void> {
    const { fast } = this.store
    const message = await getMessage(fast, messageId)
    if (!message)
      throw new MailError('NOT_FOUND', 'This message is no longer here. It may have been moved or deleted.')
    if (await hasBody(fast, message)) return
    const folder = await fast.folders.get(message.folderId)
    if (!folder || folder.local || message.uid === null) {
      throw new MailError(
        'NOT_FOUND',
        'The full text of this message was not downloaded and cannot be fetched now.',
      )
    }
    const stored = await fetchBodies(this.store, this.core, folder, [[message]])
    if (stored === 0) {
      throw new MailError(
        'NOT_FOUND',
        'The server no longer has this message. It was probably deleted on another device.',
      )
    }
  }

  /**
   * Downloads the full text of those of `messageIds` that are server mail not yet stored in full (a copy
   * needs the bytes: it is uploaded with APPEND). Offline, core's error says so and nothing is copied.
   */
  async loadBodies(messageIds: readonly number[]): Promise<void> {
    const { fast } = this.store
    const rows = (await getMessages(fast, [...messageIds])).filter(
      (r) => r !== undefined && r.uid !== null && r.bodyState !== 'full',
    )
    const byFolder = new Map<string, typeof rows>()
    for (const r of rows) byFolder.set(r!.folderId, [...(byFolder.get(r!.folderId) ?? []), r])
    for (const [folderId, list] of byFolder) {
      const folder = await fast.folders.get(folderId)
      if (!folder || folder.local) continue
      await fetchBodies(this.store, this.core, folder, [list.map((r) => r!)])
    }
  }

  private async runPass(accountId: string): Promise<void> {
    if (this.stopped) return
    const { fast } = this.store
    const imap = this.configs.get(accountId)?.kind === 'imap'
    const [account, previousRow, bodyRecords] = await fast.transaction(
      'r',
      fast.accounts,
      fast.syncState,
      () =>
        Promise.all([
          fast.accounts.get(accountId),
          fast.syncState.get(statusKey(accountId)),
          imap ? readBodiesComplete(fast, accountId) : undefined,
        ]),
    )
    if (!account) return
    const previous = previousRow?.value as AccountSyncStatus | undefined
    passMark('account + status read')
    // "Syncing" is written only once a pass has lasted a moment (SHOW_SYNCING_AFTER_MS): written first, it made every
    // pass wait for the window's reaction to it (its reads and re-render) before the pass's next read, ~30 ms
    // of a no-change pass that takes ~10 ms without it, for a state shown too briefly to be seen. The pass
    // never waits for this timer; the final status is written after it, in order, as before.
    let syncing: Promise<void> | undefined
    const showSyncing = setTimeout(() => {
      syncing = this.setStatus(accountId, {
        state: 'syncing',
        lastSuccessAt: previous?.lastSuccessAt ?? null,
        error: null,
      })
      syncing.catch(() => undefined)
    }, this.showSyncingAfterMs)
    try {
      await this.withRetries(async () => {
        const config = this.configs.get(accountId)
        if (config?.kind === 'imap') {
          // The user's queued actions first: a sync before them would briefly show the old server state.
          const replay = await replayImapActions(this.store, this.core, accountId)
          passMark('queued actions replayed')
          if (replay.refused.length > 0)
            await this.recordRefusals(
              accountId,
              replay.refused.map((r) => r.error),
            )
          await syncImapAccount(this.store, this.core, config, undefined, bodyRecords)
        }
        if (config?.kind === 'pop3') await syncPop3Account(this.store, this.core, config)
      })
      passMark('account synced')
      clearTimeout(showSyncing)
      // A "syncing" write that failed (no room left) fails the pass, as it did when it came first.
      await syncing
      await this.setStatus(accountId, { state: 'idle', lastSuccessAt: Date.now(), error: null })
      passMark('status idle written')
      if (this.storeFull) {
        this.storeFull = false
        this.onStoreFull(null)
      }
    } catch (error) {
      clearTimeout(showSyncing)
      const data = errorDataOf(error, 'Syncing failed unexpectedly. It will be tried again.')
      if (data.code === 'DISK_FULL') {
        this.storeFull = true
        this.onStoreFull(data)
      }
      // A full store may refuse even this small write; the window has been told above.
      await this.setStatus(accountId, {
        state: 'error',
        lastSuccessAt: previous?.lastSuccessAt ?? null,
        error: data,
      }).catch((e: unknown) => {
        if (!isStoreFull(e)) throw e
      })
    }
  }

  /**
   * A dropped connection (server restart, a kick, a UIDVALIDITY change that ends sessions) costs one
   * reconnect, not an error in front of the user. Every pass is idempotent, so re-running it is safe.
   */
  private async withRetries(pass: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await pass()
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt]
        if (
          this.stopped ||
          delay === undefined ||
          !(error instanceof MailError) ||
          !RETRYABLE.has(error.code)
        ) {
          throw error
        }
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  /** What the server refused (and was undone locally), for the UI to tell the user once. */
  private async recordRefusals(accountId: string, errors: string[]): Promise<void> {
    const key = noticeKey(accountId)
    const previous = ((await this.store.fast.syncState.get(key))?.value as AccountNotice[] | undefined) ?? []
    const notices = errors.map((message) => ({ at: Date.now(), message }))
    await this.store.fast.syncState.put({ key, value: [...previous, ...notices].slice(-20) })
  }

  private async setStatus(accountId: string, status: AccountSyncStatus): Promise<void> {
    await this.store.fast.syncState.put({ key: statusKey(accountId), value: status })
  }

  /**
   * Core owns the account list; the store keeps a copy the UI can read offline. An account missing from
   * core's list is never a reason to delete mail here: for a POP3 account the store IS the only copy, and a
   * core that answers with an empty or partial list (a damaged settings file, a different data directory)
   * must not wipe it. Local data goes only on the user's explicit removal (`forgetAccount`).
   */
  private async mirrorAccounts(): Promise<AccountRow[]> {
    const { accounts } = await this.core.call('accounts.list', {})
    this.configs.clear()
    for (const a of accounts) this.configs.set(a.id, a)
    const rows = accounts.map(accountRow)
    // Rewriting equal rows is not free: the write waits for the window's reads of the table, and every
    // window re-reads the account list after it. This worker is the only writer of `accounts`.
    // Trusted only on the connection it was written through: a store deleted and created again (even under
    // the same name) is reached through a new one, and must get the rows again.
    const json = JSON.stringify(rows)
    const { fast } = this.store
    if (this.mirrored?.json !== json || this.mirrored.connection !== fast.backendDB()) {
      await fast.accounts.bulkPut(rows)
      this.mirrored = { json, connection: fast.backendDB() }
    }
    return rows
  }

  /**
   * Deletes a removed account's local data: what the user confirmed in the removal dialog, which warned
   * about local-only (POP3) mail. Refused while core still has the account, so a stray command cannot wipe
   * the mail of an account that is still in use.
   */
  async forgetAccount(accountId: string): Promise<void> {
    const { accounts } = await this.core.call('accounts.list', {})
    if (accounts.some((a) => a.id === accountId)) {
      throw new MailError('INVALID_PARAMS', 'This account is still set up; remove it first.')
    }
    this.watches.get(accountId)?.stop()
    this.watches.delete(accountId)
    const db = this.store.durable
    await db.transaction(
      'rw',
      [
        db.accounts,
        db.folders,
        ...messageTables(db),
        db.bodies,
        db.messageWords,
        db.snippets,
        db.syncState,
        db.pendingActions,
        db.pop3LedgerBatches,
      ],
      async () => {
        const ids = (await accountMessageIds(db, accountId)) as number[]
        await db.bodies.bulkDelete(ids)
        await db.messageWords.bulkDelete(ids)
        await db.snippets.bulkDelete(ids)
        await deleteMessages(db, ids)
        await db.folders.where('accountId').equals(accountId).delete()
        await db.pendingActions.where('accountId').equals(accountId).delete()
        await deleteAccountLedger(db, accountId)
        await db.syncState.delete(statusKey(accountId))
        await db.syncState.delete(noticeKey(accountId))
        await db.syncState.delete(storeResetKey(accountId))
        await db.accounts.delete(accountId)
      },
    )
    this.mirrored = undefined
    forgetLedgerIds(accountId)
    // Only now that no row of the account is left. A failure leaves files no account owns: the writer's
    // next start removes them (`removeLeftoverFiles`).
    await this.store.bodies.removeAccountFiles(accountId).catch((error: unknown) => {
      console.warn('the removed account’s stored mail files are deleted at the next start', error)
    })
  }
}
