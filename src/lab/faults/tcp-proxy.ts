import { createServer, connect, type Server, type Socket } from 'node:net'

export interface TcpProxyOptions {
  targetPort: number
  targetHost?: string
  /** Listen port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** Sees every chunk as it arrives from either side (e.g. to count the commands of a plaintext protocol). */
  onData?: (direction: Direction, chunk: Buffer) => void
  /**
   * Replaces each chunk before it is forwarded (after `onData` saw it), e.g. to make a healthy server answer
   * as a differently behaving one would. May hold bytes back by returning fewer; they are the caller's to
   * return with a later chunk.
   */
  rewrite?: (direction: Direction, chunk: Buffer) => Buffer
}

/** A real TCP proxy on loopback whose link can be degraded while tests run. */
export interface TcpProxy {
  readonly port: number
  /** Connections currently open through the proxy. */
  readonly connections: number
  /**
   * Stop forwarding (both directions by default; 'up' = client to server, 'down' = server to client);
   * sockets stay open, bytes wait (as on a dead Wi-Fi link).
   */
  stall(direction?: Direction | 'both'): void
  /**
   * Forward at most `bytes` more bytes from client to server, then stall that direction: a deterministic
   * "the link died in the middle of the upload" (e.g. inside SMTP DATA).
   */
  stallUpAfter(bytes: number): void
  /** Bytes forwarded so far in each direction, over all connections. */
  readonly forwarded: Readonly<Record<Direction, number>>
  /** Forward again (both directions by default), including everything that waited during the stall. */
  resume(direction?: Direction | 'both'): void
  /** Destroy every current connection (both sides see a reset/close); new connections still work. */
  cutAll(): void
  /** Delay each chunk by `ms` in each direction (0 = off). */
  setLatency(ms: number): void
  /** Limit each direction of each connection to about `bytesPerSec` (0 = unlimited). */
  setBandwidth(bytesPerSec: number): void
  close(): Promise<void>
}

export type Direction = 'up' | 'down'

interface Shaping {
  stalled: Record<Direction, boolean>
  /** Bytes 'up' may still forward before it stalls; null = no limit. */
  upBudget: number | null
  forwarded: Record<Direction, number>
  latencyMs: number
  bytesPerSec: number
}

// Above this many queued bytes the source is paused, so a slow or stalled link exerts TCP backpressure.
const HIGH_WATER = 1 << 20
const TICK_MS = 50

/** One direction of one connection: an ordered queue of chunks released by the shaping rules. */
class Pipe {
  private queue: { buf: Buffer; due: number }[] = []
  private queued = 0
  private timer: NodeJS.Timeout | undefined
  private ended = false
  private nextFreeAt = 0

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly shaping: Shaping,
    private readonly dir: Direction,
    onData?: (direction: Direction, chunk: Buffer) => void,
    rewrite?: (direction: Direction, chunk: Buffer) => Buffer,
  ) {
    src.on('data', (received: Buffer) => {
      onData?.(dir, received)
      const buf = rewrite ? rewrite(dir, received) : received
      if (buf.length === 0) return
      this.queue.push({ buf, due: Date.now() + this.shaping.latencyMs })
      this.queued += buf.length
      if (this.queued > HIGH_WATER) src.pause()
      this.pump()
    })
    src.on('end', () => {
      this.ended = true
      this.pump()
    })
    dst.on('drain', () => this.pump())
  }

  pump(): void {
    if (this.timer || this.shaping.stalled[this.dir] || this.dst.destroyed) return
    const now = Date.now()
    while (this.queue.length > 0) {
      const head = this.queue[0]!
      const wait = Math.max(head.due - now, this.nextFreeAt - now)
      if (wait > 0) return this.schedule(wait)
      let piece = head.buf
      if (this.dir === 'up' && this.shaping.upBudget !== null) {
        if (this.shaping.upBudget === 0) {
          this.shaping.stalled.up = true
          this.src.pause()
          return
        }
        piece = piece.subarray(0, this.shaping.upBudget)
        this.shaping.upBudget -= piece.length
      }
      if (this.shaping.bytesPerSec > 0) {
        // Release at most one tick's worth of bytes, then wait the time those bytes "take".
        const max = Math.max(1, Math.floor((this.shaping.bytesPerSec * TICK_MS) / 1000))
        piece = head.buf.subarray(0, max)
        this.nextFreeAt = now + (piece.length / this.shaping.bytesPerSec) * 1000
      }
      if (piece.length === head.buf.length) this.queue.shift()
      else head.buf = head.buf.subarray(piece.length)
      this.queued -= piece.length
      this.shaping.forwarded[this.dir] += piece.length
      const ok = this.dst.write(piece)
      if (this.queued <= HIGH_WATER && !this.shaping.stalled[this.dir]) this.src.resume()
      if (!ok) return
      if (this.shaping.bytesPerSec > 0) return this.schedule(this.nextFreeAt - now)
    }
    if (this.ended) this.dst.end()
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.pump()
    }, ms)
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

/**
 * Starts a TCP proxy on 127.0.0.1 in front of `targetPort`, for tests that need a link that stalls,
 * drops, lags or crawls while the real server behind it stays healthy.
 */
export async function createTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const shaping: Shaping = {
    stalled: { up: false, down: false },
    upBudget: null,
    forwarded: { up: 0, down: 0 },
    latencyMs: 0,
    bytesPerSec: 0,
  }
  const live = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>()

  // Half-open allowed: a FIN is forwarded as a FIN (after queued bytes), not turned into a full close.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({
      port: opts.targetPort,
      host: opts.targetHost ?? '127.0.0.1',
      allowHalfOpen: true,
    })
    const conn = {
      client,
      upstream,
      pipes: [
        new Pipe(client, upstream, shaping, 'up', opts.onData, opts.rewrite),
        new Pipe(upstream, client, shaping, 'down', opts.onData, opts.rewrite),
      ],
    }
    live.add(conn)
    if (shaping.stalled.up) client.pause()
    if (shaping.stalled.down) upstream.pause()
    const teardown = (): void => {
      if (!live.delete(conn)) return
      conn.pipes.forEach((p) => p.stop())
      client.destroy()
      upstream.destroy()
    }
    // An error or full close on either side ends the pair, as a real middlebox would.
    for (const s of [client, upstream]) {
      s.on('error', teardown)
      s.on('close', teardown)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address')

  const each = (fn: (c: { client: Socket; upstream: Socket; pipes: Pipe[] }) => void): void =>
    live.forEach(fn)
  const cutAll = (): void =>
    each((c) => {
      c.client.destroy()
      c.upstream.destroy()
    })
  return {
    port: address.port,
    get connections() {
      return live.size
    },
    get forwarded() {
      return { ...shaping.forwarded }
    },
    stall(direction = 'both') {
      if (direction !== 'down') shaping.stalled.up = true
      if (direction !== 'up') shaping.stalled.down = true
      each((c) => {
        if (direction !== 'down') c.client.pause()
        if (direction !== 'up') c.upstream.pause()
      })
    },
    stallUpAfter(bytes) {
      shaping.upBudget = Math.max(0, bytes)
      shaping.stalled.up = false
      each((c) => {
        c.client.resume()
        c.pipes.forEach((p) => p.pump())
      })
    },
    resume(direction = 'both') {
      if (direction !== 'down') {
        shaping.stalled.up = false
        shaping.upBudget = null
      }
      if (direction !== 'up') shaping.stalled.down = false
      each((c) => {
        if (direction !== 'down') c.client.resume()
        if (direction !== 'up') c.upstream.resume()
        c.pipes.forEach((p) => p.pump())
      })
    },
    cutAll,
    setLatency(ms) {
      shaping.latencyMs = Math.max(0, ms)
    },
    setBandwidth(bytesPerSec) {
      shaping.bytesPerSec = Math.max(0, bytesPerSec)
    },
    close() {
      cutAll()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
