import { afterEach, describe, expect, it } from 'vitest'
import type { ResultOf } from '../../shared/contract'
import { MailError } from '../../shared/errors'
import { fromNodePort } from '../../shared/rpc/message-port-transport'
import { INTERNAL_ERROR_MESSAGE } from './server'
import { createTestServer, delay, rawPeerOverMessageChannel, type RawPeer } from './test-kit'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function connectRaw(setup = createTestServer()): RawPeer & { log: typeof setup.log } {
  const { peer, port } = rawPeerOverMessageChannel()
  setup.server.attach(fromNodePort(port, { logger: setup.log }))
  cleanups.push(() => {
    peer.close()
    port.close()
  })
  return Object.assign(peer, { log: setup.log })
}

const echo = (id: number, text = 'still here') => ({ t: 'req', id, method: 'app.echo', params: { text } })

describe('RpcServer: bad input from a client', () => {
  it('answers each broken request with a typed error and keeps serving the same connection', async () => {
    const peer = connectRaw()
    peer.send({ t: 'req', id: 1 })
    peer.send({ t: 'req', id: 2, method: 'mail.explode', params: {} })
    peer.send({ t: 'req', id: 3, method: 'toString', params: {} })
    peer.send({ t: 'req', id: 4, method: 'app.echo', params: { text: 5 } })
    peer.send(echo(5))
    const replies = [
      await peer.next(),
      await peer.next(),
      await peer.next(),
      await peer.next(),
      await peer.next(),
    ]
    expect(
      replies.map((r) => [Reflect.get(r as object, 'id'), Reflect.get(r as object, 'error')?.code]),
    ).toEqual([
      [1, 'BAD_MESSAGE'],
      [2, 'UNKNOWN_METHOD'],
      [3, 'UNKNOWN_METHOD'],
      [4, 'INVALID_PARAMS'],
      [5, undefined],
    ])
    expect(replies[3]).toMatchObject({
      ok: false,
      error: { detail: 'app.echo: text: Invalid input: expected string, received number' },
    })
    expect(replies[4]).toEqual({ t: 'res', id: 5, ok: true, result: { text: 'still here' } })
  })

  it('logs garbage it cannot answer (no request id) and answers the next good request', async () => {
    const peer = connectRaw()
    peer.send('not an envelope')
    peer.send({ t: 'nope', id: 1 })
    peer.send({ t: 'req', id: -1, method: 'app.echo', params: {} })
    peer.send({ t: 'res', id: 9, ok: true, result: null })
    peer.send(echo(10))
    expect(await peer.next()).toEqual({ t: 'res', id: 10, ok: true, result: { text: 'still here' } })
    expect(peer.received).toHaveLength(1)
    expect(peer.log.entries.map((e) => e.fields?.['detail'] ?? e.message)).toEqual([
      'envelope is string',
      'unknown envelope type "nope"',
      expect.stringMatching(/^invalid req envelope: id:/),
      'unexpected message from client',
    ])
  })

  it('refuses a second request with an id still in flight', async () => {
    const peer = connectRaw()
    peer.send({ t: 'req', id: 1, method: 'debug.count', params: { to: 1, delayMs: 100 } })
    peer.send(echo(1))
    expect(await peer.next()).toMatchObject({ id: 1, ok: false, error: { code: 'BAD_MESSAGE' } })
  })
})

describe('RpcServer: handler outcomes', () => {
  it('a result failing its schema becomes INVALID_RESULT, and is never sent', async () => {
    const bad: Record<string, unknown> = { text: 42 }
    const peer = connectRaw(createTestServer({ 'app.echo': async () => bad as ResultOf<'app.echo'> }))
    peer.send(echo(1))
    const reply = await peer.next()
    expect(reply).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'INVALID_RESULT', message: INTERNAL_ERROR_MESSAGE },
    })
    expect(JSON.stringify(reply)).not.toContain('42')
  })

  it('a MailError keeps its code, message and detail', async () => {
    const peer = connectRaw()
    peer.send({ t: 'req', id: 1, method: 'debug.fail', params: { code: 'AUTH_FAILED' } })
    expect(await peer.next()).toEqual({
      t: 'res',
      id: 1,
      ok: false,
      error: {
        code: 'AUTH_FAILED',
        message: 'debug.fail was asked to fail with AUTH_FAILED.',
        detail: 'requested by debug.fail',
      },
    })
  })

  it('a plain Error becomes INTERNAL with a generic message; the stack is logged, not sent', async () => {
    const peer = connectRaw()
    peer.send({ t: 'req', id: 1, method: 'debug.fail', params: { code: 'crash' } })
    const reply = await peer.next()
    expect(reply).toEqual({
      t: 'res',
      id: 1,
      ok: false,
      error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE },
    })
    const crash = peer.log.entries.find((e) => e.message === 'handler crashed')
    expect(String(crash?.fields?.['error'])).toMatch(/internal detail that must stay in core\n\s+at /)
  })

  it('a cancel aborts the handler, which stops early; the call ends CANCELLED', async () => {
    let stoppedWith: unknown
    let sent = 0
    const peer = connectRaw(
      createTestServer({
        'debug.count': async (params, ctx) => {
          const { to, delayMs } = params
          try {
            for (let i = 1; i <= to; i++) {
              await delay(delayMs ?? 0)
              ctx.sendChunk({ i })
              sent++
            }
            return { total: to }
          } catch (error) {
            stoppedWith = error
            throw error
          }
        },
      }),
    )
    peer.send({ t: 'req', id: 1, method: 'debug.count', params: { to: 1000, delayMs: 2 } })
    expect(await peer.next()).toEqual({ t: 'chunk', id: 1, data: { i: 1 } })
    peer.send({ t: 'cancel', id: 1 })
    let last = await peer.next()
    while (Reflect.get(last as object, 't') === 'chunk') last = await peer.next()
    expect(last).toMatchObject({ t: 'res', id: 1, ok: false, error: { code: 'CANCELLED' } })
    const sentAtCancel = sent
    await delay(30)
    expect(sent).toBe(sentAtCancel)
    expect(sent).toBeLessThan(10)
    expect(stoppedWith).toBeInstanceOf(MailError)
    expect((stoppedWith as MailError).code).toBe('CANCELLED')
  })

  it('disposing a connection aborts its in-flight handlers; other connections keep working', async () => {
    let aborted = false
    const setup = createTestServer({
      'debug.count': async (_params, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve))
        aborted = true
        return { total: 0 }
      },
    })
    const { peer, port } = rawPeerOverMessageChannel()
    const connection = setup.server.attach(fromNodePort(port, { logger: setup.log }))
    const other = connectRaw(setup)
    cleanups.push(() => (peer.close(), port.close()))
    peer.send({ t: 'req', id: 1, method: 'debug.count', params: { to: 5 } })
    await delay(10)
    expect(setup.server.connectionCount).toBe(2)
    connection.dispose()
    await delay(10)
    expect(aborted).toBe(true)
    expect(setup.server.connectionCount).toBe(1)
    expect(peer.received).toEqual([])
    other.send(echo(1))
    expect(await other.next()).toMatchObject({ id: 1, ok: true })
  })
})

describe('RpcServer: events', () => {
  it('broadcasts valid events to every connection and refuses invalid ones', async () => {
    const setup = createTestServer()
    const a = connectRaw(setup)
    const b = connectRaw(setup)
    // Deliberately wrong data, as a buggy service could produce at runtime.
    const wrong: Record<string, unknown> = { n: 'x' }
    setup.server.emit('debug.tick', wrong as { n: number })
    setup.server.emit('debug.tick', { n: 3 })
    const expected = { t: 'evt', name: 'debug.tick', data: { n: 3 } }
    expect([await a.next(), await b.next()]).toEqual([expected, expected])
    expect(setup.log.entries.map((e) => e.message)).toEqual(['refused to emit invalid event'])
  })
})
