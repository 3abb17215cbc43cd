import { describe, expect, it } from 'vitest'
import { MailError } from '../errors'
import { RpcClient } from './client'
import type { RpcMessage } from './protocol'
import { BaseTransport, type RpcLogger } from './transport'

/** Plays core by hand: records what the client sends and feeds it any raw message. */
class StubTransport extends BaseTransport {
  readonly sent: RpcMessage[] = []
  push(raw: unknown): void {
    this.deliver(raw)
  }
  drop(reason: string): void {
    this.markClosed(reason)
  }
  lastRequestId(): number {
    const req = this.sent.findLast((msg) => msg.t === 'req')
    if (!req) throw new Error('no request sent')
    return req.id
  }
  protected sendNow(msg: RpcMessage): void {
    this.sent.push(msg)
  }
  protected closeNow(): void {}
  protected detach(): void {}
}

function setup(): { client: RpcClient; transport: StubTransport; warnings: string[] } {
  const warnings: string[] = []
  const logger: RpcLogger = { warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) }
  const transport = new StubTransport(logger)
  return { client: new RpcClient(transport, { logger }), transport, warnings }
}

async function rejection(promise: Promise<unknown>): Promise<MailError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MailError)
  return error as MailError
}

describe('RpcClient', () => {
  it('sends a request envelope and resolves with the validated result', async () => {
    const { client, transport } = setup()
    const call = client.call('app.echo', { text: 'hi' })
    expect(transport.sent).toEqual([{ t: 'req', id: 1, method: 'app.echo', params: { text: 'hi' } }])
    transport.push({ t: 'res', id: 1, ok: true, result: { text: 'hi' } })
    await expect(call).resolves.toEqual({ text: 'hi' })
  })

  it('rejects a result that fails its schema with INVALID_RESULT', async () => {
    const { client, transport } = setup()
    const call = client.call('app.echo', { text: 'hi' })
    transport.push({ t: 'res', id: transport.lastRequestId(), ok: true, result: { text: 42 } })
    const error = await rejection(call)
    expect(error.code).toBe('INVALID_RESULT')
    expect(error.detail).toContain('app.echo result: text')
  })

  it('rejects an invalid chunk with INVALID_RESULT and cancels the call in core', async () => {
    const { client, transport } = setup()
    const chunks: unknown[] = []
    const call = client.call('debug.count', { to: 3 }, { onChunk: (c) => chunks.push(c) })
    const id = transport.lastRequestId()
    transport.push({ t: 'chunk', id, data: { i: 1 } })
    transport.push({ t: 'chunk', id, data: { i: 'two' } })
    expect((await rejection(call)).code).toBe('INVALID_RESULT')
    expect(chunks).toEqual([{ i: 1 }])
    expect(transport.sent.at(-1)).toEqual({ t: 'cancel', id })
  })

  it('passes on the error code and message core sent', async () => {
    const { client, transport } = setup()
    const call = client.call('app.echo', { text: 'x' })
    const error = { code: 'AUTH_FAILED', message: 'The password was not accepted.' }
    transport.push({ t: 'res', id: transport.lastRequestId(), ok: false, error })
    const got = await rejection(call)
    expect([got.code, got.message]).toEqual(['AUTH_FAILED', 'The password was not accepted.'])
  })

  it('refuses invalid params locally, without a round trip', async () => {
    const { client, transport } = setup()
    const error = await rejection(client.call('app.echo', { text: 'x'.repeat(10_001) }))
    expect(error.code).toBe('INVALID_PARAMS')
    expect(transport.sent).toEqual([])
  })

  it('aborting sends cancel and rejects with CANCELLED; a late answer is ignored', async () => {
    const { client, transport, warnings } = setup()
    const controller = new AbortController()
    const call = client.call('debug.count', { to: 5 }, { signal: controller.signal })
    const id = transport.lastRequestId()
    controller.abort()
    expect((await rejection(call)).code).toBe('CANCELLED')
    expect(transport.sent.at(-1)).toEqual({ t: 'cancel', id })
    transport.push({ t: 'res', id, ok: true, result: { total: 5 } })
    expect(warnings).toEqual([])
  })

  it('times out with TIMEOUT and cancels in core', async () => {
    const { client, transport } = setup()
    const call = client.call('app.echo', { text: 'x' }, { timeoutMs: 10 })
    expect((await rejection(call)).code).toBe('TIMEOUT')
    expect(transport.sent.at(-1)).toEqual({ t: 'cancel', id: 1 })
  })

  it('rejects every pending call with TRANSPORT_CLOSED when the transport closes, and later calls too', async () => {
    const { client, transport } = setup()
    const calls = [client.call('app.echo', { text: 'a' }), client.call('debug.count', { to: 100 })]
    transport.drop('peer went away')
    const errors = await Promise.all(calls.map(rejection))
    expect(errors.map((e) => e.code)).toEqual(['TRANSPORT_CLOSED', 'TRANSPORT_CLOSED'])
    expect(errors[0]!.detail).toBe('peer went away')
    expect((await rejection(client.call('app.echo', { text: 'b' }))).code).toBe('TRANSPORT_CLOSED')
  })

  it('delivers valid events and drops malformed or unknown ones without disturbing subscribers', () => {
    const { client, transport, warnings } = setup()
    const ticks: unknown[] = []
    client.on('debug.tick', (data) => ticks.push(data))
    client.on('debug.tick', () => {
      throw new Error('a broken subscriber')
    })
    transport.push({ t: 'evt', name: 'debug.tick', data: { n: 'one' } })
    transport.push({ t: 'evt', name: 'no.such', data: {} })
    transport.push({ t: 'evt', name: 'debug.tick', data: { n: 2 } })
    expect(ticks).toEqual([{ n: 2 }])
    expect(warnings).toEqual(['dropped invalid event', 'dropped unknown event', 'event listener threw'])
  })

  it('drops malformed envelopes and keeps working', async () => {
    const { client, transport, warnings } = setup()
    const call = client.call('app.echo', { text: 'ok' })
    transport.push('garbage')
    transport.push({ t: 'res', id: 'one', ok: true })
    transport.push({ t: 'res', id: transport.lastRequestId(), ok: true, result: { text: 'ok' } })
    await expect(call).resolves.toEqual({ text: 'ok' })
    expect(warnings).toEqual(['dropped bad message from core', 'dropped bad message from core'])
  })
})
