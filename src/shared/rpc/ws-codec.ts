import { z } from 'zod'
import { findBinaryParts, placeBinary, withoutBinary } from './binary-parts'
import type { RpcMessage } from './protocol'

/**
 * WebSocket framing for RPC envelopes.
 *
 * - Messages without binary data are text frames holding the JSON envelope.
 * - Messages with `Uint8Array`s anywhere inside (message bodies, attachments, `debug.bytes` chunks) are binary
 *   frames, so bytes travel as bytes instead of growing by a third as base64:
 *
 *   `[uint32 big-endian header length][UTF-8 JSON header][part 0 bytes][part 1 bytes]…`
 *
 *   The header is `{ m, b }`: `m` is the envelope with each `Uint8Array` replaced by `null`, `b` lists the
 *   parts in order as `{ p: path, n: byteLength }`. The part lengths must add up to the rest of the frame.
 */

const HEADER_PREFIX = 4
const MAX_PARTS = 4096

const headerSchema = z.object({
  m: z.record(z.string(), z.unknown()),
  b: z
    .array(
      z.object({
        p: z
          .array(z.union([z.string(), z.int().min(0)]))
          .min(1)
          .max(64),
        n: z.int().min(0),
      }),
    )
    .max(MAX_PARTS),
})

export type DecodeResult = { ok: true; value: unknown } | { ok: false; reason: string }

const encoder = new TextEncoder()
/** One for every frame: `fatal` decoders keep no state between complete `decode` calls. */
const headerDecoder = new TextDecoder('utf-8', { fatal: true })

/**
 * The frame of `msg` in pieces: a string (no binary data), or the length-prefixed header followed by each
 * binary part as it is, not copied. Sent one after the other as one message (core writes them as WebSocket
 * fragments), they are `encodeFrame`'s frame: joining a 10,000-message download's bodies into frames cost core
 * a copy of every byte and the garbage of it.
 */
export function encodeFrameParts(msg: RpcMessage): string | Uint8Array[] {
  const parts = findBinaryParts(msg)
  if (parts.length === 0) return JSON.stringify(msg)
  const header = encoder.encode(
    JSON.stringify({
      m: withoutBinary(msg),
      b: parts.map((part) => ({ p: part.path, n: part.bytes.byteLength })),
    }),
  )
  return [lengthPrefixed(header), ...parts.map((part) => part.bytes)]
}

/** A binary frame's head: the header's length, then the header. */
function lengthPrefixed(header: Uint8Array): Uint8Array {
  const head = new Uint8Array(HEADER_PREFIX + header.byteLength)
  new DataView(head.buffer).setUint32(0, header.byteLength)
  head.set(header, HEADER_PREFIX)
  return head
}

/** @returns a string for a text frame, or bytes for a binary frame. */
export function encodeFrame(msg: RpcMessage): string | Uint8Array<ArrayBuffer> {
  const parts = encodeFrameParts(msg)
  if (typeof parts === 'string') return parts
  const frame = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    frame.set(part, offset)
    offset += part.byteLength
  }
  return frame
}

/**
 * A batch frame starts with this where a frame's header length would be: no header is 4 GiB long.
 *
 *   `[0xFFFFFFFF][uint32 count]` then per message `[uint32 length][that message's binary frame]`
 *
 * Core sends small stream chunks in batches (`WebSocketTransport`'s `coalesce`): each WebSocket message costs
 * the browser a hop through its network service, an IPC and an event in the worker, and a 10,000-message POP3
 * download was 10,000 WebSocket messages in 20,000 fragments.
 */
const BATCH_MARK = 0xffffffff
const MAX_BATCH = 65536

/** A text frame's JSON as a binary frame without parts (a batch holds only binary frames). */
export function textAsBinaryParts(json: string): Uint8Array[] {
  return [lengthPrefixed(encoder.encode(`{"m":${json},"b":[]}`))]
}

/** One batch frame of messages given as their binary frames' pieces, copied once. */
export function encodeBatch(frames: readonly (readonly Uint8Array[])[]): Uint8Array<ArrayBuffer> {
  const lengths = frames.map((parts) => parts.reduce((sum, p) => sum + p.byteLength, 0))
  const out = new Uint8Array(8 + lengths.reduce((sum, n) => sum + 4 + n, 0))
  const view = new DataView(out.buffer)
  view.setUint32(0, BATCH_MARK)
  view.setUint32(4, frames.length)
  let at = 8
  frames.forEach((parts, i) => {
    view.setUint32(at, lengths[i]!)
    at += 4
    for (const p of parts) {
      out.set(p, at)
      at += p.byteLength
    }
  })
  return out
}

/**
 * Decodes a frame into the messages it carries: one, or each of a batch's in order (a batch that is itself
 * malformed gives one failure and nothing else, since where its messages begin cannot be trusted).
 */
export function decodeFrames(data: unknown): DecodeResult[] {
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : undefined
  if (bytes === undefined || bytes.byteLength < 8) return [decodeFrame(data)]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0) !== BATCH_MARK) return [decodeFrame(bytes)]
  const count = view.getUint32(4)
  if (count > MAX_BATCH) return [{ ok: false, reason: `batch frame declares ${count} messages` }]
  const frames: Uint8Array[] = []
  let at = 8
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.byteLength) return [{ ok: false, reason: 'batch frame ends inside a length' }]
    const length = view.getUint32(at)
    at += 4
    if (at + length > bytes.byteLength) return [{ ok: false, reason: 'batch frame ends inside a message' }]
    frames.push(bytes.subarray(at, at + length))
    at += length
  }
  if (at !== bytes.byteLength) return [{ ok: false, reason: 'batch frame has bytes after its messages' }]
  return frames.map((frame) => decodeBinary(frame))
}

/**
 * Decodes a frame as delivered by a browser WebSocket (`string` or `ArrayBuffer` with binaryType
 * 'arraybuffer') or by `ws` (`string`, `ArrayBuffer`, or a `Buffer` with binaryType 'nodebuffer').
 * Never throws: anything malformed comes back as `{ ok: false, reason }`. Binary parts are views into the
 * received frame, not copies.
 */
export function decodeFrame(data: unknown): DecodeResult {
  if (typeof data === 'string') return parseJson(data)
  if (data instanceof ArrayBuffer) return decodeBinary(new Uint8Array(data))
  if (ArrayBuffer.isView(data))
    return decodeBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  return { ok: false, reason: `unsupported frame type ${describe(data)}` }
}

function decodeBinary(frame: Uint8Array): DecodeResult {
  if (frame.byteLength < HEADER_PREFIX)
    return { ok: false, reason: 'binary frame shorter than its header length' }
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0)
  const bodyStart = HEADER_PREFIX + headerLength
  if (bodyStart > frame.byteLength)
    return { ok: false, reason: 'binary frame header length exceeds the frame' }
  let headerText: string
  try {
    headerText = headerDecoder.decode(frame.subarray(HEADER_PREFIX, bodyStart))
  } catch {
    return { ok: false, reason: 'binary frame header is not valid UTF-8' }
  }
  const json = parseJson(headerText)
  if (!json.ok) return json
  const header = headerSchema.safeParse(json.value)
  if (!header.success) return { ok: false, reason: 'binary frame header has the wrong shape' }
  // The schema copied `m`; place the bytes into the tree exactly as JSON.parse produced it.
  const root: unknown = Reflect.get(json.value as object, 'm')
  const declared = header.data.b.reduce((sum, part) => sum + part.n, 0)
  if (declared !== frame.byteLength - bodyStart) {
    return {
      ok: false,
      reason: `binary parts declare ${declared} bytes, frame carries ${frame.byteLength - bodyStart}`,
    }
  }
  let offset = bodyStart
  for (const part of header.data.b) {
    if (!placeBinary(root, part.p, frame.subarray(offset, offset + part.n))) {
      return { ok: false, reason: 'binary frame part points outside the message' }
    }
    offset += part.n
  }
  return { ok: true, value: root }
}

function parseJson(text: string): DecodeResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, reason: 'frame is not valid JSON' }
  }
}

function describe(data: unknown): string {
  if (data === null) return 'null'
  if (typeof data !== 'object') return typeof data
  return Object.prototype.toString.call(data)
}
