import { describe, expect, it } from 'vitest'
import { connectOverMessageChannel, createTestServer } from './test-kit'
import { describeTransport } from './transport-suite'

describeTransport('a worker_threads MessageChannel (fromNodePort)', async (server) => {
  const conn = connectOverMessageChannel(server)
  return { client: conn.client, closeServerSide: () => conn.serverPort.close(), close: conn.close }
})

describe('message port specifics', () => {
  it('transfers whole-buffer chunk bytes instead of copying them', async () => {
    const sentChunks: Uint8Array[] = []
    const { server } = createTestServer({
      'debug.bytes': async (_params, ctx) => {
        const chunk = new Uint8Array(4096).fill(7)
        ctx.sendChunk(chunk)
        sentChunks.push(chunk)
        return { size: 4096, sha256: '0'.repeat(64) }
      },
    })
    const conn = connectOverMessageChannel(server)
    try {
      const received: Uint8Array[] = []
      await conn.client.call('debug.bytes', { size: 4096 }, { onChunk: (c) => received.push(c) })
      // Detached on the sending side: the bytes moved, they were not cloned.
      expect(sentChunks[0]!.byteLength).toBe(0)
      expect(received[0]!.byteLength).toBe(4096)
      expect(received[0]!.every((b) => b === 7)).toBe(true)
    } finally {
      conn.close()
    }
  })

  it('posts a slice of a larger buffer as exactly its bytes, leaving the larger buffer usable', async () => {
    const shared = new Uint8Array(64 * 1024).map((_, i) => i & 0xff)
    const { server } = createTestServer({
      'debug.bytes': async (_params, ctx) => {
        ctx.sendChunk(shared.subarray(1000, 1000 + 4096))
        return { size: 4096, sha256: '0'.repeat(64) }
      },
    })
    const conn = connectOverMessageChannel(server)
    try {
      const received: Uint8Array[] = []
      await conn.client.call('debug.bytes', { size: 4096 }, { onChunk: (c) => received.push(c) })
      // Not detached (a pooled buffer moved away would break whoever else uses it) and not cloned whole.
      expect(shared.byteLength).toBe(64 * 1024)
      expect(received[0]!.buffer.byteLength).toBe(4096)
      expect(Array.from(received[0]!)).toEqual(Array.from(shared.subarray(1000, 1000 + 4096)))
    } finally {
      conn.close()
    }
  })
})
