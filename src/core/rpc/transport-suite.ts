import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../shared/rpc/protocol'
import type { RpcClient } from '../../shared/rpc/client'
import { MailError } from '../../shared/errors'
import type { RpcServer } from './server'
import { INTERNAL_ERROR_MESSAGE } from './server'
import { createProbedServer, createTestServer, delay } from './test-kit'

export interface Connected {
  client: RpcClient
  /** Drops the connection from core's side, as a crash or a closed window would. */
  closeServerSide(): void
  /** Releases everything (idempotent). */
  close(): Promise<void> | void
}

async function rejection(promise: Promise<unknown>): Promise<MailError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MailError)
  return error as MailError
}

/**
 * The same end-to-end checks for every transport: a real RpcClient and RpcServer with the real app and debug
 * handlers, only the pipe between them differs.
 */
export function describeTransport(name: string, connect: (server: RpcServer) => Promise<Connected>): void {
  describe(`RPC over ${name}`, () => {
    const open: Connected[] = []
    afterEach(async () => {
      for (const conn of open.splice(0)) await conn.close()
    })
    const connectTo = async (server: RpcServer): Promise<Connected> => {
      const conn = await connect(server)
      open.push(conn)
      return conn
    }

    it('round-trips app.hello and app.echo', async () => {
      const { client } = await connectTo(createTestServer().server)
      await expect(client.call('app.hello', { client: 'test' })).resolves.toEqual({
        coreVersion: '1.2.3-test',
        protocolVersion: PROTOCOL_VERSION,
        platform: process.platform,
        mode: 'test',
      })
      await expect(client.call('app.echo', { text: 'grüße ✉' })).resolves.toEqual({ text: 'grüße ✉' })
    })

    it('streams chunks in order, all before the result', async () => {
      const { client } = await connectTo(createTestServer().server)
      const seen: (number | 'result')[] = []
      const result = await client.call('debug.count', { to: 300 }, { onChunk: ({ i }) => seen.push(i) })
      seen.push('result')
      expect(result).toEqual({ total: 300 })
      expect(seen).toEqual([...Array.from({ length: 300 }, (_, k) => k + 1), 'result'])
    })

    it('cancelling mid-stream stops the handler early and rejects with CANCELLED', async () => {
      const { server, probe } = createProbedServer()
      const { client } = await connectTo(server)
      const controller = new AbortController()
      const chunks: number[] = []
      const call = client.call(
        'debug.count',
        { to: 100_000, delayMs: 2 },
        {
          signal: controller.signal,
          onChunk: ({ i }) => {
            chunks.push(i)
            if (i === 3) controller.abort()
          },
        },
      )
      expect((await rejection(call)).code).toBe('CANCELLED')
      const outcome = await probe.settled
      expect(outcome.ok).toBe(false)
      expect((outcome.value as MailError).code).toBe('CANCELLED')
      const sentWhenStopped = probe.sent
      await delay(40)
      expect(probe.sent).toBe(sentWhenStopped)
      expect(probe.sent).toBeLessThan(20)
      expect(chunks).toEqual([1, 2, 3])
    })

    it('maps a MailError to its code and message, a crash to INTERNAL without the stack', async () => {
      const { client } = await connectTo(createTestServer().server)
      const auth = await rejection(client.call('debug.fail', { code: 'AUTH_FAILED' }))
      expect([auth.code, auth.message]).toEqual([
        'AUTH_FAILED',
        'debug.fail was asked to fail with AUTH_FAILED.',
      ])
      const crash = await rejection(client.call('debug.fail', { code: 'crash' }))
      expect([crash.code, crash.message, crash.detail]).toEqual([
        'INTERNAL',
        INTERNAL_ERROR_MESSAGE,
        undefined,
      ])
    })

    it('delivers events to subscribers', async () => {
      const { server } = createTestServer()
      const { client } = await connectTo(server)
      const ticks: number[] = []
      client.on('debug.tick', ({ n }) => ticks.push(n))
      await client.call('debug.count', { to: 4 })
      server.emit('debug.tick', { n: 99 })
      await client.call('app.echo', { text: 'flush' })
      expect(ticks).toEqual([4, 99])
    })

    it('carries 16 MiB through debug.bytes intact, in chunks', async () => {
      const { client } = await connectTo(createTestServer().server)
      const hash = createHash('sha256')
      let received = 0
      let chunks = 0
      const size = 16 * 1024 * 1024
      const result = await client.call(
        'debug.bytes',
        { size, chunkSize: 512 * 1024 },
        {
          onChunk: (bytes) => {
            expect(bytes).toBeInstanceOf(Uint8Array)
            hash.update(bytes)
            received += bytes.byteLength
            chunks++
          },
        },
      )
      expect(result.size).toBe(size)
      expect(received).toBe(size)
      expect(chunks).toBe(32)
      expect(hash.digest('hex')).toBe(result.sha256)
    }, 30_000)

    it('rejects pending calls with TRANSPORT_CLOSED when the connection drops, and aborts them in core', async () => {
      const { server, probe } = createProbedServer()
      const conn = await connectTo(server)
      const pending = [
        conn.client.call('debug.count', { to: 100_000, delayMs: 5 }),
        conn.client.call('debug.count', { to: 100_000, delayMs: 5 }),
      ]
      await delay(30)
      conn.closeServerSide()
      const errors = await Promise.all(pending.map(rejection))
      expect(errors.map((e) => e.code)).toEqual(['TRANSPORT_CLOSED', 'TRANSPORT_CLOSED'])
      const outcome = await probe.settled
      expect((outcome.value as MailError).code).toBe('CANCELLED')
      expect(server.connectionCount).toBe(0)
      expect((await rejection(conn.client.call('app.echo', { text: 'x' }))).code).toBe('TRANSPORT_CLOSED')
    })
  })
}
