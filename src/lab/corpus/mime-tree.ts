// A minimal MIME tree and its serializer. Leaves carry already-encoded bodies ending in CRLF, so
// serializing is only concatenation: a multipart of many megabytes costs one Buffer.concat.

import { encodeText, type Charset } from './charsets'
import {
  base64Lines,
  headerWithParams,
  parameterTokens,
  quotedPrintable,
  toCrlf,
  unstructuredTokens,
} from './mime-encode'
import type { Rng } from './prng'

export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable' | 'base64'

export interface LeafPart {
  /** Content-* header lines, each ending in CRLF. */
  headers: string
  body: Buffer
}

export interface MultiPart {
  subtype: 'mixed' | 'alternative' | 'related'
  boundary: string
  parts: MimePart[]
}

export type MimePart = LeafPart | MultiPart

const CRLF = '\r\n'

function isMulti(part: MimePart): part is MultiPart {
  return 'parts' in part
}

/**
 * Appends the part to `out`: `extraHeaders` (the message header when this is the root), its Content-*
 * headers, a blank line, the body. Leaf bodies end in CRLF, which doubles as the CRLF that RFC 2046 puts
 * before each boundary delimiter.
 */
export function serializePart(part: MimePart, out: Buffer[], extraHeaders = ''): void {
  if (!isMulti(part)) {
    out.push(Buffer.from(extraHeaders + part.headers + CRLF, 'latin1'), part.body)
    return
  }
  const params =
    part.subtype === 'related'
      ? [['type="text/html"'], [`boundary="${part.boundary}"`]]
      : [[`boundary="${part.boundary}"`]]
  let head = extraHeaders + headerWithParams('Content-Type', `multipart/${part.subtype}`, params) + CRLF
  // Most mailers write a preamble for non-MIME readers; parsers must skip it.
  if (extraHeaders !== '') head += 'This is a multi-part message in MIME format.' + CRLF
  out.push(Buffer.from(head, 'latin1'))
  for (const child of part.parts) {
    out.push(Buffer.from(`--${part.boundary}${CRLF}`, 'latin1'))
    serializePart(child, out)
  }
  out.push(Buffer.from(`--${part.boundary}--${CRLF}`, 'latin1'))
}

/** Picks a transfer encoding the way assorted real mailers do for this charset and content. */
export function chooseTransferEncoding(rng: Rng, bytes: Buffer, charset: Charset): TransferEncoding {
  if (charset === 'iso-2022-jp') return '7bit'
  let ascii = true
  for (const b of bytes) {
    if (b >= 0x80) {
      ascii = false
      break
    }
  }
  if (ascii) return rng.chance(0.8) ? '7bit' : 'quoted-printable'
  switch (charset) {
    case 'utf-8':
      return rng.weighted([
        ['quoted-printable', 45],
        ['base64', 35],
        ['8bit', 20],
      ])
    case 'shift_jis':
      return rng.weighted([
        ['base64', 70],
        ['8bit', 30],
      ])
    case 'koi8-r':
      return rng.weighted([
        ['8bit', 50],
        ['quoted-printable', 30],
        ['base64', 20],
      ])
    default:
      return rng.weighted([
        ['quoted-printable', 70],
        ['8bit', 30],
      ])
  }
}

export function encodeBody(bytes: Buffer, cte: TransferEncoding): Buffer {
  switch (cte) {
    case 'base64':
      return base64Lines(bytes)
    case 'quoted-printable':
      return quotedPrintable(bytes)
    default:
      return toCrlf(bytes)
  }
}

/** A text/plain or text/html leaf. `text` uses LF line ends and ends with one. */
export function textPart(rng: Rng, text: string, subtype: 'plain' | 'html', charset: Charset): LeafPart {
  const bytes = encodeText(text, charset)
  const cte = chooseTransferEncoding(rng, bytes, charset)
  const headers =
    headerWithParams('Content-Type', `text/${subtype}`, [[`charset="${charset}"`]]) +
    `Content-Transfer-Encoding: ${cte}${CRLF}`
  return { headers, body: encodeBody(bytes, cte) }
}

export interface AttachmentSpec {
  filename: string
  contentType: string
  data: Buffer
  /** Charset for the RFC 2231 filename when it is not ASCII. */
  filenameCharset: Charset
  /** Also put an RFC 2047 `name=` on Content-Type, as Outlook and many webmailers do. */
  legacyName: boolean
  inline?: { contentId: string }
}

export function attachmentPart(spec: AttachmentSpec): LeafPart {
  const typeParams: string[][] = []
  if (spec.legacyName) {
    const encoded = unstructuredTokens(spec.filename, 'utf-8', 'B').join(' ')
    typeParams.push([`name="${encoded}"`])
  }
  const disposition = spec.inline ? 'inline' : 'attachment'
  let headers =
    headerWithParams('Content-Type', spec.contentType, typeParams) +
    headerWithParams('Content-Disposition', disposition, [
      parameterTokens('filename', spec.filename, spec.filenameCharset),
    ]) +
    `Content-Transfer-Encoding: base64${CRLF}`
  if (spec.inline) headers += `Content-ID: <${spec.inline.contentId}>${CRLF}`
  return { headers, body: base64Lines(spec.data) }
}
