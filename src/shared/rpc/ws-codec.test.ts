import { describe, expect, it } from 'vitest'
import type { RpcMessage } from './protocol'
import {
  decodeFrame,
  decodeFrames,
  encodeBatch,
  encodeFrame,
  encodeFrameParts,
  textAsBinaryParts,
} from './ws-codec'

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)

function binaryFrame(
  header: string,
  body: Uint8Array = new Uint8Array(0),
  declaredLength?: number,
): Uint8Array {
  const headerBytes = new TextEncoder().encode(header)
  const frame = new Uint8Array(4 + headerBytes.byteLength + body.byteLength)
  new DataView(frame.buffer).setUint32(0, declaredLength ?? headerBytes.byteLength)
  frame.set(headerBytes, 4)
  frame.set(body, 4 + headerBytes.byteLength)
  return frame
}

function expectRejected(data: unknown, reason: RegExp): void {
  const decoded = decodeFrame(data)
  expect(decoded.ok).toBe(false)
  if (!decoded.ok) expect(decoded.reason).toMatch(reason)
}

describe('ws codec', () => {
  it('sends messages without bytes as JSON text and reads them back', () => {
    const msg: RpcMessage = { t: 'req', id: 7, method: 'app.echo', params: { text: 'hé' } }
    const frame = encodeFrame(msg)
    expect(typeof frame).toBe('string')
    expect(decodeFrame(frame)).toEqual({ ok: true, value: msg })
  })

  it('sends bytes raw in a binary frame, not base64', () => {
    const data = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff)
    const frame = encodeFrame({ t: 'chunk', id: 3, data })
    expect(frame).toBeInstanceOf(Uint8Array)
    // Header overhead only: base64 would add a third.
    expect((frame as Uint8Array).byteLength).toBeLessThan(data.byteLength + 200)
    const decoded = decodeFrame((frame as Uint8Array).buffer)
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    const value = decoded.value as { t: string; id: number; data: Uint8Array }
    expect(value.t).toBe('chunk')
    expect(value.id).toBe(3)
    expect(value.data).toBeInstanceOf(Uint8Array)
    expect(Array.from(value.data)).toEqual(Array.from(data))
  })

  it('frames exactly the bytes of a view into a larger buffer (a Node Buffer slice)', () => {
    const shared = new Uint8Array(10_000).map((_, i) => i & 0xff)
    const slice = shared.subarray(3000, 3100)
    const frame = encodeFrame({ t: 'chunk', id: 4, data: { uid: 1, raw: slice } }) as Uint8Array
    expect(frame.byteLength).toBeLessThan(100 + 200)
    const decoded = decodeFrame(frame.buffer)
    if (!decoded.ok) throw new Error(decoded.reason)
    const raw = (decoded.value as { data: { raw: Uint8Array } }).data.raw
    expect(Array.from(raw)).toEqual(Array.from(slice))
  })

  it('puts several nested byte arrays back where they were', () => {
    const msg: RpcMessage = {
      t: 'res',
      id: 1,
      ok: true,
      result: {
        parts: [
          { name: 'a', body: bytes(1, 2) },
          { name: 'b', body: bytes() },
        ],
        raw: bytes(9),
      },
    }
    const frame = encodeFrame(msg)
    const decoded = decodeFrame(frame)
    expect(decoded).toEqual({ ok: true, value: msg })
  })

  it('gives the frame in pieces whose bytes are the message’s own arrays, not copies', () => {
    const slice = new Uint8Array(10_000).map((_, i) => i & 0xff).subarray(3000, 3100)
    const other = bytes(9, 8)
    const msg: RpcMessage = { t: 'chunk', id: 5, data: { raw: slice, more: [other] } }
    const parts = encodeFrameParts(msg)
    if (typeof parts === 'string') throw new Error('expected binary pieces')
    expect(parts.slice(1)).toHaveLength(2)
    expect(parts[1]).toBe(slice)
    expect(parts[2]).toBe(other)
    // Sent one after the other they are the frame encodeFrame builds, and it decodes to the message.
    const joined = new Uint8Array(parts.flatMap((part) => Array.from(part)))
    expect(joined).toEqual(encodeFrame(msg))
    expect(decodeFrame(joined)).toEqual({ ok: true, value: msg })
    expect(encodeFrameParts({ t: 'req', id: 1, method: 'app.echo', params: {} })).toBeTypeOf('string')
  })

  it('accepts a frame delivered as a view into a larger buffer (ws nodebuffer)', () => {
    const frame = encodeFrame({ t: 'chunk', id: 1, data: bytes(5, 6, 7) }) as Uint8Array
    const padded = new Uint8Array(frame.byteLength + 10)
    padded.set(frame, 5)
    const decoded = decodeFrame(padded.subarray(5, 5 + frame.byteLength))
    expect(decoded).toEqual({ ok: true, value: { t: 'chunk', id: 1, data: bytes(5, 6, 7) } })
  })

  it('rejects text that is not JSON', () => {
    expectRejected('{"t":"req",', /not valid JSON/)
  })

  it('rejects frames of unsupported types', () => {
    expectRejected(42, /unsupported frame type number/)
    expectRejected([new Uint8Array(1)], /unsupported frame type \[object Array\]/)
  })

  it('rejects binary frames that are too short or lie about their header length', () => {
    expectRejected(bytes(0, 0), /shorter than its header length/)
    expectRejected(binaryFrame('{"m":{},"b":[]}', undefined, 1000), /header length exceeds the frame/)
  })

  it('rejects binary headers that are not UTF-8, not JSON or the wrong shape', () => {
    const badUtf8 = new Uint8Array([0, 0, 0, 2, 0xc3, 0x28])
    expectRejected(badUtf8, /not valid UTF-8/)
    expectRejected(binaryFrame('{"m":'), /not valid JSON/)
    expectRejected(binaryFrame('{"m":[1],"b":[]}'), /wrong shape/)
    expectRejected(binaryFrame('{"m":{},"b":[{"p":[],"n":0}]}'), /wrong shape/)
  })

  it('rejects part lengths that do not add up to the frame', () => {
    const header = '{"m":{"t":"chunk","id":1,"data":null},"b":[{"p":["data"],"n":5}]}'
    expectRejected(binaryFrame(header, bytes(1, 2, 3)), /declare 5 bytes, frame carries 3/)
  })

  it('refuses paths that add keys, reach a prototype or replace non-placeholders', () => {
    const body = bytes(1)
    const frameFor = (m: string, path: string): Uint8Array =>
      binaryFrame(`{"m":${m},"b":[{"p":${path},"n":1}]}`, body)
    expectRejected(frameFor('{"t":"chunk","id":1,"data":null}', '["other"]'), /points outside/)
    expectRejected(frameFor('{"t":"chunk","id":1,"data":null}', '["id"]'), /points outside/)
    expectRejected(frameFor('{"__proto__":null}', '["__proto__"]'), /points outside/)
    expectRejected(frameFor('{"a":{"constructor":null}}', '["a","constructor"]'), /points outside/)
    expectRejected(frameFor('{"a":[null]}', '["a","0"]'), /points outside/)
    expect(Reflect.get(Object.prototype, 'polluted')).toBeUndefined()
  })

  describe('batch frames', () => {
    const batchOf = (...msgs: RpcMessage[]): Uint8Array<ArrayBuffer> =>
      encodeBatch(
        msgs.map((m) => {
          const parts = encodeFrameParts(m)
          return typeof parts === 'string' ? textAsBinaryParts(parts) : parts
        }),
      )

    it('carries text and binary messages in order, bytes as views into the batch', () => {
      const first: RpcMessage = { t: 'chunk', id: 1, data: { n: 1, bytes: bytes(1, 2, 3), end: true } }
      const second: RpcMessage = { t: 'res', id: 2, ok: true, result: { text: 'é ok' } }
      const third: RpcMessage = { t: 'chunk', id: 1, data: { n: 2, bytes: bytes(), end: false } }
      const frame = batchOf(first, second, third)
      const out = decodeFrames(frame.buffer)
      expect(out.map((d) => d.ok)).toEqual([true, true, true])
      const values = out.map((d) => (d.ok ? d.value : null))
      expect(values).toEqual([first, second, third])
      const got = Reflect.get(Reflect.get(values[0] as object, 'data') as object, 'bytes') as Uint8Array
      expect(got.buffer).toBe(frame.buffer)
    })

    it('reads a lone frame as before, whether text, binary or a view', () => {
      const msg: RpcMessage = { t: 'chunk', id: 3, data: bytes(9, 8) }
      const frame = encodeFrame(msg) as Uint8Array
      expect(decodeFrames(frame)).toEqual([{ ok: true, value: msg }])
      expect(decodeFrames(JSON.stringify({ t: 'res', id: 1, ok: true }))).toEqual([
        { ok: true, value: { t: 'res', id: 1, ok: true } },
      ])
    })

    it('rejects a batch that lies about its messages as one failure', () => {
      const good = batchOf({ t: 'res', id: 1, ok: true, result: null })
      const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength)
      const tooMany = good.slice()
      view(tooMany).setUint32(4, 70000)
      const truncated = good.slice(0, good.byteLength - 1)
      const trailing = new Uint8Array(good.byteLength + 1)
      trailing.set(good)
      const moreThanThere = good.slice()
      view(moreThanThere).setUint32(4, 2)
      for (const [frame, reason] of [
        [tooMany, /declares 70000 messages/],
        [truncated, /ends inside a message/],
        [trailing, /bytes after its messages/],
        [moreThanThere, /ends inside a length/],
      ] as const) {
        const out = decodeFrames(frame)
        expect(out).toHaveLength(1)
        expect(out[0]!.ok).toBe(false)
        if (!out[0]!.ok) expect(out[0]!.reason).toMatch(reason)
      }
    })

    it('does not nest: a batch inside a batch is a malformed message', () => {
      const inner = batchOf({ t: 'res', id: 1, ok: true, result: null })
      const outer = encodeBatch([[inner]])
      const out = decodeFrames(outer)
      expect(out).toHaveLength(1)
      expect(out[0]!.ok).toBe(false)
    })
  })
})
