import type { RpcMessage } from './protocol'

/** Anything that holds a listener, a port or a socket hands one of these back; `dispose` is idempotent. */
export interface Disposable {
  dispose(): void
}

/**
 * A bidirectional message pipe between two RPC peers. Transports move envelopes; they never interpret them.
 * Implementations must never throw out of their event callbacks and must report close exactly once.
 */
export interface RpcTransport {
  /** True once closed by either side; `send` then drops messages silently (the peer learns via `onClose`). */
  readonly closed: boolean
  /**
   * Queues one envelope for the peer. Ownership of `Uint8Array` chunk data passes to the transport: the
   * buffer may be transferred (detached) rather than copied.
   */
  send(msg: RpcMessage): void
  /** Every received frame, decoded but not validated (an `UndecodableMessage` when decoding failed). */
  onMessage(cb: (raw: unknown) => void): Disposable
  /** Called once when the pipe is gone, whoever closed it. Called at once if already closed. */
  onClose(cb: (reason?: string) => void): Disposable
  close(): void
}

/** Structured, by module. Implementations must never receive passwords, tokens or message bodies. */
export interface RpcLogger {
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** One line of text: browser consoles, as collected by tests and logs, print an object as [object Object]. */
function line(message: string, fields: Record<string, unknown> | undefined): string {
  if (!fields) return `[rpc] ${message}`
  let text: string
  try {
    text = JSON.stringify(fields)
  } catch {
    text = String(fields)
  }
  return `[rpc] ${message} ${text.length > 2000 ? `${text.slice(0, 2000)}…` : text}`
}

export const consoleLogger: RpcLogger = {
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
}

/** A set of callbacks where one throwing callback can neither break the others nor the caller. */
export class ListenerSet<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>()

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  add(cb: (...args: A) => void): Disposable {
    // Wrapped so the same function added twice gets two independent subscriptions.
    const entry = (...args: A): void => cb(...args)
    this.listeners.add(entry)
    return { dispose: () => void this.listeners.delete(entry) }
  }

  fire(...args: A): void {
    for (const cb of [...this.listeners]) {
      try {
        cb(...args)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }

  get size(): number {
    return this.listeners.size
  }
}

/**
 * The bookkeeping every transport shares: listener sets and close-exactly-once. Subclasses implement the wire
 * (`sendNow`, `closeNow`) and call `deliver` / `markClosed` from their event handlers.
 */
export abstract class BaseTransport implements RpcTransport {
  private readonly messageListeners: ListenerSet<[unknown]>
  private readonly closeListeners: ListenerSet<[string | undefined]>
  private closeReason: string | undefined
  private isClosed = false

  constructor(protected readonly logger: RpcLogger = consoleLogger) {
    const report = (error: unknown): void =>
      logger.error('transport listener threw', { error: String(error) })
    this.messageListeners = new ListenerSet(report)
    this.closeListeners = new ListenerSet(report)
  }

  get closed(): boolean {
    return this.isClosed
  }

  send(msg: RpcMessage): void {
    if (this.isClosed) return
    try {
      this.sendNow(msg)
    } catch (error) {
      // A failed send (socket torn down between checks, uncloneable data) must surface as a close or be
      // logged, never as an exception inside a peer's message handler.
      this.logger.error('transport send failed', { t: msg.t, error: String(error) })
    }
  }

  onMessage(cb: (raw: unknown) => void): Disposable {
    return this.messageListeners.add(cb)
  }

  onClose(cb: (reason?: string) => void): Disposable {
    if (this.isClosed) {
      cb(this.closeReason)
      return { dispose: () => undefined }
    }
    return this.closeListeners.add(cb)
  }

  close(): void {
    if (this.isClosed) return
    try {
      this.closeNow()
    } catch (error) {
      this.logger.warn('transport close failed', { error: String(error) })
    }
    this.markClosed('closed locally')
  }

  protected deliver(raw: unknown): void {
    if (!this.isClosed) this.messageListeners.fire(raw)
  }

  protected markClosed(reason?: string): void {
    if (this.isClosed) return
    this.isClosed = true
    this.closeReason = reason
    this.closeListeners.fire(reason)
    this.closeListeners.clear()
    this.messageListeners.clear()
    this.detach()
  }

  protected abstract sendNow(msg: RpcMessage): void
  protected abstract closeNow(): void
  /** Removes the transport's own listeners from the underlying port or socket. */
  protected abstract detach(): void
}
