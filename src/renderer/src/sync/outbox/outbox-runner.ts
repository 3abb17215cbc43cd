import { MailError } from '../../../../shared/errors'
import type { AccountConfig } from '../../../../shared/model/account'
import type { MailStore } from '../../store/mail-db'
import type { OutboxRow } from '../../store/compose-rows'
import type { CoreApi } from '../engine/core-api'
import { runFollowUps } from './follow-ups'
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  followUpsDone,
  isSettled,
  recoveredState,
  UNKNOWN_OUTCOME,
  verdictFor,
  type BackoffPolicy,
} from './outbox-state'
import { errorDataOf } from '../engine/error-data'

export type SendPoint = 'connecting' | 'committing' | 'committed'

export interface OutboxRunnerOptions {
  backoff?: BackoffPolicy
  /** Marks the replied-to message \Answered (or $Forwarded) after sending. */
  flagSource?: (messageId: number, flag: string) => Promise<void>
  /**
   * Fault injection for tests: awaited right after each durable step of a send. A hook that never
   * resolves freezes this runner exactly there, as if the app had died.
   */
  at?: (point: SendPoint, row: OutboxRow) => Promise<void> | void
}

/**
 * Sends what the outbox holds, one message at a time, following the state machine in outbox-state.ts.
 * Runs in the writer worker only. Every state change is a strict-durability write made before the step it
 * allows; `start()` first recovers rows a previous run left in 'sending'.
 */
export class OutboxRunner {
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = false
  private readonly backoff: BackoffPolicy

  constructor(
    private readonly store: MailStore,
    private readonly core: CoreApi,
    private readonly opts: OutboxRunnerOptions = {},
  ) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF
  }

  /** Recovers rows left in 'sending' by a previous run, then sends what is due. */
  async start(): Promise<void> {
    const db = this.store.durable
    await db.transaction('rw', db.outbox, async () => {
      for (const row of await db.outbox.where('state').equals('sending').toArray()) {
        const next = recoveredState(row)
        await db.outbox.update(row.id, {
          ...next,
          updatedAt: Date.now(),
          ...(next.state === 'unknown' ? { lastError: UNKNOWN_OUTCOME } : { nextAttemptAt: Date.now() }),
        })
      }
    })
    await this.kick()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  /** Sends everything that is due now (a new message, Send/Receive, back online); joins a running pass. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.pass().finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        void this.kick()
      } else {
        void this.schedule()
      }
    })
    return this.running
  }

  private async pass(): Promise<void> {
    const accounts = new Map<string, AccountConfig>()
    const accountOf = async (id: string): Promise<AccountConfig | undefined> => {
      if (accounts.size === 0) {
        const { accounts: list } = await this.core.call('accounts.list', {})
        for (const a of list) accounts.set(a.id, a)
      }
      return accounts.get(id)
    }
    const rows = await this.store.durable.outbox.orderBy('createdAt').toArray()
    for (const row of rows) {
      if (this.stopped) return
      if (row.state === 'queued' && row.nextAttemptAt <= Date.now()) await this.sendOne(row)
      const current = await this.store.durable.outbox.get(row.id)
      if (current?.state !== 'sent') continue
      const account = await accountOf(current.accountId).catch(() => undefined)
      if (!account) continue
      try {
        await runFollowUps(
          { store: this.store, core: this.core, account, flagSource: this.opts.flagSource },
          current,
        )
      } catch {
        continue // network trouble: the follow-ups wait for the next pass
      }
      const done = await this.store.durable.outbox.get(row.id)
      if (done && isSettled(done)) await this.store.durable.outbox.delete(row.id)
    }
  }

  /** Wakes up for the next due row (backoff), or for unfinished follow-ups. */
  private async schedule(): Promise<void> {
    if (this.stopped) return
    clearTimeout(this.timer)
    const rows = await this.store.durable.outbox.where('state').anyOf('queued', 'sent').toArray()
    const pending = rows.filter((r) => r.state === 'queued' || !followUpsDone(r))
    if (pending.length === 0) return
    const next = Math.min(
      ...pending.map((r) =>
        r.state === 'queued' ? r.nextAttemptAt : Date.now() + this.backoff.delaysMs.at(-1)!,
      ),
    )
    this.timer = setTimeout(() => void this.kick(), Math.max(0, next - Date.now()))
  }

  private async write(id: string, patch: Partial<OutboxRow>): Promise<void> {
    await this.store.durable.outbox.update(id, { ...patch, updatedAt: Date.now() })
  }

  /**
   * Moves the row from 'queued' to 'sending' only if it is still exactly as this pass read it, in one
   * transaction: whatever else may hold the same row (a second runner, a user's "edit" in between) can never
   * make this message go out twice.
   */
  private async claim(queued: OutboxRow): Promise<boolean> {
    const db = this.store.durable
    return db.transaction('rw', db.outbox, async () => {
      const now = await db.outbox.get(queued.id)
      if (now?.state !== 'queued' || now.attempts !== queued.attempts) return false
      await db.outbox.update(queued.id, {
        state: 'sending',
        phase: 'connecting',
        attempts: queued.attempts + 1,
        updatedAt: Date.now(),
      })
      return true
    })
  }

  private async sendOne(queued: OutboxRow): Promise<void> {
    const attempts = queued.attempts + 1
    const row: OutboxRow = { ...queued, state: 'sending', phase: 'connecting', attempts }
    if (!(await this.claim(queued))) return
    await this.opts.at?.('connecting', row)
    let committed = false
    let commitWork: Promise<void> = Promise.resolve()
    const controller = new AbortController()
    let outcome: { ok: true; result: Awaited<ReturnType<CoreApi['call']>> } | { ok: false; error: unknown }
    try {
      const result = await this.core.call(
        'smtp.send',
        { accountId: row.accountId, raw: row.raw, envelope: row.envelope, hold: true },
        {
          signal: controller.signal,
          onChunk: (chunk) => {
            commitWork = (async () => {
              // Durable BEFORE the commit: after a crash from here on, the row says "maybe sent".
              await this.write(row.id, { phase: 'committing' })
              await this.opts.at?.('committing', row)
              committed = true
              const answer = await this.core.call('smtp.commit', { ticket: chunk.ticket })
              if (!answer.committed) throw new MailError('CANCELLED', 'The send was gone before its commit.')
              await this.opts.at?.('committed', row)
            })()
            // If the write failed we must not commit: cancelling drops the connection without the dot.
            commitWork.catch(() => controller.abort())
          },
        },
      )
      outcome = { ok: true, result }
    } catch (error) {
      outcome = { ok: false, error }
    }
    await commitWork.catch(() => undefined)
    if (outcome.ok) {
      const result = outcome.result as { accepted: string[]; rejected: OutboxRow['rejected'] }
      await this.write(row.id, {
        state: 'sent',
        phase: null,
        sentAt: Date.now(),
        accepted: result.accepted,
        rejected: result.rejected,
        lastError: null,
      })
      return
    }
    const error = errorDataOf(outcome.error, 'Sending failed unexpectedly.')
    const verdict = verdictFor(error, committed, attempts)
    if (verdict === 'retry') {
      await this.write(row.id, {
        state: 'queued',
        phase: null,
        lastError: error,
        nextAttemptAt: Date.now() + backoffDelay(attempts, this.backoff),
      })
    } else if (verdict === 'failed') {
      await this.write(row.id, { state: 'failed', phase: null, lastError: error })
    } else {
      await this.write(row.id, {
        state: 'unknown',
        phase: null,
        lastError: { ...UNKNOWN_OUTCOME, detail: error.message },
      })
    }
  }
}
