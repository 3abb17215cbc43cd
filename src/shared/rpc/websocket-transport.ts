import { UndecodableMessage, type RpcMessage } from './protocol'
import { BaseTransport, consoleLogger, type RpcLogger, type RpcTransport } from './transport'
import { decodeFrames, encodeBatch, encodeFrame, encodeFrameParts, textAsBinaryParts } from './ws-codec'

/** `WebSocket.CONNECTING` / `OPEN`; the same numbers in browsers and in `ws`. */
const CONNECTING = 0
const OPEN = 1

interface MessageEventLike {
  data: unknown
}
interface CloseEventLike {
  code: number
  reason: string
}

/**
 * The part of a WebSocket the RPC needs. Both the browser's `WebSocket` and the `ws` package's `WebSocket`
 * satisfy it, so shared code never names either.
 */
export interface WebSocketLike {
  readonly readyState: number
  binaryType: string
  send(data: string | Uint8Array<ArrayBuffer>): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void
  addEventListener(type: 'close', listener: (event: CloseEventLike) => void): void
  addEventListener(type: 'open' | 'error', listener: () => void): void
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void
  removeEventListener(type: 'close', listener: (event: CloseEventLike) => void): void
  removeEventListener(type: 'open' | 'error', listener: () => void): void
}

export interface WebSocketTransportOptions {
  logger?: RpcLogger
  /** Frames queued while the socket is still connecting; beyond this the connection is closed. */
  maxQueued?: number
  /** Called just before each frame is handed to the open socket (core batches its socket writes here). */
  beforeSend?: () => void
  /**
   * Sends one binary frame given in pieces (`encodeFrameParts`) as one message, without joining them: core's
   * `ws` writes them as fragments. Without it, pieces are joined into one frame (browsers cannot fragment).
   */
  sendParts?: (parts: readonly Uint8Array[]) => void
  /**
   * With `sendParts`: a small stream chunk waits up to `holdMs` for the ones after it, and the chunks waiting
   * leave together as one batch frame (ws-codec `encodeBatch`) once `maxBytes` wait or any other message is
   * sent (it goes last in the batch, so replies are never held). A message of `aloneBytes` or more goes as a
   * frame of its own after those waiting, its bytes not copied.
   */
  coalesce?: { holdMs: number; maxBytes: number; aloneBytes: number }
}

type Encoded = string | Uint8Array[]

const encodedSize = (e: Encoded): number =>
  typeof e === 'string' ? e.length : e.reduce((sum, p) => sum + p.byteLength, 0)

/** Normal closure (RFC 6455 §7.4.1). */
const CLOSE_NORMAL = 1000

class WebSocketTransport extends BaseTransport {
  private readonly queue: (string | Uint8Array<ArrayBuffer>)[] = []
  private readonly maxQueued: number
  private readonly beforeSend: (() => void) | undefined
  private readonly sendParts: ((parts: readonly Uint8Array[]) => void) | undefined
  private readonly coalesce: WebSocketTransportOptions['coalesce']
  private outbox: Encoded[] = []
  private outboxBytes = 0
  private flushTimer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly socket: WebSocketLike,
    opts: WebSocketTransportOptions,
  ) {
    super(opts.logger ?? consoleLogger)
    this.maxQueued = opts.maxQueued ?? 1000
    this.beforeSend = opts.beforeSend
    this.sendParts = opts.sendParts
    this.coalesce = opts.coalesce
    socket.binaryType = 'arraybuffer'
    socket.addEventListener('open', this.handleOpen)
    socket.addEventListener('message', this.handleMessage)
    socket.addEventListener('close', this.handleClose)
    // A failed socket also fires 'close'; listening here keeps `ws` from treating 'error' as unhandled.
    socket.addEventListener('error', this.handleError)
    if (socket.readyState > OPEN) queueMicrotask(() => this.markClosed('socket already closed'))
  }

  protected sendNow(msg: RpcMessage): void {
    if (this.sendParts && this.socket.readyState === OPEN) {
      const parts = encodeFrameParts(msg)
      const size = encodedSize(parts)
      if (!this.coalesce || size >= this.coalesce.aloneBytes) {
        this.flushOutbox()
        this.sendEncoded(parts, this.sendParts)
        return
      }
      this.outbox.push(parts)
      this.outboxBytes += size
      if (msg.t !== 'chunk' || this.outboxBytes >= this.coalesce.maxBytes) this.flushOutbox()
      else this.flushTimer ??= setTimeout(this.heldFlush, this.coalesce.holdMs)
      return
    }
    const frame = encodeFrame(msg)
    if (this.socket.readyState === CONNECTING) {
      if (this.queue.length >= this.maxQueued) {
        this.logger.error('websocket send queue overflow while connecting')
        this.close()
        return
      }
      this.queue.push(frame)
      return
    }
    if (this.socket.readyState === OPEN) {
      this.beforeSend?.()
      this.socket.send(frame)
    }
  }

  private sendEncoded(parts: Encoded, sendParts: (parts: readonly Uint8Array[]) => void): void {
    this.beforeSend?.()
    if (typeof parts === 'string') this.socket.send(parts)
    else sendParts(parts)
  }

  /** Sends what waits in the outbox: one message as it is, several as a batch frame. */
  private flushOutbox(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer)
      this.flushTimer = undefined
    }
    const waiting = this.outbox
    if (waiting.length === 0) return
    this.outbox = []
    this.outboxBytes = 0
    if (this.socket.readyState !== OPEN || !this.sendParts) return
    if (waiting.length === 1) return this.sendEncoded(waiting[0]!, this.sendParts)
    this.beforeSend?.()
    this.socket.send(encodeBatch(waiting.map((e) => (typeof e === 'string' ? textAsBinaryParts(e) : e))))
  }

  private readonly heldFlush = (): void => {
    this.flushTimer = undefined
    try {
      this.flushOutbox()
    } catch (error) {
      this.logger.error('transport send failed', { error: String(error) })
    }
  }

  protected closeNow(): void {
    // Chunks still held leave before the close frame.
    this.flushOutbox()
    this.socket.close(CLOSE_NORMAL, 'rpc closed')
  }

  protected detach(): void {
    this.queue.length = 0
    this.outbox = []
    this.outboxBytes = 0
    clearTimeout(this.flushTimer)
    this.socket.removeEventListener('open', this.handleOpen)
    this.socket.removeEventListener('message', this.handleMessage)
    this.socket.removeEventListener('close', this.handleClose)
    // The error listener stays: closing a socket that is still connecting makes `ws` emit 'error' afterwards,
    // and an EventEmitter 'error' nobody listens to would crash the process.
  }

  private readonly handleOpen = (): void => {
    for (const frame of this.queue.splice(0)) this.socket.send(frame)
  }

  private readonly handleMessage = (event: MessageEventLike): void => {
    for (const decoded of decodeFrames(event.data))
      this.deliver(decoded.ok ? decoded.value : new UndecodableMessage(decoded.reason))
  }

  private readonly handleClose = (event: CloseEventLike): void => {
    this.markClosed(`websocket closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`)
  }

  private readonly handleError = (): void => {
    if (!this.closed) this.logger.warn('websocket error')
  }
}

/**
 * An RPC transport over a WebSocket, connecting or open. Sets `binaryType` to 'arraybuffer'. Messages sent
 * while the socket is still connecting are queued and flushed on open.
 */
export function fromWebSocket(socket: WebSocketLike, opts: WebSocketTransportOptions = {}): RpcTransport {
  return new WebSocketTransport(socket, opts)
}
