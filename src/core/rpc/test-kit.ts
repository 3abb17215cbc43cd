import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { contract, type MethodName } from '../../shared/contract'
import { MailError } from '../../shared/errors'
import { RpcClient } from '../../shared/rpc/client'
import { fromNodePort } from '../../shared/rpc/message-port-transport'
import type { RpcLogger } from '../../shared/rpc/transport'
import { createAppHandlers } from '../services/app-service'
import { createDebugHandlers } from '../services/debug-service'
import { RpcServer, type HandlerMap } from './server'

/** Helpers for tests of the RPC layer; not used by product code. */

export interface LogEntry {
  level: 'warn' | 'error'
  message: string
  fields: Record<string, unknown> | undefined
}

export interface RecordingLogger extends RpcLogger {
  entries: LogEntry[]
}

/** Keeps test output quiet and lets tests assert on what was logged. */
export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = []
  return {
    entries,
    warn: (message, fields) => void entries.push({ level: 'warn', message, fields }),
    error: (message, fields) => void entries.push({ level: 'error', message, fields }),
  }
}

export interface TestServer {
  server: RpcServer
  log: RecordingLogger
}

/** Handlers for services a test does not exercise: each call fails loudly instead of pretending. */
function absentHandlers(): HandlerMap {
  const entries = (Object.keys(contract.methods) as MethodName[]).map((name) => [
    name,
    async () => {
      throw new MailError('INTERNAL', `${name} is not part of this test server`)
    },
  ])
  // Every key of the contract is present, each with a handler that only throws: this is a full HandlerMap.
  return Object.fromEntries(entries) as HandlerMap
}

/** An RpcServer with the real app and debug handlers, any of them replaceable. */
export function createTestServer(overrides: Partial<HandlerMap> = {}): TestServer {
  const log = recordingLogger()
  const handlers: HandlerMap = {
    ...absentHandlers(),
    ...createAppHandlers({ version: '1.2.3-test', mode: 'test' }),
    ...createDebugHandlers({ emitTick: (data) => server.emit('debug.tick', data) }),
    ...overrides,
  }
  const server: RpcServer = new RpcServer(handlers, { logger: log })
  return { server, log }
}

export interface CountProbe {
  /** Chunks the real `debug.count` handler has sent so far. */
  sent: number
  /** How the handler ended: its result or what it threw. */
  settled: Promise<{ ok: boolean; value: unknown }>
}

/** A test server whose `debug.count` is the real handler, watched from outside. */
export function createProbedServer(): TestServer & { probe: CountProbe } {
  let settle: (outcome: { ok: boolean; value: unknown }) => void = () => undefined
  const probe: CountProbe = { sent: 0, settled: new Promise((resolve) => (settle = resolve)) }
  const real = createDebugHandlers({ emitTick: () => undefined })['debug.count']
  const setup = createTestServer({
    'debug.count': async (params, ctx) => {
      const sendChunk = (chunk: { i: number }): void => {
        ctx.sendChunk(chunk)
        probe.sent++
      }
      try {
        const result = await real(params, { ...ctx, sendChunk })
        settle({ ok: true, value: result })
        return result
      } catch (error) {
        settle({ ok: false, value: error })
        throw error
      }
    },
  })
  return { ...setup, probe }
}

export interface PortConnection {
  client: RpcClient
  clientLog: RecordingLogger
  /** The port the server side is attached to. */
  serverPort: MessagePort
  clientPort: MessagePort
  close(): void
}

/** A client connected to `server` over a Node `MessageChannel`, each end through `fromNodePort`. */
export function connectOverMessageChannel(server: RpcServer): PortConnection {
  const { port1, port2 } = new MessageChannel()
  const clientLog = recordingLogger()
  server.attach(fromNodePort(port1))
  const client = new RpcClient(fromNodePort(port2, { logger: clientLog }), { logger: clientLog })
  return {
    client,
    clientLog,
    serverPort: port1,
    clientPort: port2,
    close: () => {
      port1.close()
      port2.close()
    },
  }
}

export interface RawPeer {
  /** Posts anything, well-formed or not. */
  send(raw: unknown): void
  /** The next message received (already received ones first). */
  next(): Promise<unknown>
  received: unknown[]
  close(): void
}

/** The far end of a `MessageChannel` driven by hand, to play a broken client or a broken server. */
export function rawPeerOverMessageChannel(): { peer: RawPeer; port: MessagePort } {
  const { port1, port2 } = new MessageChannel()
  const received: unknown[] = []
  let cursor = 0
  const waiters: (() => void)[] = []
  port2.on('message', (value: unknown) => {
    received.push(value)
    waiters.shift()?.()
  })
  const peer: RawPeer = {
    send: (raw) => port2.postMessage(raw),
    received,
    next: async () => {
      while (cursor >= received.length) await new Promise<void>((resolve) => waiters.push(resolve))
      return received[cursor++]
    },
    close: () => port2.close(),
  }
  return { peer, port: port1 }
}

/** Resolves after `ms`; for letting a (wrongly) continuing handler show itself. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
