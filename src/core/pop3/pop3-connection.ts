/**
 * One POP3 connection: sends one command at a time and reads its answer through the ResponseReader.
 * Owns the idle timeout, cancellation and the rule that a broken connection breaks every waiting and
 * future command with the same MailError (no command ever resolves from a half-read answer).
 */
import type { Socket } from 'node:net'
import { MailError } from '../../shared/errors'
import { BodyStream } from './body-stream'
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

/** The command in flight: its answer may still be in the status line or in the body. */
interface Active {
  /** The status line was delivered (resolved) or the command was rejected. */
  settled: boolean
  body: BodyStream | undefined
  /** Ends the command and lets the next one run; idempotent. */
  finish(): void
  /** Fails the command wherever it is: rejects the status promise or the body stream. */
  reject(error: MailError): void
}

/** An answer: the status line, plus the body stream for a `+OK` to a multi-line command. */
export interface Pop3Response {
  status: Pop3Status
  body?: BodyStream
}

export interface SendOptions {
  signal?: AbortSignal | undefined
  /** Override the idle timeout for this answer (the greeting uses the connect timeout). */
  timeoutMs?: number
  /**
   * Write the command at once, before the answers of earlier commands are read (RFC 2449 §6.6, only when
   * the server announced PIPELINING). Its answer is still read in call order. The caller must read or
   * abandon every pipelined answer: one left unread would be taken for the answer of a later command.
   */
  pipelined?: boolean
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
  private lock: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | undefined
  private waitingVerb = ''
  private active: Active | undefined

  private constructor(
    private socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly idleMs: number,
    public secure: boolean,
  ) {
    this.attach(socket)
  }

  /** Opens the socket (TCP or implicit TLS). The caller reads the greeting next with `send(undefined)`. */
  static async open(opts: OpenSocketOptions & { idleMs: number }): Promise<Pop3Connection> {
    const socket = await openSocket(opts)
    return new Pop3Connection(socket, opts.host, opts.port, opts.idleMs, opts.secure)
  }

  /** Set once the connection is unusable; every later command rejects with it. */
  get broken(): MailError | undefined {
    return this.failure
  }

  /**
   * Sends `line` (or nothing, to read the greeting) and resolves with the answer. For `multiline`, a `+OK`
   * comes with a body stream that must be consumed (or abandoned) before the next command runs.
   */
  async send(line: string | undefined, multiline: boolean, opts: SendOptions = {}): Promise<Pop3Response> {
    const previous = this.lock
    let release!: () => void
    this.lock = new Promise<void>((resolve) => (release = resolve))
    const early = opts.pipelined === true && line !== undefined && !this.failure
    if (early) this.socket.write(`${line}\r\n`)
    await previous
    if (this.failure) {
      release()
      throw this.failure
    }
    const signal = opts.signal
    if (signal?.aborted) {
      // A command already written has an answer coming that nobody would read: the connection must go.
      if (early) this.fail(cancelledError())
      release()
      throw cancelledError()
    }
    const onAbort = (): void => this.fail(cancelledError())
    signal?.addEventListener('abort', onAbort, { once: true })
    // Only the verb goes into errors: arguments may be a password or a SASL response.
    this.waitingVerb = line === undefined ? 'greeting' : (line.split(' ')[0] ?? '').toUpperCase()
    return new Promise<Pop3Response>((resolve, reject) => {
      const active: Active = {
        settled: false,
        body: undefined,
        finish: () => {
          if (this.active !== active) return
          this.active = undefined
          signal?.removeEventListener('abort', onAbort)
          this.disarm()
          release()
        },
        reject: (e) => {
          if (!active.settled) reject(e)
          active.settled = true
          active.body?.fail(e)
          active.finish()
        },
      }
      this.active = active
      const handler: ResponseHandler = {
        status: (text) => {
          const status = parseStatus(text)
          if (!status)
            throw new Pop3ProtocolError(`unexpected answer to ${this.waitingVerb}: ${text.slice(0, 80)}`)
          active.settled = true
          if (!(multiline && status.ok)) {
            active.finish()
            return resolve({ status })
          }
          active.body = new BodyStream({
            pause: () => {
              this.socket.pause()
              this.disarm()
            },
            resume: () => this.resumeReading(),
            abandon: () => this.resumeReading(),
          })
          resolve({ status, body: active.body })
        },
        body: (chunk) => active.body?.push(chunk),
        end: () => {
          active.finish()
          active.body?.end()
        },
      }
      if (line !== undefined && !early) this.socket.write(`${line}\r\n`)
      this.arm(opts.timeoutMs)
      try {
        this.reader.expect(multiline, handler)
      } catch (e) {
        this.fail(protocolError(this.host, e instanceof Error ? e.message : String(e)))
      }
    })
  }

  /**
   * Replaces the plain socket by TLS after `+OK` to STLS. RFC 2595 §4 / RFC 2449: bytes the server sent
   * before the handshake could be injected by an attacker, so their presence is an error.
   */
  async upgrade(opts: { ca?: string | string[]; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    if (this.failure) throw this.failure
    if (this.reader.busy || this.reader.pendingBytes > 0) {
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

  private resumeReading(): void {
    if (this.failure) return
    this.socket.resume()
    this.arm()
  }

  private arm(ms = this.idleMs): void {
    this.disarm()
    this.timer = setTimeout(() => this.fail(timeoutError(this.host, `waiting for ${this.waitingVerb}`)), ms)
  }

  private disarm(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Breaks the connection once: destroys the socket and fails whatever waits. */
  private fail(error: MailError): void {
    if (this.failure) return
    this.failure = error
    this.disarm()
    this.detach(this.socket)
    // Keep a listener: a late 'error' from a destroyed socket must not crash the process.
    this.socket.on('error', () => undefined)
    this.socket.destroy()
    this.reader.reset()
    this.active?.reject(error)
  }
}
