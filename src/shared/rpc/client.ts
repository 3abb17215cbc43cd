import {
  chunkSchemaOf,
  eventSchema,
  isEventName,
  methodSpec,
  type ChunkOf,
  type EventData,
  type EventName,
  type MethodName,
  type ParamsOf,
  type ResultOf,
} from '../contract'
import { MailError } from '../errors'
import { parseEnvelope, summarizeZodError, type RpcMessage } from './protocol'
import { consoleLogger, ListenerSet, type Disposable, type RpcLogger, type RpcTransport } from './transport'

export interface CallOptions<M extends MethodName> {
  /** Aborting sends `cancel` to core and rejects the call with CANCELLED at once. */
  signal?: AbortSignal
  /** Stream chunks, in order, all before the call resolves. A throwing callback fails the call. */
  onChunk?: (chunk: ChunkOf<M>) => void
  /** Rejects with TIMEOUT (and cancels in core) when no result arrived in time. Default: none. */
  timeoutMs?: number
}

export interface RpcClientOptions {
  logger?: RpcLogger
}

interface Pending {
  method: MethodName
  resolve(result: unknown): void
  reject(error: MailError): void
  chunk(data: unknown): void
}

const closedError = (reason?: string): MailError =>
  new MailError(
    'TRANSPORT_CLOSED',
    'The connection to the mail engine was lost. Try again in a moment.',
    reason,
  )

const cancelledError = (): MailError => new MailError('CANCELLED', 'The operation was cancelled.')

/**
 * The caller's side of the contract. Every payload from core (results, chunks, events) is validated before
 * it reaches application code; every failure surfaces as a `MailError`.
 * @example
 * const rpc = new RpcClient(fromWebSocket(new WebSocket(url, 'harbor-rpc')))
 * const { total } = await rpc.call('debug.count', { to: 10 }, { onChunk: ({ i }) => progress(i) })
 */
export class RpcClient implements Disposable {
  private readonly pending = new Map<number, Pending>()
  private readonly events = new Map<EventName, ListenerSet<[unknown]>>()
  private readonly subscriptions: Disposable[]
  private readonly logger: RpcLogger
  private nextId = 1

  constructor(
    private readonly transport: RpcTransport,
    opts: RpcClientOptions = {},
  ) {
    this.logger = opts.logger ?? consoleLogger
    this.subscriptions = [
      transport.onMessage((raw) => this.handleMessage(raw)),
      transport.onClose((reason) => this.failAll(closedError(reason))),
    ]
  }

  get closed(): boolean {
    return this.transport.closed
  }

  /**
   * Calls a method in core. Params are validated here first, so a programming error fails fast without a
   * round trip.
   * @throws MailError: the handler's own code, or INVALID_PARAMS, INVALID_RESULT, CANCELLED, TIMEOUT,
   *   TRANSPORT_CLOSED, INTERNAL.
   */
  call<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    opts: CallOptions<M> = {},
  ): Promise<ResultOf<M>> {
    return new Promise<ResultOf<M>>((resolve, reject) => {
      if (this.transport.closed) return reject(closedError())
      if (opts.signal?.aborted) return reject(cancelledError())
      const spec = methodSpec(method)
      const parsedParams = spec.params.safeParse(params)
      if (!parsedParams.success) {
        const detail = `${method}: ${summarizeZodError(parsedParams.error)}`
        return reject(
          new MailError('INVALID_PARAMS', 'The request to the mail engine was not valid.', detail),
        )
      }
      const id = this.nextId++
      const chunkSchema = chunkSchemaOf(method)
      let timer: ReturnType<typeof setTimeout> | undefined
      const settle = (): void => {
        this.pending.delete(id)
        if (timer !== undefined) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
      }
      const abandon = (error: MailError): void => {
        settle()
        this.transport.send({ t: 'cancel', id })
        reject(error)
      }
      const onAbort = (): void => abandon(cancelledError())
      this.pending.set(id, {
        method,
        resolve: (raw) => {
          settle()
          const result = spec.result.safeParse(raw)
          if (result.success) resolve(result.data as ResultOf<M>)
          else reject(invalidResult(method, `result: ${summarizeZodError(result.error)}`))
        },
        reject: (error) => {
          settle()
          reject(error)
        },
        chunk: (raw) => {
          const chunk = chunkSchema?.safeParse(raw)
          if (!chunk?.success) {
            // A dropped or mangled chunk would corrupt the stream (a message body), so the whole call fails.
            const why = chunk ? summarizeZodError(chunk.error) : 'method does not stream'
            return abandon(invalidResult(method, `chunk: ${why}`))
          }
          try {
            opts.onChunk?.(chunk.data as ChunkOf<M>)
          } catch (error) {
            abandon(
              error instanceof MailError
                ? error
                : new MailError('INTERNAL', 'Receiving data failed.', String(error)),
            )
          }
        },
      })
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            abandon(
              new MailError('TIMEOUT', 'The mail engine did not answer in time.', `${method} timed out`),
            ),
          opts.timeoutMs,
        )
      }
      this.transport.send({ t: 'req', id, method, params: parsedParams.data })
    })
  }

  /** Subscribes to a core event. Events whose data fails the contract are dropped (and logged). */
  on<E extends EventName>(event: E, cb: (data: EventData<E>) => void): Disposable {
    let listeners = this.events.get(event)
    if (!listeners) {
      listeners = new ListenerSet((error) =>
        this.logger.error('event listener threw', { event, error: String(error) }),
      )
      this.events.set(event, listeners)
    }
    return listeners.add((data) => cb(data as EventData<E>))
  }

  /** Called once when the connection to core is gone. */
  onClose(cb: (reason?: string) => void): Disposable {
    return this.transport.onClose(cb)
  }

  /** Closes the transport; pending calls reject with TRANSPORT_CLOSED. */
  dispose(): void {
    this.transport.close()
    this.failAll(closedError('client disposed'))
    for (const sub of this.subscriptions) sub.dispose()
  }

  private handleMessage(raw: unknown): void {
    const envelope = parseEnvelope(raw)
    if (!envelope.ok) {
      this.logger.warn('dropped bad message from core', { detail: envelope.error.detail })
      return
    }
    const msg: RpcMessage = envelope.message
    switch (msg.t) {
      case 'res': {
        const pending = this.pending.get(msg.id)
        // Late answers (after cancel or timeout) are expected and harmless.
        if (!pending) return
        if (msg.ok) pending.resolve(msg.result)
        else pending.reject(MailError.from(msg.error))
        return
      }
      case 'chunk':
        this.pending.get(msg.id)?.chunk(msg.data)
        return
      case 'evt':
        return this.handleEvent(msg.name, msg.data)
      default:
        this.logger.warn('dropped unexpected message from core', { t: msg.t })
    }
  }

  private handleEvent(name: string, raw: unknown): void {
    if (!isEventName(name)) return this.logger.warn('dropped unknown event', { event: name.slice(0, 100) })
    const data = eventSchema(name).safeParse(raw)
    if (!data.success) {
      return this.logger.warn('dropped invalid event', { event: name, detail: summarizeZodError(data.error) })
    }
    this.events.get(name)?.fire(data.data)
  }

  private failAll(error: MailError): void {
    for (const pending of [...this.pending.values()]) pending.reject(error)
  }
}

function invalidResult(method: MethodName, detail: string): MailError {
  return new MailError(
    'INVALID_RESULT',
    'The mail engine sent an answer this app cannot use.',
    `${method} ${detail}`,
  )
}
