import { randomUUID } from 'node:crypto'
import { MailError } from '../../shared/errors'
import type { Pop3Session } from '../pop3'

/** A session with no call for this long is dropped without QUIT. */
export const POP3_SESSION_IDLE_MS = 120_000

/** What core learned about a session beyond the socket: which store it writes to, what it listed. */
export interface Pop3SessionFacts {
  /** The store identity the worker reported at open, and whether DELE is allowed for it. */
  storeId: string | null
  standing: 'known' | 'reset' | 'unknown'
  /** Message number → ledger id, from this session's listing. */
  ids: Map<number, string>
  /** Whether RETR'd bytes are held for a DELE later in this session (delete-after-days accounts). */
  hold: boolean
}

interface Entry {
  id: string
  facts: Pop3SessionFacts
  accountId: string
  connectionId: string
  session: Pop3Session
  /** Calls running on it: a long RETR stream is not "idle". */
  busy: number
  timer: NodeJS.Timeout | undefined
}

/**
 * Open POP3 sessions by id, each owned by the RPC connection that opened it. Every way a session ends
 * without an explicit `pop3.quit` (owner disconnected, idle timeout, replaced, core stopping) is a
 * `close()` without QUIT: the server keeps every message, including those marked with DELE (RFC 1939 §6).
 * That is what makes a crash of the worker or the browser between DELE and QUIT harmless.
 */
export class Pop3Sessions {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly idleMs = POP3_SESSION_IDLE_MS,
    /** Called once when a session ends in any way (QUIT, drop, idle, connection gone). */
    private readonly onEnd: (sessionId: string, accountId: string) => void = () => undefined,
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** Registers a logged-in session; an older session of the same account and connection is dropped. */
  add(
    session: Pop3Session,
    accountId: string,
    connectionId: string,
    facts: Pop3SessionFacts = { storeId: null, standing: 'unknown', ids: new Map(), hold: false },
  ): string {
    for (const e of [...this.entries.values()]) {
      if (e.accountId === accountId && e.connectionId === connectionId) this.drop(e.id)
    }
    const entry: Entry = {
      id: randomUUID(),
      facts,
      accountId,
      connectionId,
      session,
      busy: 0,
      timer: undefined,
    }
    this.entries.set(entry.id, entry)
    this.arm(entry)
    return entry.id
  }

  /**
   * Runs `fn` on a session of this connection. A session id from another connection is NOT_FOUND: ids are
   * not capabilities to be shared between windows.
   */
  async use<T>(
    sessionId: string,
    connectionId: string,
    fn: (s: Pop3Session, facts: Pop3SessionFacts, accountId: string) => Promise<T>,
  ): Promise<T> {
    const entry = this.entries.get(sessionId)
    if (!entry || entry.connectionId !== connectionId) {
      throw new MailError(
        'NOT_FOUND',
        'The connection to the mail server was closed. Checking for mail again will reconnect.',
        `pop3 session ${sessionId.slice(0, 8)} unknown`,
      )
    }
    if (entry.session.broken) {
      this.drop(sessionId)
      throw entry.session.broken
    }
    entry.busy++
    this.disarm(entry)
    try {
      return await fn(entry.session, entry.facts, entry.accountId)
    } finally {
      entry.busy--
      if (this.entries.has(sessionId)) {
        if (entry.session.broken) this.drop(sessionId)
        else this.arm(entry)
      }
    }
  }

  /** Forgets a session that ended by QUIT (the socket is closed already). */
  forget(sessionId: string): void {
    const entry = this.entries.get(sessionId)
    if (!entry) return
    this.disarm(entry)
    this.entries.delete(sessionId)
    this.onEnd(sessionId, entry.accountId)
  }

  /** Drops without QUIT; with `connectionId`, only that connection's session. False when there was none. */
  drop(sessionId: string, connectionId?: string): boolean {
    const entry = this.entries.get(sessionId)
    if (!entry || (connectionId !== undefined && entry.connectionId !== connectionId)) return false
    this.forget(sessionId)
    entry.session.close()
    return true
  }

  /** The owner connection closed (worker reloaded, browser killed): nothing it marked gets deleted. */
  dropConnection(connectionId: string): number {
    const ids = [...this.entries.values()].filter((e) => e.connectionId === connectionId).map((e) => e.id)
    for (const id of ids) this.drop(id)
    return ids.length
  }

  /** The account was removed: its sessions end without QUIT. */
  dropAccount(accountId: string): void {
    for (const e of [...this.entries.values()]) if (e.accountId === accountId) this.drop(e.id)
  }

  dropAll(): void {
    for (const id of [...this.entries.keys()]) this.drop(id)
  }

  private arm(entry: Entry): void {
    this.disarm(entry)
    if (entry.busy > 0) return
    entry.timer = setTimeout(() => this.drop(entry.id), this.idleMs)
    entry.timer.unref()
  }

  private disarm(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer)
    entry.timer = undefined
  }
}
