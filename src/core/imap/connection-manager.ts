import type { ImapFlow } from 'imapflow'
import { MailError, type ErrorCode } from '../../shared/errors'
import { backoffDelay, sleep, type BackoffOptions } from './backoff'
import { closeQuietly, connectImap, type ConnectOptions } from './connect'
import { toMailError } from './errors'
import { idle, type FolderChange, type IdleHandle } from './idle'
import type { ImapLogSink } from './logger'
import type { ImapAccountConfig } from './types'

/** Errors retrying cannot fix: the user has to change something first. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'TLS_REQUIRED',
  'HOST_NOT_FOUND',
  'CAPABILITY_MISSING',
])

/** True when retrying the same thing later may succeed. */
export function isTransient(err: MailError): boolean {
  return !PERMANENT.has(err.code)
}

export interface ConnectionManagerOptions {
  /** Used in logs only. */
  accountId: string
  config: ImapAccountConfig
  /** Command connections (IDLE watchers come on top, one each). Default 2. */
  maxConnections?: number
  /** Connection attempts per `run` before its error is thrown. Default 3. */
  connectAttempts?: number
  backoff?: BackoffOptions
  log?: ImapLogSink
  /** Replaces connectImap (tests). */
  connect?: (config: ImapAccountConfig, opts: ConnectOptions) => Promise<ImapFlow>
}

/** State of an IDLE watcher, for the account's status line. */
export type WatchState =
  | { state: 'watching' }
  | { state: 'reconnecting'; error: MailError; retryInMs: number }
  | { state: 'failed'; error: MailError }

export interface Watcher {
  /** Resolves when IDLE first runs; rejects when the first connection failed for good. */
  readonly ready: Promise<void>
  stop(): Promise<void>
}

interface Slot {
  client: ImapFlow | undefined
  connecting: Promise<ImapFlow> | undefined
  busy: number
}

/**
 * The IMAP connections of ONE account: up to `maxConnections` command connections, opened lazily and reused,
 * plus one dedicated connection per IDLE watcher. A dead connection is replaced on next use; connecting
 * retries transient failures with capped exponential backoff + jitter. Managers share nothing (no locks, no
 * pools), so one account's dead server never delays another account.
 */
export class ImapConnectionManager {
  private readonly slots: Slot[]
  private readonly watchers = new Set<Watcher>()
  private readonly abort = new AbortController()

  constructor(private readonly opts: ConnectionManagerOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.maxConnections ?? 2) }, () => ({
      client: undefined,
      connecting: undefined,
      busy: 0,
    }))
  }

  get closed(): boolean {
    return this.abort.signal.aborted
  }

  /** Live command connections (for tests and diagnostics). */
  get openConnections(): number {
    return this.slots.filter((s) => s.client !== undefined && isLive(s.client)).length
  }

  /**
   * Runs `fn` on a command connection (least busy first). Errors arrive as MailError; a connection that died
   * is dropped so the next call reconnects. Operations are not retried here: the caller knows whether
   * repeating one is safe (the actions in this folder are idempotent, so the sync worker may).
   */
  async run<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const slot = this.pick()
    slot.busy++
    try {
      const client = await this.clientFor(slot)
      try {
        return await fn(client)
      } catch (err) {
        if (!isLive(client)) slot.client = undefined
        throw toMailError(err, { host: this.opts.config.host, port: this.opts.config.port }, client)
      }
    } finally {
      slot.busy--
    }
  }

  /** Like run, for an async iterator such as fetchHeaders; the connection is held until it finishes. */
  async *stream<T>(fn: (client: ImapFlow) => AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const slot = this.pick()
    slot.busy++
    try {
      const client = await this.clientFor(slot)
      try {
        yield* fn(client)
      } catch (err) {
        if (!isLive(client)) slot.client = undefined
        throw toMailError(err, { host: this.opts.config.host, port: this.opts.config.port }, client)
      }
    } finally {
      slot.busy--
    }
  }

  /**
   * Watches a folder (normally INBOX) with IDLE on its own connection and keeps doing so across connection
   * losses, reconnecting with backoff. After each (re)start `onState({ state: 'watching' })` fires: changes
   * may have been missed while disconnected, so the sync worker should run syncFolder then.
   */
  watch(folder: string, onChange: (c: FolderChange) => void, onState?: (s: WatchState) => void): Watcher {
    const stopCtl = new AbortController()
    const signal = AbortSignal.any([stopCtl.signal, this.abort.signal])
    let current: { client: ImapFlow; handle: IdleHandle | undefined } | undefined
    let markReady: () => void = () => undefined
    let failReady: (e: MailError) => void = () => undefined
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)))
    ready.catch(() => undefined)
    const loop = async (): Promise<void> => {
      for (let attempt = 0; !signal.aborted;) {
        let error: MailError
        try {
          const client = await this.connect({ maxIdleTime: 20 * 60_000 })
          current = { client, handle: undefined }
          if (signal.aborted) break
          current.handle = await idle(client, folder, onChange)
          attempt = 0
          onState?.({ state: 'watching' })
          markReady()
          await current.handle.done
          if (signal.aborted) break
          error = new MailError('NETWORK', 'The connection was closed.', 'IDLE ended')
        } catch (err) {
          error = toMailError(err, { host: this.opts.config.host, port: this.opts.config.port })
        }
        if (current) await closeQuietly(current.client, 500)
        current = undefined
        if (signal.aborted) break
        if (!isTransient(error)) {
          onState?.({ state: 'failed', error })
          failReady(error)
          return
        }
        const retryInMs = backoffDelay(attempt++, this.opts.backoff)
        onState?.({ state: 'reconnecting', error, retryInMs })
        await sleep(retryInMs, signal)
      }
    }
    // A throwing listener must never become an unhandled rejection: in the web host or Electron's main
    // process that would take the whole core down with it.
    const running = loop().catch((err: unknown) => {
      const code = err instanceof MailError ? err.code : undefined
      this.opts.log?.({
        level: 'error',
        module: 'imap',
        msg: 'IDLE watcher stopped on an unexpected error',
        ...(code ? { code } : {}),
        account: this.opts.accountId,
      })
    })
    const watcher: Watcher = {
      ready,
      stop: async () => {
        stopCtl.abort()
        const c = current
        if (c) {
          await c.handle?.stop()
          await closeQuietly(c.client, 500)
        }
        await running
        this.watchers.delete(watcher)
      },
    }
    this.watchers.add(watcher)
    return watcher
  }

  /** Stops every watcher and logs out of every connection. Idempotent. */
  async close(): Promise<void> {
    this.abort.abort()
    await Promise.all([...this.watchers].map((w) => w.stop()))
    const clients = this.slots.map((s) => s.client).filter((c): c is ImapFlow => c !== undefined)
    this.slots.forEach((s) => (s.client = undefined))
    await Promise.all(clients.map((c) => closeQuietly(c)))
  }

  private pick(): Slot {
    if (this.closed) throw new MailError('CANCELLED', 'This account was closed.', this.opts.accountId)
    // Prefer an idle live connection, then an idle empty slot, then the least busy one.
    const free = (s: Slot): boolean => s.busy === 0
    return (
      this.slots.find((s) => free(s) && s.client !== undefined && isLive(s.client)) ??
      this.slots.find(free) ??
      this.slots.reduce((a, b) => (b.busy < a.busy ? b : a))
    )
  }

  private async clientFor(slot: Slot): Promise<ImapFlow> {
    if (slot.client !== undefined && isLive(slot.client)) return slot.client
    slot.client = undefined
    slot.connecting ??= this.connectWithRetry().finally(() => (slot.connecting = undefined))
    const client = await slot.connecting
    if (this.closed) {
      await closeQuietly(client)
      throw new MailError('CANCELLED', 'This account was closed.', this.opts.accountId)
    }
    slot.client = client
    return client
  }

  private async connectWithRetry(): Promise<ImapFlow> {
    const attempts = Math.max(1, this.opts.connectAttempts ?? 3)
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connect({})
      } catch (err) {
        const error = toMailError(err, { host: this.opts.config.host, port: this.opts.config.port })
        if (!isTransient(error) || attempt + 1 >= attempts || this.closed) throw error
        await sleep(backoffDelay(attempt, this.opts.backoff), this.abort.signal)
      }
    }
  }

  private connect(extra: ConnectOptions): Promise<ImapFlow> {
    const connect = this.opts.connect ?? connectImap
    return connect(this.opts.config, { log: this.opts.log, accountId: this.opts.accountId, ...extra })
  }
}

function isLive(client: ImapFlow): boolean {
  return !client.isClosed && client.usable
}
