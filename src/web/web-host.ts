import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { RpcServer } from '../core/rpc/server'
import { fromNodeWebSocket } from '../core/rpc/ws-server-transport'
import { checkUpgrade, newToken, RPC_SUBPROTOCOL } from './auth'
import { createStaticHandler } from './static-files'

export interface WebHostOptions {
  /** The electron-vite renderer build (out/renderer). */
  rendererDir: string
  rpc: Pick<RpcServer, 'attach'>
  /** 0 (default) picks a free port. */
  port?: number
  /** A fixed token is only for tests; normally a random one is made per run. */
  token?: string
  /** Largest RPC frame accepted from a browser; bigger ones close the socket. */
  maxPayloadBytes?: number
}

export interface WebHost {
  readonly port: number
  readonly origin: string
  readonly token: string
  /** The address to open: origin + #token=… */
  readonly url: string
  close(): Promise<void>
}

const RPC_PATH = '/rpc'

function refuse(socket: Duplex, status: number, reason: string): void {
  const text =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error'
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`)
}

/** Serves the app shell and the core's RPC on 127.0.0.1 only (never on other interfaces). */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken()
  const serveStatic = createStaticHandler(opts.rendererDir)
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayloadBytes ?? 64 * 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has(RPC_SUBPROTOCOL) ? RPC_SUBPROTOCOL : false),
  })
  let allowedOrigins = new Set<string>()

  const server: Server = createServer((req, res) => {
    void serveStatic(req, res)
  })
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== RPC_PATH) return refuse(socket, 404, 'no such endpoint')
    const verdict = checkUpgrade(req, allowedOrigins, token)
    if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason)
    wss.handleUpgrade(req, socket, head, (ws) => {
      // `socket` is a net.Socket (an HTTP server's upgrade), typed as a Duplex: both cork.
      const connection = opts.rpc.attach(fromNodeWebSocket(ws, { raw: socket }))
      ws.once('close', () => connection.dispose())
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  allowedOrigins = new Set([origin, `http://localhost:${port}`])

  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
