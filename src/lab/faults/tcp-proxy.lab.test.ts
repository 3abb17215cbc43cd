import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imapClient } from '../testing/lab-clients'
import { sharedLab } from '../testing/shared-lab'
import { createTcpProxy, type TcpProxy } from './tcp-proxy'

// An echo server makes timing and byte counts exact; one IMAP case shows the proxy carries real TLS.
let echo: Server
let echoPort: number

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s))
  echo.listen(0, '127.0.0.1')
  await once(echo, 'listening')
  const addr = echo.address()
  echoPort = typeof addr === 'object' && addr !== null ? addr.port : 0
})

afterAll(() => {
  echo.close()
})

async function open(port: number): Promise<Socket> {
  const s = connect({ port, host: '127.0.0.1' })
  await once(s, 'connect')
  return s
}

/** Resolves with the next `n` bytes, or rejects with 'timeout' after `ms`. */
function read(s: Socket, n: number, ms: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let got = 0
    const onData = (b: Buffer): void => {
      parts.push(b)
      got += b.length
      if (got >= n) done(() => resolve(Buffer.concat(parts)))
    }
    const timer = setTimeout(() => done(() => reject(new Error('timeout'))), ms)
    const done = (f: () => void): void => {
      clearTimeout(timer)
      s.off('data', onData)
      f()
    }
    s.on('data', onData)
  })
}

describe('createTcpProxy', () => {
  let proxy: TcpProxy

  it('forwards both ways', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    const s = await open(proxy.port)
    s.write('hello')
    expect((await read(s, 5, 2000)).toString()).toBe('hello')
    expect(proxy.connections).toBe(1)
    s.destroy()
    await proxy.close()
  })

  it('stall holds bytes with the socket open; resume delivers them', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    const s = await open(proxy.port)
    proxy.stall()
    s.write('during-stall')
    await expect(read(s, 1, 400)).rejects.toThrow('timeout')
    expect(s.destroyed).toBe(false)
    expect(proxy.connections).toBe(1)
    proxy.resume()
    expect((await read(s, 12, 2000)).toString()).toBe('during-stall')
    s.destroy()
    await proxy.close()
  })

  it('stallUpAfter lets exactly n bytes through to the server, then holds the rest until resume', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    const s = await open(proxy.port)
    proxy.stallUpAfter(4)
    s.write('abcdefgh')
    expect((await read(s, 4, 2000)).toString()).toBe('abcd')
    await expect(read(s, 1, 400)).rejects.toThrow('timeout')
    expect(proxy.forwarded.up).toBe(4)
    proxy.resume()
    expect((await read(s, 4, 2000)).toString()).toBe('efgh')
    expect(proxy.forwarded).toEqual({ up: 8, down: 8 })
    s.destroy()
    await proxy.close()
  })

  it("stall('down') still carries the client's bytes to the server but holds its answers", async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    const s = await open(proxy.port)
    proxy.stall('down')
    s.write('xy')
    await expect.poll(() => proxy.forwarded.up).toBe(2)
    await expect(read(s, 1, 400)).rejects.toThrow('timeout')
    proxy.resume()
    expect((await read(s, 2, 2000)).toString()).toBe('xy')
    s.destroy()
    await proxy.close()
  })

  it('cutAll closes current connections; new ones still work', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    const s = await open(proxy.port)
    const closed = once(s, 'close')
    proxy.cutAll()
    await closed
    expect(s.destroyed).toBe(true)
    const again = await open(proxy.port)
    again.write('x')
    expect((await read(again, 1, 2000)).toString()).toBe('x')
    again.destroy()
    await proxy.close()
  })

  it('adds latency per direction', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    proxy.setLatency(150)
    const s = await open(proxy.port)
    const t = Date.now()
    s.write('ping')
    await read(s, 4, 3000)
    // Through the proxy twice (to the echo server and back): at least 2 × 150 ms.
    expect(Date.now() - t).toBeGreaterThanOrEqual(290)
    s.destroy()
    await proxy.close()
  })

  it('limits bandwidth', async () => {
    proxy = await createTcpProxy({ targetPort: echoPort })
    proxy.setBandwidth(40_000)
    const s = await open(proxy.port)
    const t = Date.now()
    s.write(Buffer.alloc(40_000, 1))
    const back = await read(s, 40_000, 8000)
    const ms = Date.now() - t
    expect(back.length).toBe(40_000)
    // 40 kB at 40 kB/s is ~1 s per direction; the directions overlap (echo), so ~1 s in all. Unlimited
    // loopback would take ~1 ms.
    expect(ms).toBeGreaterThanOrEqual(850)
    expect(ms).toBeLessThan(4000)
    s.destroy()
    await proxy.close()
  })

  it('carries a real IMAPS session, which fails when cut', async () => {
    const lab = sharedLab()
    proxy = await createTcpProxy({ targetPort: lab.ports.imaps })
    const client = imapClient(
      { ...lab.info(), ports: { ...lab.ports, imaps: proxy.port } },
      lab.user('erin'),
      'imaps',
    )
    await client.connect()
    const status = await client.status('INBOX', { messages: true })
    expect(status).toMatchObject({ path: 'INBOX' })
    const closed = once(client, 'close')
    proxy.cutAll()
    await closed
    expect(client.usable).toBe(false)
    await proxy.close()
  })
})
