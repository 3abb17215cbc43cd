import { UndecodableMessage, type RpcMessage } from './protocol'
import { BaseTransport, consoleLogger, type RpcLogger, type RpcTransport } from './transport'
import { decodeFrame, encodeFrame, encodeFrameParts } from './ws-codec'

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
}

/** Normal closure (RFC 6455 §7.4.1). */
const CLOSE_NORMAL = 1000

class WebSocketTransport extends BaseTransport {
  private readonly queue: (string | Uint8Array<ArrayBuffer>)[] = []
  private readonly maxQueued: number
  private readonly beforeSend: (() => void) | undefined
  private readonly sendParts: ((parts: readonly Uint8Array[]) => void) | undefined

  constructor(
    private readonly socket: WebSocketLike,
    opts: WebSocketTransportOptions,
  ) {
    super(opts.logger ?? consoleLogger)
    this.maxQueued = opts.maxQueued ?? 1000
    this.beforeSend = opts.beforeSend
    this.sendParts = opts.sendParts
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
      this.beforeSend?.()
      if (typeof parts === 'string') this.socket.send(parts)
      else this.sendParts(parts)
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

  protected closeNow(): void {
    this.socket.close(CLOSE_NORMAL, 'rpc closed')
  }

  protected detach(): void {
    this.queue.length = 0
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
    const decoded = decodeFrame(event.data)
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
