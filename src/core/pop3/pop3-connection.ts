/**
 * One POP3 connection: a queue of commands whose answers are read in order through the ResponseReader.
 * Without pipelining a command is written only once the previous answer is complete (RFC 1939 lock-step);
 * with `pipelining` on (the server advertised PIPELINING, RFC 2449 §6.6) commands are written as soon as
 * they are sent and the answers are matched to them in order, which the RFC requires of the server.
 * Owns the idle timeout, backpressure across all unread answers, cancellation and the rule that a broken
 * connection breaks every waiting and future command with the same MailError (no command ever resolves
 * from a half-read answer).
 */
import type { Socket } from 'node:net'
import { MailError } from '../../shared/errors'
import { BodyStream, type BodyStreamHooks } from './body-stream'
import {
  cancelledError,
  closedError,
  protocolError,
  sessionClosedError,
  socketError,
  timeoutError,
} from './errors'
import { Pop3ProtocolError, ResponseReader, type ResponseHandler } from './response-reader'
import { openSocket, upgradeSocket, type OpenSocketOptions } from './socket-open'
import type { Pop3Status } from './types'

/** A command whose answer is not complete yet: written and being answered, written and waiting, or queued. */
interface Command {
  /** undefined: no command, just read the greeting. */
  readonly line: string | undefined
  /** Only the verb goes into errors: arguments may be a password or a SASL response. */
  readonly verb: string
  readonly multiline: boolean
  readonly timeoutMs: number | undefined
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
  /** The status line was delivered (resolved) or the command was rejected. */
  settled: boolean
  body: BodyStream | undefined
  resolve(response: Pop3Response): void
  reject(error: MailError): void
}

/** Unread body bytes (all answers together) above which the socket is paused; resumed at half. */
export const DEFAULT_BUFFER_BYTES = 1 << 20

/** An answer: the status line, plus the body stream for a `+OK` to a multi-line command. */
export interface Pop3Response {
  status: Pop3Status
  body?: BodyStream
}

export interface SendOptions {
  signal?: AbortSignal | undefined
  /** Override the idle timeout for this answer (the greeting uses the connect timeout). */
  timeoutMs?: number
}

/** Parses `+OK text`, `-ERR [CODE] text` or a SASL `+ data` line (RFC 1939 §3, RFC 2449 §8, RFC 5034 §4). */
export function parseStatus(line: string): Pop3Status | undefined {
  let ok: boolean
  let continuation = false
  let rest: string
  if (line.startsWith('+OK')) [ok, rest] = [true, line.slice(3)]
  else if (line.startsWith('-ERR')) [ok, rest] = [false, line.slice(4)]
  else if (line === '+' || line.startsWith('+ ')) [ok, continuation, rest] = [true, true, line.slice(1)]
  else return undefined
  // "+OKAY" is not "+OK": the indicator must be followed by a space or end the line.
  if (!continuation && rest.length > 0 && rest[0] !== ' ') return undefined
  const text = rest.trimStart()
  const code = /^\[([^\]\s]+)\]/.exec(text)?.[1]?.toUpperCase()
  return { ok, continuation, text, code }
}

export class Pop3Connection {
  private readonly reader = new ResponseReader()
  private failure: MailError | undefined
  private timer: NodeJS.Timeout | undefined
  /** Commands in order; the first `written` of them are on the wire, the head is being answered. */
  private readonly queue: Command[] = []
  private written = 0
  private pipeliningOn = false
  private corked = false
  /** Body bytes handed to streams and not yet read by their consumers, over all answers. */
  private unread = 0
  private paused = false
  private readonly flow: BodyStreamHooks = {
    queued: (bytes) => {
      this.unread += bytes
      if (!this.paused && this.unread > this.bufferBytes) {
        this.paused = true
        this.socket.pause()
        // The server is not silent, we are not reading: no idle timeout while paused.
        this.disarm()
      }
    },
    released: (bytes) => {
      this.unread -= bytes
      if (this.paused && this.unread <= this.bufferBytes / 2) {
        this.paused = false
        if (this.failure) return
        this.socket.resume()
        if (this.queue.length > 0) this.arm(this.queue[0]!.timeoutMs)
      }
    },
  }

  private constructor(
    private socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly idleMs: number,
    public secure: boolean,
    private readonly bufferBytes: number,
  ) {
    this.attach(socket)
  }

  /** Opens the socket (TCP or implicit TLS). The caller reads the greeting next with `send(undefined)`. */
  static async open(
    opts: OpenSocketOptions & { idleMs: number; bufferBytes?: number },
  ): Promise<Pop3Connection> {
    return Pop3Connection.over(await openSocket(opts), opts)
  }

  /**
   * Wraps a socket that is already open (TCP or TLS); unit tests pass a scripted one. The caller reads the
   * greeting next with `send(undefined)`.
   */
  static over(
    socket: Socket,
    opts: { host: string; port: number; secure: boolean; idleMs: number; bufferBytes?: number },
  ): Pop3Connection {
    return new Pop3Connection(
      socket,
      opts.host,
      opts.port,
      opts.idleMs,
      opts.secure,
      opts.bufferBytes ?? DEFAULT_BUFFER_BYTES,
    )
  }

  /** Set once the connection is unusable; every later command rejects with it. */
  get broken(): MailError | undefined {
    return this.failure
  }

  /** True when commands are written without waiting for earlier answers. */
  get pipelining(): boolean {
    return this.pipeliningOn
  }

  /**
   * Turns pipelining on (RFC 2449 §6.6). Call only when the server advertised PIPELINING, and only in
   * the TRANSACTION state: the login exchange and STLS stay lock-step (RFC 2595 §4 forbids any byte between
   * STLS's answer and the handshake, so nothing may be queued behind it).
   */
  enablePipelining(): void {
    this.pipeliningOn = true
    this.flushWrites()
  }

  /**
   * Sends `line` (or nothing, to read the greeting) and resolves with the answer. For `multiline`, a `+OK`
   * comes with a body stream that must be consumed (or abandoned) so that the answers behind it can be
   * read. Commands are answered in call order; with pipelining they are also written at once.
   */
  send(line: string | undefined, multiline: boolean, opts: SendOptions = {}): Promise<Pop3Response> {
    if (this.failure) return Promise.reject(this.failure)
    const signal = opts.signal
    if (signal?.aborted) return Promise.reject(cancelledError())
    return new Promise<Pop3Response>((resolve, reject) => {
      const command: Command = {
        line,
        verb: line === undefined ? 'greeting' : (line.split(' ')[0] ?? '').toUpperCase(),
        multiline,
        timeoutMs: opts.timeoutMs,
        signal,
        onAbort: () => this.abort(command),
        settled: false,
        body: undefined,
        resolve,
        reject,
      }
      signal?.addEventListener('abort', command.onAbort, { once: true })
      this.queue.push(command)
      if (this.queue.length === 1) this.startHead()
      else this.flushWrites()
    })
  }

  /**
   * Replaces the plain socket by TLS after `+OK` to STLS. RFC 2595 §4 / RFC 2449: bytes the server sent
   * before the handshake could be injected by an attacker, so their presence is an error.
   */
  async upgrade(opts: { ca?: string | string[]; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    if (this.failure) throw this.failure
    if (this.queue.length > 0 || this.reader.busy || this.reader.pendingBytes > 0) {
      const e = protocolError(this.host, 'data received after the STLS answer, before the TLS handshake')
      this.fail(e)
      throw e
    }
    const plain = this.socket
    this.detach(plain)
    try {
      this.socket = await upgradeSocket(plain, { host: this.host, port: this.port, ...opts })
    } catch (e) {
      this.fail(e instanceof MailError ? e : socketError(e, this.host, this.port))
      throw this.failure
    }
    this.reader.reset()
    this.attach(this.socket)
    this.secure = true
  }

  /** Drops the connection at once, without QUIT: the server discards pending DELE marks (RFC 1939 §6). */
  close(): void {
    this.fail(sessionClosedError(this.host))
  }

  /** Writes what may be written: the head always, the rest only with pipelining. */
  private flushWrites(): void {
    if (this.failure) return
    while (this.written < this.queue.length && (this.written === 0 || this.pipeliningOn)) {
      const command = this.queue[this.written++]!
      if (command.line === undefined) continue
      if (this.pipeliningOn && !this.corked) {
        // One TLS record / TCP segment for a burst of pipelined commands instead of one per command.
        this.corked = true
        this.socket.cork()
        const socket = this.socket
        process.nextTick(() => {
          this.corked = false
          socket.uncork()
        })
      }
      this.socket.write(`${command.line}\r\n`)
    }
  }

  /** The head's answer is next on the wire: write it if needed, start reading it, watch for silence. */
  private startHead(): void {
    const command = this.queue[0]
    if (!command) {
      this.disarm()
      return
    }
    this.flushWrites()
    this.arm(command.timeoutMs)
    try {
      this.reader.expect(command.multiline, this.handlerFor(command))
    } catch (e) {
      this.fail(protocolError(this.host, e instanceof Error ? e.message : String(e)))
    }
  }

  /** The head's answer is complete (status line, or the body's terminating line): go to the next one. */
  private finishHead(command: Command): void {
    if (this.queue[0] !== command) return
    this.queue.shift()
    this.written--
    command.signal?.removeEventListener('abort', command.onAbort)
    this.startHead()
  }

  private handlerFor(command: Command): ResponseHandler {
    return {
      status: (text) => {
        const status = parseStatus(text)
        if (!status) {
          throw new Pop3ProtocolError(`unexpected answer to ${command.verb}: ${text.slice(0, 80)}`)
        }
        command.settled = true
        if (!(command.multiline && status.ok)) {
          // Resolved before the next answer is read, so callers see answers in command order.
          command.resolve({ status })
          this.finishHead(command)
          return
        }
        command.body = new BodyStream(this.flow)
        command.resolve({ status, body: command.body })
      },
      body: (chunk) => command.body?.push(chunk),
      end: () => {
        command.body?.end()
        this.finishHead(command)
      },
    }
  }

  /**
   * A command's signal fired. Not yet written: it simply leaves the queue. Written: its answer is coming
   * and POP3 cannot cancel a command, so the connection is dropped (which also fails what follows it).
   */
  private abort(command: Command): void {
    const at = this.queue.indexOf(command)
    if (at === -1) return
    if (at < this.written) {
      this.fail(cancelledError())
      return
    }
    this.queue.splice(at, 1)
    command.settled = true
    command.reject(cancelledError())
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData)
    socket.on('error', this.onError)
    socket.on('close', this.onClose)
  }

  private detach(socket: Socket): void {
    socket.off('data', this.onData)
    socket.off('error', this.onError)
    socket.off('close', this.onClose)
  }

  private readonly onData = (chunk: Buffer): void => {
    this.timer?.refresh()
    try {
      this.reader.push(chunk)
    } catch (e) {
      this.fail(protocolError(this.host, e instanceof Error ? e.message : String(e)))
    }
  }

  private readonly onError = (e: Error): void => this.fail(socketError(e, this.host, this.port))

  private readonly onClose = (): void => {
    this.fail(closedError(this.host))
  }

  private arm(ms = this.idleMs): void {
    this.disarm()
    if (this.paused) return
    const verb = this.queue[0]?.verb ?? ''
    this.timer = setTimeout(() => this.fail(timeoutError(this.host, `waiting for ${verb}`)), ms)
  }

  private disarm(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /**
   * Breaks the connection once: destroys the socket and fails every command still waiting, written or
   * not. Answers that were already complete stay readable (their terminating line arrived).
   */
  private fail(error: MailError): void {
    if (this.failure) return
    this.failure = error
    this.disarm()
    this.detach(this.socket)
    // Keep a listener: a late 'error' from a destroyed socket must not crash the process.
    this.socket.on('error', () => undefined)
    this.socket.destroy()
    this.reader.reset()
    const waiting = this.queue.splice(0)
    this.written = 0
    for (const command of waiting) {
      command.signal?.removeEventListener('abort', command.onAbort)
      if (!command.settled) {
        command.settled = true
        command.reject(error)
      }
      command.body?.fail(error)
    }
  }
}
