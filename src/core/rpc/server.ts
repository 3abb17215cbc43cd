import {
  chunkSchemaOf,
  isMethodName,
  methodSpec,
  eventSchema,
  type ChunkOf,
  type EventData,
  type EventName,
  type MethodName,
  type ParsedParamsOf,
  type ResultOf,
} from '../../shared/contract'
import { MailError, type MailErrorData } from '../../shared/errors'
import {
  errorMessage,
  parseEnvelope,
  summarizeZodError,
  type EventMessage,
  type RequestMessage,
} from '../../shared/rpc/protocol'
import { consoleLogger, type Disposable, type RpcLogger, type RpcTransport } from '../../shared/rpc/transport'

export interface HandlerContext<M extends MethodName> {
  /** Aborted when the caller cancels or its connection closes: stop work and let the promise settle. */
  signal: AbortSignal
  /**
   * Streams one chunk to the caller (validated against the contract first). Chunk bytes are handed over:
   * do not reuse a `Uint8Array` after sending it.
   * @throws MailError CANCELLED once the call was aborted, so a loop that only sends still stops.
   */
  sendChunk(chunk: ChunkOf<M>): void
  connectionId: string
}

export type Handler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  ctx: HandlerContext<M>,
) => Promise<ResultOf<M>>

/** One handler per contract method; a missing one is a compile error. */
export type HandlerMap = { [M in MethodName]: Handler<M> }

export interface ConnectionInfo {
  id: string
  /** Sends an event to this connection only (e.g. a greeting). */
  emit<E extends EventName>(event: E, data: EventData<E>): void
}

export interface RpcServerOptions {
  logger?: RpcLogger
  /** Called for every newly attached connection. */
  onConnect?: (connection: ConnectionInfo) => void
  /** Called once when a connection is gone (its transport closed or it was detached). */
  onDisconnect?: (connectionId: string) => void
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside the mail engine. Try again; if it keeps happening, restart the app.'

const cancelled = (): MailError => new MailError('CANCELLED', 'The operation was cancelled.')

interface Connection {
  id: string
  transport: RpcTransport
  inFlight: Map<number, AbortController>
  subscriptions: Disposable[]
}

/**
 * Core's side of the contract: validates every request, runs its handler, validates what the handler returns,
 * and maps every failure to a `MailError` for the caller. Nothing a peer sends can throw out of here.
 */
export class RpcServer {
  private readonly connections = new Map<string, Connection>()
  private readonly logger: RpcLogger
  private nextConnection = 1

  constructor(
    private readonly handlers: HandlerMap,
    private readonly opts: RpcServerOptions = {},
  ) {
    this.logger = opts.logger ?? consoleLogger
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /**
   * Serves one connection until its transport closes or the returned disposable is disposed (which aborts its
   * in-flight handlers but leaves closing the transport to the owner).
   */
  attach(transport: RpcTransport): Disposable {
    const conn: Connection = {
      id: `c${this.nextConnection++}`,
      transport,
      inFlight: new Map(),
      subscriptions: [],
    }
    this.connections.set(conn.id, conn)
    const detach = (): void => {
      if (!this.connections.delete(conn.id)) return
      for (const controller of conn.inFlight.values()) controller.abort(cancelled())
      conn.inFlight.clear()
      for (const sub of conn.subscriptions) sub.dispose()
      this.safely('onDisconnect', () => this.opts.onDisconnect?.(conn.id))
    }
    conn.subscriptions.push(
      transport.onMessage((raw) => this.handleMessage(conn, raw)),
      transport.onClose(() => detach()),
    )
    if (this.connections.has(conn.id)) {
      const emit = <E extends EventName>(event: E, data: EventData<E>): void => this.emitTo(conn, event, data)
      this.safely('onConnect', () => this.opts.onConnect?.({ id: conn.id, emit }))
    }
    return { dispose: detach }
  }

  /** Broadcasts an event to every attached connection (validated once, against the contract). */
  emit<E extends EventName>(event: E, data: EventData<E>): void {
    const valid = this.validEvent(event, data)
    if (!valid) return
    for (const conn of this.connections.values()) conn.transport.send(valid)
  }

  /** Aborts all in-flight handlers and closes every attached transport. */
  close(): void {
    for (const conn of [...this.connections.values()]) conn.transport.close()
  }

  private emitTo<E extends EventName>(conn: Connection, event: E, data: EventData<E>): void {
    const valid = this.validEvent(event, data)
    if (valid) conn.transport.send(valid)
  }

  private validEvent(event: EventName, data: unknown): EventMessage | undefined {
    const parsed = eventSchema(event).safeParse(data)
    if (parsed.success) return { t: 'evt', name: event, data: parsed.data }
    this.logger.error('refused to emit invalid event', { event, detail: summarizeZodError(parsed.error) })
    return undefined
  }

  private handleMessage(conn: Connection, raw: unknown): void {
    const envelope = parseEnvelope(raw)
    if (!envelope.ok) {
      this.logger.warn('bad message', { connection: conn.id, detail: envelope.error.detail })
      if (envelope.requestId !== undefined) this.reply(conn, envelope.requestId, envelope.error.toJSON())
      return
    }
    const msg = envelope.message
    if (msg.t === 'req') return this.safely('request', () => this.handleRequest(conn, msg))
    if (msg.t === 'cancel') return void conn.inFlight.get(msg.id)?.abort(cancelled())
    this.logger.warn('unexpected message from client', { connection: conn.id, t: msg.t })
  }

  private handleRequest(conn: Connection, req: RequestMessage): void {
    if (conn.inFlight.has(req.id)) {
      return this.reply(conn, req.id, {
        code: 'BAD_MESSAGE',
        message: 'The mail engine received a message it could not understand.',
        detail: `request id ${req.id} is already in use`,
      })
    }
    if (!isMethodName(req.method)) {
      return this.reply(conn, req.id, {
        code: 'UNKNOWN_METHOD',
        message: 'The mail engine does not support this request. Update or restart the app.',
        detail: `unknown method ${JSON.stringify(req.method.slice(0, 100))}`,
      })
    }
    const params = methodSpec(req.method).params.safeParse(req.params)
    if (!params.success) {
      return this.reply(conn, req.id, {
        code: 'INVALID_PARAMS',
        message: 'The request to the mail engine was not valid.',
        detail: `${req.method}: ${summarizeZodError(params.error)}`,
      })
    }
    const controller = new AbortController()
    conn.inFlight.set(req.id, controller)
    void this.run(conn, req.id, req.method, params.data, controller)
  }

  private async run<M extends MethodName>(
    conn: Connection,
    id: number,
    method: M,
    params: ParsedParamsOf<M>,
    controller: AbortController,
  ): Promise<void> {
    const { signal } = controller
    const chunkSchema = chunkSchemaOf(method)
    let done = false
    const sendChunk = (chunk: ChunkOf<M>): void => {
      if (signal.aborted) throw cancelled()
      if (done) return this.logger.warn('chunk after the call ended was dropped', { method })
      if (!chunkSchema) {
        throw new MailError(
          'INVALID_RESULT',
          INTERNAL_ERROR_MESSAGE,
          `${method} chunk: method does not stream`,
        )
      }
      // Not checked against the schema here: the client checks every chunk and ends the call (cancelling it
      // here) on one that fails. Checking twice cost ~80 ms of core's CPU in a 10k header pass, where core's
      // one thread is what the pass waits for (bench/imap-store-profile.ts).
      conn.transport.send({ t: 'chunk', id, data: chunk })
    }
    let outcome: { ok: true; result: unknown } | { ok: false; error: MailErrorData }
    try {
      const handler: Handler<M> = this.handlers[method]
      const value = await handler(params, { signal, sendChunk, connectionId: conn.id })
      const result = methodSpec(method).result.safeParse(value)
      outcome = result.success
        ? { ok: true, result: result.data }
        : { ok: false, error: this.invalidResult(method, summarizeZodError(result.error)) }
    } catch (error) {
      outcome = { ok: false, error: this.toErrorData(method, error) }
    }
    done = true
    // A connection that went away has nobody to answer; a cancelled call is answered CANCELLED whatever
    // the handler did, so the caller never sees a result it gave up on.
    if (conn.inFlight.get(id) !== controller) return
    conn.inFlight.delete(id)
    if (signal.aborted) outcome = { ok: false, error: cancelled().toJSON() }
    if (outcome.ok) conn.transport.send({ t: 'res', id, ok: true, result: outcome.result })
    else this.reply(conn, id, outcome.error)
  }

  private invalidResult(method: MethodName, detail: string): MailErrorData {
    this.logger.error('handler returned an invalid result', { method, detail })
    return { code: 'INVALID_RESULT', message: INTERNAL_ERROR_MESSAGE, detail: `${method} result: ${detail}` }
  }

  private toErrorData(method: MethodName, error: unknown): MailErrorData {
    if (error instanceof MailError) return error.toJSON()
    // Stacks and library messages can name paths, hosts or worse: they go to the log, never to the caller.
    this.logger.error('handler crashed', {
      method,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
    return { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE }
  }

  private reply(conn: Connection, id: number, error: MailErrorData): void {
    conn.transport.send(errorMessage(id, error))
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.logger.error(`${what} failed`, { error: String(error) })
    }
  }
}
