/**
 * The low-level POP3 client: one method per command, no policy. `openPop3Session` builds the secure login
 * on top of it; tests and tools may drive it step by step. Every method takes an optional AbortSignal;
 * aborting drops the connection (POP3 cannot cancel a command), which also discards pending DELE marks.
 */
import { MailError } from '../../shared/errors'
import { apop, apopTimestamp, authPlain, pass, user } from './commands/authenticate'
import { capa } from './commands/capa'
import { list, listOne, stat, uidl, uidlOne } from './commands/listing'
import { dele, noop, quit, rset } from './commands/maildrop'
import { retr, retrMany, retrStream, top, type RetrievedBody } from './commands/retrieve'
import { stls } from './commands/stls'
import { Pop3Connection } from './pop3-connection'
import type { Pop3Capabilities, Pop3ConnectOptions, Pop3ListEntry, Pop3Stat, Pop3UidlEntry } from './types'

export const DEFAULT_CONNECT_MS = 15_000
export const DEFAULT_IDLE_MS = 30_000

export class Pop3Client {
  private constructor(
    private readonly conn: Pop3Connection,
    /** The greeting's text after `+OK`. */
    readonly greeting: string,
    private readonly connectMs: number,
    private readonly ca: string | string[] | undefined,
  ) {}

  /**
   * Connects (TCP or implicit TLS) and reads the greeting. Rejects with CONNECTION_REFUSED,
   * HOST_NOT_FOUND, TLS_UNTRUSTED, TIMEOUT, NETWORK, CANCELLED, or SERVER_ERROR for a `-ERR` greeting.
   * @example const c = await Pop3Client.connect({ host, port: 995, secure: true })
   */
  static async connect(opts: Pop3ConnectOptions, signal?: AbortSignal): Promise<Pop3Client> {
    const connectMs = opts.timeouts?.connectMs ?? DEFAULT_CONNECT_MS
    const idleMs = opts.timeouts?.idleMs ?? DEFAULT_IDLE_MS
    const conn = await Pop3Connection.open({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      timeoutMs: connectMs,
      idleMs,
      ...(signal ? { signal } : {}),
    })
    const { status } = await conn.send(undefined, false, { signal, timeoutMs: connectMs })
    if (!status.ok || status.continuation) {
      conn.close()
      throw new MailError(
        'SERVER_ERROR',
        `${opts.host} is not accepting connections right now. Try again later.`,
        `${opts.host}: greeting -ERR ${status.text}`,
      )
    }
    return new Pop3Client(conn, status.text, connectMs, opts.ca)
  }

  get host(): string {
    return this.conn.host
  }

  /** True once TLS protects the connection (implicit or after STLS). */
  get secure(): boolean {
    return this.conn.secure
  }

  /** Set when the connection is gone; every further command rejects with this error. */
  get broken(): MailError | undefined {
    return this.conn.broken
  }

  /** The APOP timestamp from the greeting (RFC 1939 §7), if the server offers APOP. */
  get apopTimestamp(): string | undefined {
    return apopTimestamp(this.greeting)
  }

  /** CAPA (RFC 2449 §5); `supported: false` for servers without it. */
  capa(signal?: AbortSignal): Promise<Pop3Capabilities> {
    return capa(this.conn, signal)
  }

  /** STLS + TLS handshake (RFC 2595 §4); ask `capa()` again afterwards. */
  stls(signal?: AbortSignal): Promise<void> {
    return stls(this.conn, {
      timeoutMs: this.connectMs,
      ...(this.ca !== undefined ? { ca: this.ca } : {}),
      ...(signal ? { signal } : {}),
    })
  }

  /** USER (RFC 1939 §7). */
  user(name: string, signal?: AbortSignal): Promise<void> {
    return user(this.conn, name, signal)
  }

  /** PASS (RFC 1939 §7). Never call it on an insecure connection unless the account allows plaintext. */
  pass(password: string, signal?: AbortSignal): Promise<void> {
    return pass(this.conn, password, signal)
  }

  /** APOP with the greeting's timestamp; rejects CAPABILITY_MISSING if the greeting had none. */
  apop(name: string, password: string, signal?: AbortSignal): Promise<void> {
    const stamp = this.apopTimestamp
    if (stamp === undefined) {
      return Promise.reject(new MailError('CAPABILITY_MISSING', `${this.host} does not offer APOP login.`))
    }
    return apop(this.conn, name, password, stamp, signal)
  }

  /** AUTH PLAIN (RFC 5034, RFC 4616). */
  authPlain(name: string, password: string, signal?: AbortSignal): Promise<void> {
    return authPlain(this.conn, name, password, signal)
  }

  /** STAT (RFC 1939 §5). */
  stat(signal?: AbortSignal): Promise<Pop3Stat> {
    return stat(this.conn, signal)
  }

  /** LIST (RFC 1939 §5). */
  list(signal?: AbortSignal): Promise<Pop3ListEntry[]> {
    return list(this.conn, signal)
  }

  /** LIST n; NOT_FOUND if there is no such message. */
  listOne(n: number, signal?: AbortSignal): Promise<Pop3ListEntry> {
    return listOne(this.conn, n, signal)
  }

  /** UIDL (RFC 1939 §7). */
  uidl(signal?: AbortSignal): Promise<Pop3UidlEntry[]> {
    return uidl(this.conn, signal)
  }

  /** UIDL n. */
  uidlOne(n: number, signal?: AbortSignal): Promise<Pop3UidlEntry> {
    return uidlOne(this.conn, n, signal)
  }

  /** RETR n as one Buffer. */
  retr(n: number, signal?: AbortSignal): Promise<Buffer> {
    return retr(this.conn, n, signal)
  }

  /** RETR n as a stream of chunks with backpressure. */
  retrStream(n: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
    return retrStream(this.conn, n, signal)
  }

  /** RETR of several messages in order; `pipelined` only when CAPA announced PIPELINING. */
  retrMany(ns: readonly number[], pipelined: boolean, signal?: AbortSignal): AsyncGenerator<RetrievedBody> {
    return retrMany(this.conn, ns, pipelined, signal)
  }

  /** TOP n lines (RFC 1939 §7). */
  top(n: number, lines: number, signal?: AbortSignal): Promise<Buffer> {
    return top(this.conn, n, lines, signal)
  }

  /** DELE n: marks only; removal happens at QUIT (RFC 1939 §6). */
  dele(n: number, signal?: AbortSignal): Promise<void> {
    return dele(this.conn, n, signal)
  }

  /** RSET (RFC 1939 §5). */
  rset(signal?: AbortSignal): Promise<void> {
    return rset(this.conn, signal)
  }

  /** NOOP (RFC 1939 §5). */
  noop(signal?: AbortSignal): Promise<void> {
    return noop(this.conn, signal)
  }

  /** QUIT: commits DELE marks (UPDATE state) and closes. */
  quit(signal?: AbortSignal): Promise<void> {
    return quit(this.conn, signal)
  }

  /** Drops the connection without QUIT: the server keeps every message. Idempotent. */
  close(): void {
    this.conn.close()
  }
}
