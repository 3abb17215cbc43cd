import type { IncomingMessage } from 'node:http'
import type { WebSocket, WebSocketServer } from 'ws'
import type { RpcLogger, RpcTransport, Disposable } from '../../shared/rpc/transport'
import { fromWebSocket } from '../../shared/rpc/websocket-transport'
import type { RpcServer } from './server'

/** The part of a Node socket that batches writes: corked, writes collect and leave together on uncork. */
export interface CorkableLike {
  cork(): void
  uncork(): void
}

/**
 * Returns a hook that corks `socket` at the first frame of an event-loop turn and uncorks it once the turn's
 * work is done (setImmediate), so every frame sent meanwhile leaves in one `writev`. Each frame was a syscall
 * of its own, and on loopback a write also runs the receiving side's TCP work: ~1 s of core's CPU per 10,000
 * POP3 messages. Chunks that one network read produces (a message or two) now share a write; nothing waits
 * longer than the current turn.
 */
export function corkPerTurn(socket: CorkableLike): () => void {
  let corked = false
  const uncork = (): void => {
    corked = false
    socket.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    socket.cork()
    setImmediate(uncork)
  }
}

/**
 * Small stream chunks leave in batches of up to about this many bytes. A 10k POP3 download (35 KB a message)
 * took the browser ~1.3 CPU-s less with 1 MiB frames than with a frame per message (bench/path-floor.ts:
 * network service, browser and renderer IO thread together).
 */
const BATCH_BYTES = 1024 * 1024
/**
 * How long a chunk waits for more. A download's socket reads yield a message or two each, so batching per
 * event-loop turn gave frames of ~1.5 messages; a reply or event is never held, and flushes what waits.
 */
const HOLD_MS = 10
/** Frames from this size on go alone, as fragments whose bytes are not copied into a batch. */
const ALONE_BYTES = 256 * 1024

/** Sends `parts` as the fragments of one binary message (RFC 6455 §5.4): the receiver sees them joined. */
export function sendFragments(socket: Pick<WebSocket, 'send'>, parts: readonly Uint8Array[]): void {
  parts.forEach((part, i) => socket.send(part, { binary: true, fin: i === parts.length - 1 }))
}

/**
 * Transport over a server-side `ws` socket (already open after the upgrade). `ws` satisfies the shared
 * structural `WebSocketLike`, so this is the same framing and codec the browser uses on the other end.
 * `raw`: the upgraded TCP socket underneath, whose writes are then batched per turn (`corkPerTurn`).
 */
export function fromNodeWebSocket(
  socket: WebSocket,
  opts: { logger?: RpcLogger; raw?: CorkableLike } = {},
): RpcTransport {
  return fromWebSocket(socket, {
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.raw ? { beforeSend: corkPerTurn(opts.raw) } : {}),
    sendParts: (parts) => sendFragments(socket, parts),
    coalesce: {
      holdMs: HOLD_MS,
      maxBytes: BATCH_BYTES,
      aloneBytes: ALONE_BYTES,
    },
  })
}

/**
 * Attaches every connection a `WebSocketServer` accepts to the RPC server. Authentication (token, origin) is
 * the caller's job and must happen before the upgrade completes.
 */
export function serveRpcOverWebSocket(
  wss: WebSocketServer,
  rpc: Pick<RpcServer, 'attach'>,
  opts: { logger?: RpcLogger } = {},
): Disposable {
  const onConnection = (socket: WebSocket, req: IncomingMessage): void => {
    rpc.attach(fromNodeWebSocket(socket, { ...opts, raw: req.socket }))
  }
  wss.on('connection', onConnection)
  return { dispose: () => void wss.off('connection', onConnection) }
}
