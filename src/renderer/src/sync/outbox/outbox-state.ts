/**
 * The outbox state machine. Every transition is one strict-durability write of the row, made BEFORE the
 * step it allows, so a crash anywhere leaves a row that says what may have happened.
 *
 * ```
 *  send-draft ──► queued ───────────────────────────────────────────────────────────────┐
 *                   │ due (nextAttemptAt ≤ now)                                          │
 *                   ▼                                                                    │
 *            sending/connecting ── smtp.send {hold}: connect, AUTH, MAIL, RCPT, DATA,    │
 *                   │              body … core holds the final "." and streams 'ready'   │
 *                   │                                                                    │
 *                   ├─ error, transient (network, timeout, 4xx) ──► queued (+backoff) ───┘
 *                   ├─ error, permanent (auth, all recipients refused, too large, TLS) ──► failed
 *                   ▼ 'ready'
 *            sending/committing ── written durably, THEN smtp.commit: core writes the dot
 *                   ├─ 250 ───────────────────────────────► sent (accepted/rejected recorded)
 *                   ├─ the server answered 5xx after the dot ──► failed   (definitely not sent)
 *                   ├─ the server answered 4xx after the dot ──► queued   (definitely not sent)
 *                   └─ connection lost / timeout / no answer ──► unknown  (maybe sent)
 *
 *  start-up recovery (the app died with the row in 'sending'):
 *     sending/connecting  ──► queued   core never got our commit, so it never wrote the dot: the server
 *                                      discarded the transaction (RFC 5321 §4.1.1.4). Safe to send again.
 *     sending/committing  ──► unknown  the dot may have gone out; only the user can decide.
 *
 *  the user decides:   failed | unknown ──retry──► queued      unknown ──mark-sent──► sent
 *                      failed | unknown ──edit───► back to Drafts (row removed)
 *                      sent (with rejections) ──dismiss──► removed
 *  after 'sent': the Sent copy, the server draft's removal and \Answered/$Forwarded run once each
 *  (followUp); a clean 'sent' row is removed when they are done.
 * ```
 * Nothing ever moves a row from 'unknown' or 'failed' by itself: never silently sent twice, never
 * silently dropped.
 */
import type { MailErrorData } from '../../../../shared/errors'
import type { OutboxRow } from '../../store/compose-rows'

/**
 * Not now, try again: the network, a stopped server, a lost core connection, a full disk (the row's own state
 * cannot be saved, so the message is not sent until there is room). Retried without limit.
 */
const NOT_NOW = new Set([
  'NETWORK',
  'TIMEOUT',
  'TRANSPORT_CLOSED',
  'CONNECTION_REFUSED',
  'HOST_NOT_FOUND',
  'CANCELLED',
  'DISK_FULL',
])
/** A server error that said 4xx ("try again later") is retried this many times before asking the user. */
export const MAX_SERVER_RETRIES = 5

export interface BackoffPolicy {
  /** Delays by attempt number (1-based); the last one repeats. */
  delaysMs: readonly number[]
}

export const DEFAULT_BACKOFF: BackoffPolicy = { delaysMs: [2_000, 5_000, 15_000, 30_000, 60_000] }

export function backoffDelay(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const { delaysMs } = policy
  return delaysMs[Math.min(Math.max(attempts, 1), delaysMs.length) - 1] ?? 60_000
}

/** The SMTP reply code that starts a core error's detail (see toSmtpMailError), if any. */
export function replyCodeOf(error: MailErrorData): number | null {
  const match = /^([2-5]\d\d)[ -]/.exec(error.detail ?? '')
  return match ? Number(match[1]) : null
}

export type Verdict = 'retry' | 'failed' | 'unknown'

/**
 * What a failed try means for the row. `committed` tells whether core may have written the final dot (we
 * asked it to): then only an answer from the server proves the message was not taken.
 */
export function verdictFor(error: MailErrorData, committed: boolean, attempts: number): Verdict {
  const reply = replyCodeOf(error)
  if (committed) {
    if (reply !== null && reply >= 500) return 'failed'
    if (reply !== null && reply >= 400) return attempts < MAX_SERVER_RETRIES ? 'retry' : 'failed'
    return 'unknown'
  }
  if (NOT_NOW.has(error.code)) return 'retry'
  if (error.code === 'SERVER_ERROR' && (reply === null || reply < 500)) {
    return attempts < MAX_SERVER_RETRIES ? 'retry' : 'failed'
  }
  return 'failed'
}

/** What start-up makes of a row a previous run left behind. */
export function recoveredState(row: Pick<OutboxRow, 'state' | 'phase'>): Pick<OutboxRow, 'state' | 'phase'> {
  if (row.state !== 'sending') return { state: row.state, phase: row.phase }
  return row.phase === 'committing' ? { state: 'unknown', phase: null } : { state: 'queued', phase: null }
}

export const UNKNOWN_OUTCOME: MailErrorData = {
  code: 'NETWORK',
  message:
    'The app lost contact with the server while it was finishing sending this message, so it may or may ' +
    'not have been sent. Check with a recipient or your Sent folder, then send it again or mark it as sent.',
}

export function followUpsDone(row: OutboxRow): boolean {
  return row.followUp.sentCopy !== 'pending' && row.followUp.draftRemoved && row.followUp.sourceFlagged
}

/** The follow-ups are done: a 'sent' row with nothing left to show the user (no refusals) can go. */
export function isSettled(row: OutboxRow): boolean {
  return row.state === 'sent' && followUpsDone(row) && row.rejected.length === 0
}
