/**
 * Byte-level helpers for the hostile corpus. Unlike the realistic corpus (../corpus), these never repair
 * what they are given: a header may hold raw 8-bit bytes or NUL, lines may end in bare LF, a boundary may
 * be wrong. Everything is assembled as Buffers so no step re-encodes the bytes on the way.
 */

export const CRLF = '\r\n'

export type Headers = readonly (readonly [string, string | Buffer])[]

/** `Name: value` lines joined with `eol`, an empty line, then the body, all as given (no folding, no encoding). */
export function rawMessage(headers: Headers, body: string | Buffer, eol = CRLF): Buffer {
  const parts: Buffer[] = []
  for (const [name, value] of headers) {
    parts.push(
      Buffer.from(`${name}: `, 'latin1'),
      Buffer.isBuffer(value) ? value : Buffer.from(value),
      Buffer.from(eol),
    )
  }
  parts.push(Buffer.from(eol))
  parts.push(Buffer.isBuffer(body) ? body : Buffer.from(body.replace(/\r?\n/g, eol)))
  return Buffer.concat(parts)
}

/** One MIME entity (headers + body) as a string with CRLF line ends, for use inside a multipart body. */
export function entity(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(CRLF)
  return `${head}${CRLF}${CRLF}${body.replace(/\r?\n/g, CRLF)}`
}

/** A multipart body (RFC 2046 §5.1.1): preamble-free, every part after `--boundary`, then the close delimiter. */
export function multipartBody(boundary: string, parts: readonly string[]): string {
  return `${parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('')}--${boundary}--${CRLF}`
}

/** base64 in 76-character lines (RFC 2045 §6.8). */
export function base64Lines(data: Buffer | string): string {
  const text = (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('base64')
  return text.replace(/.{1,76}/g, (line) => `${line}${CRLF}`)
}

/** An RFC 2047 B-encoded word of UTF-8 text, control characters and all. */
export function encodedWordB(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`
}

/** A deterministic byte stream (xorshift32): large bodies without storing them, the same on every run. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
