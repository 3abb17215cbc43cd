import type { WebSocket, WebSocketServer } from 'ws'
import type { RpcLogger, RpcTransport, Disposable } from '../../shared/rpc/transport'
import { fromWebSocket } from '../../shared/rpc/websocket-transport'
import type { RpcServer } from './server'

/**
 * Transport over a server-side `ws` socket (already open after the upgrade). `ws` satisfies the shared
 * structural `WebSocketLike`, so this is the same framing and codec the browser uses on the other end.
 */
export function fromNodeWebSocket(socket: WebSocket, opts: { logger?: RpcLogger } = {}): RpcTransport {
  return fromWebSocket(socket, opts)
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
  const onConnection = (socket: WebSocket): void => {
    rpc.attach(fromNodeWebSocket(socket, opts))
  }
  wss.on('connection', onConnection)
  return { dispose: () => void wss.off('connection', onConnection) }
}
