import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { RpcClient } from '../../shared/rpc/client'
import type { RpcLogger } from '../../shared/rpc/transport'
import { fromWebSocket } from '../../shared/rpc/websocket-transport'
import { decodeFrames } from '../../shared/rpc/ws-codec'
import { createTestServer, recordingLogger } from './test-kit'
import { describeTransport } from './transport-suite'
import { corkPerTurn, serveRpcOverWebSocket } from './ws-server-transport'
import type { RpcServer } from './server'

async function listen(server: RpcServer, logger: RpcLogger): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  serveRpcOverWebSocket(wss, server, { logger })
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` }
}

function stop(wss: WebSocketServer): Promise<void> {
  for (const socket of wss.clients) socket.terminate()
  return new Promise((resolve) => wss.close(() => resolve()))
}

describeTransport('a loopback WebSocket (ws server + ws client)', async (server) => {
  const { wss, url } = await listen(server, recordingLogger())
  const socket = new WebSocket(url)
  // Not waiting for 'open': calls made while connecting must be queued, not lost.
  const log = recordingLogger()
  const client = new RpcClient(fromWebSocket(socket, { logger: log }), { logger: log })
  return {
    client,
    closeServerSide: () => {
      for (const s of wss.clients) s.terminate()
    },
    close: async () => {
      client.dispose()
      await stop(wss)
    },
  }
})

describe('WebSocket specifics', () => {
  const servers: WebSocketServer[] = []
  afterEach(async () => {
    for (const wss of servers.splice(0)) await stop(wss)
  })

  async function rawSocket(): Promise<{
    socket: WebSocket
    replies: unknown[]
    log: ReturnType<typeof recordingLogger>
    sent: boolean[]
  }> {
    const setup = createTestServer()
    const { wss, url } = await listen(setup.server, setup.log)
    servers.push(wss)
    // Records each fragment the server's socket writes (whether it ends a message), before it is wired to RPC.
    const sent: boolean[] = []
    wss.prependListener('connection', (server: WebSocket) => {
      const send = server.send.bind(server)
      server.send = ((data: unknown, options?: { fin?: boolean }) => {
        sent.push(options?.fin ?? true)
        send(data as Buffer, options ?? {})
      }) as WebSocket['send']
    })
    const socket = new WebSocket(url)
    const replies: unknown[] = []
    // A batch frame (several small replies of one turn) is unpacked; other binary frames are kept as bytes.
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return replies.push(JSON.parse(String(data)))
      if (data.readUInt32BE(0) !== 0xffffffff) return replies.push(data)
      for (const d of decodeFrames(data)) replies.push(d.ok ? d.value : d.reason)
    })
    await new Promise((resolve) => socket.once('open', resolve))
    return { socket, replies, log: setup.log, sent }
  }

  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  }

  it('logs malformed frames as BAD_MESSAGE and keeps serving the same socket', async () => {
    const { socket, replies, log } = await rawSocket()
    socket.send('{"t":"req","id":1,')
    socket.send(Buffer.from([0, 0, 0, 99, 1, 2]))
    socket.send(JSON.stringify({ t: 'req', id: 2, method: 'no.such', params: {} }))
    socket.send(JSON.stringify({ t: 'req', id: 3, method: 'app.echo', params: { text: 'ok' } }))
    await until(() => replies.length >= 2)
    expect(replies).toEqual([
      { t: 'res', id: 2, ok: false, error: expect.objectContaining({ code: 'UNKNOWN_METHOD' }) },
      { t: 'res', id: 3, ok: true, result: { text: 'ok' } },
    ])
    expect(log.entries.map((e) => e.fields?.['detail'])).toEqual([
      'undecodable message: frame is not valid JSON',
      'undecodable message: binary frame header length exceeds the frame',
    ])
  })

  it('sends big chunk bytes as binary frames without base64 inflation, the bytes as fragments of their own', async () => {
    const { socket, replies, sent } = await rawSocket()
    const size = 1024 * 1024
    socket.send(
      JSON.stringify({ t: 'req', id: 1, method: 'debug.bytes', params: { size, chunkSize: 256 * 1024 } }),
    )
    await until(() => replies.some((r) => Reflect.get(r as object, 't') === 'res'))
    const binary = replies.filter((r): r is Buffer => Buffer.isBuffer(r))
    expect(binary).toHaveLength(4)
    const wireBytes = binary.reduce((sum, frame) => sum + frame.byteLength, 0)
    expect(wireBytes).toBeGreaterThanOrEqual(size)
    expect(wireBytes).toBeLessThan(size + 4 * 200)
    // Each chunk left as its header, then its bytes as they were (not copied into one frame): 2 fragments.
    expect(sent.filter((fin) => !fin)).toHaveLength(4)
  })

  it('holds small chunks and sends them in batch frames, every byte in order', async () => {
    const { socket, replies, sent } = await rawSocket()
    const size = 1024 * 1024
    socket.send(
      JSON.stringify({ t: 'req', id: 1, method: 'debug.bytes', params: { size, chunkSize: 16 * 1024 } }),
    )
    await until(() => replies.some((r) => Reflect.get(r as object, 't') === 'res'))
    const chunks = replies.filter((r) => Reflect.get(r as object, 't') === 'chunk')
    expect(chunks).toHaveLength(64)
    const hash = createHash('sha256')
    for (const c of chunks) hash.update(Reflect.get(c as object, 'data') as Uint8Array)
    const res = replies.at(-1) as { result: { sha256: string } }
    expect(hash.digest('hex')).toBe(res.result.sha256)
    // 64 chunks (one per turn) and the reply left in a few frames, not 65.
    expect(sent.length).toBeLessThan(10)
  })

  it('sends held chunks and the reply after them as one batch frame, in order', async () => {
    const { socket, replies, sent } = await rawSocket()
    socket.send(JSON.stringify({ t: 'req', id: 1, method: 'debug.count', params: { to: 40 } }))
    await until(() => replies.some((r) => Reflect.get(r as object, 't') === 'res'))
    const chunks = replies.filter((r) => Reflect.get(r as object, 't') === 'chunk')
    expect(chunks.map((c) => Reflect.get(Reflect.get(c as object, 'data') as object, 'i'))).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
    expect(replies.at(-1)).toMatchObject({ t: 'res', id: 1, ok: true, result: { total: 40 } })
    // 40 chunks sent in one turn wait; the reply flushes them with it: one frame (two if the 10 ms ran out).
    expect(sent.length).toBeLessThanOrEqual(2)
  })

  it('closing while still connecting neither crashes nor leaves the transport open', async () => {
    const setup = createTestServer()
    const { wss, url } = await listen(setup.server, setup.log)
    servers.push(wss)
    const log = recordingLogger()
    const transport = fromWebSocket(new WebSocket(url), { logger: log })
    const closes: (string | undefined)[] = []
    transport.onClose((reason) => closes.push(reason))
    transport.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(transport.closed).toBe(true)
    expect(closes).toEqual(['closed locally'])
  })
})

describe('corkPerTurn', () => {
  it('corks once for all frames of a turn and uncorks after it', async () => {
    const calls: string[] = []
    const hook = corkPerTurn({ cork: () => calls.push('cork'), uncork: () => calls.push('uncork') })
    hook()
    hook()
    hook()
    expect(calls).toEqual(['cork'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toEqual(['cork', 'uncork'])
    hook()
    expect(calls).toEqual(['cork', 'uncork', 'cork'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toEqual(['cork', 'uncork', 'cork', 'uncork'])
  })
})
