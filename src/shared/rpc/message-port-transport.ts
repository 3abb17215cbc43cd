import { forPosting } from './binary-parts'
import { UndecodableMessage, type RpcMessage } from './protocol'
import { BaseTransport, consoleLogger, type RpcLogger, type RpcTransport } from './transport'

/**
 * Message ports carry envelopes as structured clones, so `Uint8Array`s arrive as `Uint8Array`s without any
 * framing. Three port flavours differ only in how they deliver events; each gets a small structural type so
 * shared code imports neither the DOM, Node nor Electron.
 */

interface MessageEventLike {
  data: unknown
}

/** A DOM `MessagePort` (window, Web Worker, Electron renderer). */
export interface DomPortLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void
  addEventListener(type: 'message' | 'messageerror', listener: (event: MessageEventLike) => void): void
  removeEventListener(type: 'message' | 'messageerror', listener: (event: MessageEventLike) => void): void
  start(): void
  close(): void
}

/** A Node `worker_threads` `MessagePort`: the payload itself is the event argument. */
export interface NodePortLike {
  postMessage(value: unknown, transferList?: readonly ArrayBuffer[]): void
  on(event: 'message', listener: (value: unknown) => void): unknown
  on(event: 'close', listener: () => void): unknown
  off(event: 'message', listener: (value: unknown) => void): unknown
  off(event: 'close', listener: () => void): unknown
  close(): void
}

/** Electron's `MessagePortMain`: an EventEmitter whose message events wrap the payload in `{ data }`. */
export interface EventEmitterPortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: MessageEventLike) => void): unknown
  on(event: 'close', listener: () => void): unknown
  off(event: 'message', listener: (event: MessageEventLike) => void): unknown
  off(event: 'close', listener: () => void): unknown
  start(): void
  close(): void
}

export interface PortTransportOptions {
  logger?: RpcLogger
  /**
   * Transfer (detach) the buffers of `Uint8Array` chunk data instead of copying them. Only whole-buffer views
   * are transferred. Default true; the sender hands chunk bytes over when it sends them.
   */
  transferChunks?: boolean
}

type Post = (msg: unknown, transfer: ArrayBuffer[]) => void

class PortTransport extends BaseTransport {
  constructor(
    private readonly post: Post,
    private readonly closePort: () => void,
    private readonly unlisten: () => void,
    private readonly transferChunks: boolean,
    logger: RpcLogger,
  ) {
    super(logger)
  }

  receive = (data: unknown): void => this.deliver(data)
  receiveError = (): void => this.deliver(new UndecodableMessage('message could not be deserialized'))
  portClosed = (): void => this.markClosed('port closed')

  protected sendNow(msg: RpcMessage): void {
    // Only chunk bytes are handed over by their sender; bytes in params, results and events stay theirs.
    const { value, transfer } = forPosting(msg, this.transferChunks && msg.t === 'chunk')
    if (transfer.length === 0) return this.post(value, [])
    try {
      this.post(value, transfer)
    } catch {
      // Some buffers cannot be transferred (e.g. marked untransferable by the runtime); copying still works.
      this.post(value, [])
    }
  }

  protected closeNow(): void {
    this.closePort()
  }

  protected detach(): void {
    this.unlisten()
  }
}

/**
 * Transport over a DOM `MessagePort` (and a Worker-side port). Starts the port. DOM ports have no reliable
 * close event across browsers, so the peer's disappearance surfaces only through call timeouts.
 */
export function fromDomPort(port: DomPortLike, opts: PortTransportOptions = {}): RpcTransport {
  const onMessage = (event: MessageEventLike): void => transport.receive(event.data)
  const onMessageError = (): void => transport.receiveError()
  const transport = new PortTransport(
    (msg, transfer) => port.postMessage(msg, transfer),
    () => port.close(),
    () => {
      port.removeEventListener('message', onMessage)
      port.removeEventListener('messageerror', onMessageError)
    },
    opts.transferChunks ?? true,
    opts.logger ?? consoleLogger,
  )
  port.addEventListener('message', onMessage)
  port.addEventListener('messageerror', onMessageError)
  port.start()
  return transport
}

/** Transport over a Node `worker_threads` `MessagePort`; `on('message')` starts the port by itself. */
export function fromNodePort(port: NodePortLike, opts: PortTransportOptions = {}): RpcTransport {
  const onMessage = (value: unknown): void => transport.receive(value)
  const onClose = (): void => transport.portClosed()
  const transport = new PortTransport(
    (msg, transfer) => port.postMessage(msg, transfer),
    () => port.close(),
    () => {
      port.off('message', onMessage)
      port.off('close', onClose)
    },
    opts.transferChunks ?? true,
    opts.logger ?? consoleLogger,
  )
  port.on('message', onMessage)
  port.on('close', onClose)
  return transport
}

/**
 * Transport over an Electron `MessagePortMain`. Starts the port. Its `postMessage` can only transfer other
 * ports, so chunk bytes are always copied.
 */
export function fromEventEmitterPort(
  port: EventEmitterPortLike,
  opts: Omit<PortTransportOptions, 'transferChunks'> = {},
): RpcTransport {
  const onMessage = (event: MessageEventLike): void => transport.receive(event.data)
  const onClose = (): void => transport.portClosed()
  const transport = new PortTransport(
    (msg) => port.postMessage(msg),
    () => port.close(),
    () => {
      port.off('message', onMessage)
      port.off('close', onClose)
    },
    false,
    opts.logger ?? consoleLogger,
  )
  port.on('message', onMessage)
  port.on('close', onClose)
  port.start()
  return transport
}
