import type { EventData, EventName, MethodName, ParamsOf, ResultOf } from '../../../shared/contract'
import { MailError, type MailErrorData } from '../../../shared/errors'
import { resolveCoreEndpoint } from '../core-link/core-endpoint'
import type { WorkerCommand } from './commands'
import type { CoreInfo, FromWorker, ToWorker } from './worker-protocol'

export interface CoreLinkState {
  state: 'connecting' | 'connected' | 'disconnected'
  /** Only the writer syncs and writes the store; other windows read what it writes. */
  role: 'writer' | 'reader'
  info?: CoreInfo
  error?: MailErrorData
  /** The last sync could not save mail for lack of room (DISK_FULL); cleared by one that could. */
  storeFull?: MailErrorData
}

type Pending = {
  resolve: (value: unknown) => void
  reject: (error: MailError) => void
  onProgress?: (progress: unknown) => void
}

/**
 * The page's handle on its sync worker: one per page. The worker owns the core connection (and the store
 * writes); the page calls core through it and hears core's events from it, so nothing network-shaped ever
 * runs on the UI thread.
 */
export class WorkerLink {
  private worker: Worker | undefined
  /** What the page sent before start(): the worker gets it, in order, once it runs. */
  private readonly queued: { msg: ToWorker; transfer: Transferable[] }[] = []
  private disposed = false
  private readonly pending = new Map<number, Pending>()
  private readonly stateListeners = new Set<() => void>()
  private readonly eventListeners = new Map<EventName, Set<(data: unknown) => void>>()
  private nextId = 1
  private current: CoreLinkState = { state: 'connecting', role: 'reader' }

  /**
   * The worker itself starts with start(): calls and commands made before wait for it. The core endpoint is
   * found now (the web host's token leaves the address bar at once).
   */
  constructor() {
    resolveCoreEndpoint()
      .then((endpoint) =>
        this.post({ type: 'connect', endpoint }, endpoint.kind === 'port' ? [endpoint.port] : []),
      )
      .catch((error: unknown) => {
        const data: MailErrorData =
          error instanceof MailError
            ? error.toJSON()
            : { code: 'INTERNAL', message: 'Could not find the mail engine.' }
        this.setState({ ...this.current, state: 'disconnected', error: data })
      })
  }

  /**
   * Starts the worker (once). The page starts it once the first screen is drawn (main.tsx): loading and
   * evaluating its bundle, connecting to core and its first store reads would otherwise share the machine
   * with the page's own first reads and render.
   */
  start(): void {
    if (this.worker || this.disposed) return
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'sync' })
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data)
    this.worker = worker
    for (const { msg, transfer } of this.queued.splice(0)) worker.postMessage(msg, transfer)
  }

  get state(): CoreLinkState {
    return this.current
  }

  /** For useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Calls a core method through the worker; rejects with the core's MailError. */
  callCore<M extends MethodName>(method: M, params: ParamsOf<M>, signal?: AbortSignal): Promise<ResultOf<M>> {
    const id = this.nextId++
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as ResultOf<M>), reject })
      signal?.addEventListener('abort', () => this.post({ type: 'core-cancel', id }), { once: true })
      this.post({ type: 'core-call', id, method, params })
    })
  }

  /** Asks the sync worker to act (flag, move, sync now…); rejects with a MailError the UI can show. */
  command(
    command: WorkerCommand,
    onProgress?: (progress: unknown) => void,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress })
      signal?.addEventListener('abort', () => this.post({ type: 'command-cancel', id }), { once: true })
      this.post({ type: 'command', id, command })
    })
  }

  onCoreEvent<E extends EventName>(name: E, listener: (data: EventData<E>) => void): () => void {
    const set = this.eventListeners.get(name) ?? new Set()
    this.eventListeners.set(name, set)
    const entry = (data: unknown): void => listener(data as EventData<E>)
    set.add(entry)
    return () => set.delete(entry)
  }

  dispose(): void {
    this.disposed = true
    this.worker?.terminate()
    this.queued.length = 0
    for (const p of this.pending.values())
      p.reject(new MailError('TRANSPORT_CLOSED', 'The window is closing.'))
    this.pending.clear()
  }

  private post(msg: ToWorker, transfer: Transferable[] = []): void {
    if (this.worker) this.worker.postMessage(msg, transfer)
    else if (!this.disposed) this.queued.push({ msg, transfer })
  }

  private setState(next: CoreLinkState): void {
    this.current = next
    for (const l of this.stateListeners) l()
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'core-state':
        this.setState({
          role: this.current.role,
          storeFull: this.current.storeFull,
          state: msg.state,
          info: msg.info,
          error: msg.error,
        })
        return
      case 'store-full':
        this.setState({ ...this.current, storeFull: msg.error ?? undefined })
        return
      case 'role':
        this.setState({ ...this.current, role: msg.role })
        return
      case 'core-event':
        for (const l of this.eventListeners.get(msg.name) ?? []) l(msg.data)
        return
      case 'command-progress':
        this.pending.get(msg.id)?.onProgress?.(msg.progress)
        return
      case 'command-result':
      case 'core-result': {
        const pending = this.pending.get(msg.id)
        this.pending.delete(msg.id)
        if (!pending) return
        if (msg.ok) pending.resolve(msg.result)
        else pending.reject(MailError.from(msg.error))
      }
    }
  }
}
