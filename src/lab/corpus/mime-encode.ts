// Byte-level MIME encoders (RFC 2045 base64/QP, RFC 2047 encoded-words, RFC 2231 parameters). Written by
// hand rather than via nodemailer's MailComposer because the corpus needs control over charsets it does not
// produce (KOI8-R, ISO-2022-JP, …) and because 100k messages must build in seconds.

import { encodeText, type Charset } from './charsets'

const CRLF = '\r\n'
const HEX = '0123456789ABCDEF'

/** Base64 in 76-character lines, each ended by CRLF. */
export function base64Lines(data: Buffer): Buffer {
  const b64 = data.toString('base64')
  const lines = Math.ceil(b64.length / 76)
  const out = Buffer.allocUnsafe(b64.length + lines * 2)
  let o = 0
  for (let i = 0; i < b64.length; i += 76) {
    o += out.write(b64.slice(i, i + 76), o, 'latin1')
    out[o++] = 0x0d
    out[o++] = 0x0a
  }
  return out.subarray(0, o)
}

/** Converts LF line ends to CRLF (for 7bit/8bit bodies). Input must not already contain CR. */
export function toCrlf(data: Buffer): Buffer {
  let lf = 0
  for (let i = 0; i < data.length; i++) if (data[i] === 0x0a) lf++
  const out = Buffer.allocUnsafe(data.length + lf)
  let o = 0
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!
    if (b === 0x0a) out[o++] = 0x0d
    out[o++] = b
  }
  return out
}

/**
 * Quoted-printable for text whose lines end in LF; output lines end in CRLF, with soft breaks so no
 * line exceeds 76 characters.
 */
export function quotedPrintable(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length * 3 + Math.ceil(data.length / 25) * 3 + 2)
  let o = 0
  let col = 0
  const softBreak = (): void => {
    out[o++] = 0x3d
    out[o++] = 0x0d
    out[o++] = 0x0a
    col = 0
  }
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!
    if (b === 0x0a) {
      out[o++] = 0x0d
      out[o++] = 0x0a
      col = 0
      continue
    }
    const atLineEnd = i + 1 === data.length || data[i + 1] === 0x0a
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !atLineEnd)
    const width = literal ? 1 : 3
    // Leave room for the "=" of a soft break unless this is the last character on the line.
    if (col + width > (atLineEnd ? 76 : 75)) softBreak()
    if (literal) {
      out[o++] = b
    } else {
      out[o++] = 0x3d
      out[o++] = HEX.charCodeAt(b >> 4)
      out[o++] = HEX.charCodeAt(b & 15)
    }
    col += width
  }
  return out.subarray(0, o)
}

export type WordEncoding = 'B' | 'Q'

const MAX_WORD = 75

function qEncode(bytes: Buffer): string {
  // The restrictive RFC 2047 5(3) set, valid in phrases (display names) as well as in unstructured text.
  let s = ''
  for (const b of bytes) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d) {
      s += String.fromCharCode(b)
    } else if (b === 0x20) {
      s += '_'
    } else {
      s += '=' + HEX[b >> 4]! + HEX[b & 15]!
    }
  }
  return s
}

function encodedWord(text: string, charset: Charset, mode: WordEncoding): string {
  const bytes = encodeText(text, charset)
  const payload = mode === 'B' ? bytes.toString('base64') : qEncode(bytes)
  return `=?${charset.toUpperCase()}?${mode}?${payload}?=`
}

/**
 * RFC 2047 encoded-words of at most 75 characters. Text is split between characters (never inside a
 * multi-byte sequence or surrogate pair), and each word is encoded on its own, so ISO-2022-JP words
 * each return to ASCII as RFC 1468 requires.
 */
export function encodeWords(text: string, charset: Charset, mode: WordEncoding): string[] {
  const chars = Array.from(text)
  const words: string[] = []
  let start = 0
  while (start < chars.length) {
    let end = start + 1
    let best = encodedWord(chars.slice(start, end).join(''), charset, mode)
    while (end < chars.length) {
      const candidate = encodedWord(chars.slice(start, end + 1).join(''), charset, mode)
      if (candidate.length > MAX_WORD) break
      best = candidate
      end++
    }
    words.push(best)
    start = end
  }
  return words
}

const NEEDS_ENCODING = /[^\x20-\x7e]/

export function isAscii(text: string): boolean {
  return !NEEDS_ENCODING.test(text)
}

/**
 * Header tokens for unstructured text (Subject): leading and trailing ASCII words stay readable, the
 * stretch from the first to the last non-ASCII word becomes encoded-words, as common mailers do.
 */
export function unstructuredTokens(text: string, charset: Charset, mode: WordEncoding): string[] {
  if (isAscii(text)) return text.split(' ')
  const words = text.split(' ')
  const first = words.findIndex((w) => !isAscii(w))
  let last = words.length - 1
  while (isAscii(words[last]!)) last--
  return [
    ...words.slice(0, first),
    ...encodeWords(words.slice(first, last + 1).join(' '), charset, mode),
    ...words.slice(last + 1),
  ]
}

export interface Address {
  name?: string
  address: string
}

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/

/** Tokens of one mailbox: an encoded, quoted or plain display name followed by <address>. */
export function addressTokens(addr: Address, charset: Charset, mode: WordEncoding): string[] {
  const name = addr.name
  if (!name) return [addr.address]
  if (!isAscii(name)) return [...encodeWords(name, charset, mode), `<${addr.address}>`]
  if (ATOM_PHRASE.test(name)) return [...name.split(' '), `<${addr.address}>`]
  return [`"${name.replace(/[\\"]/g, (c) => '\\' + c)}"`, `<${addr.address}>`]
}

/** Folds tokens into a header field of lines up to 78 characters where the tokens allow. */
export function foldHeader(name: string, tokens: readonly string[]): string {
  let out = name + ':'
  let col = out.length
  for (const token of tokens) {
    if (token === '') continue
    if (col + 1 + token.length > 78 && col > name.length + 1) {
      out += CRLF + ' ' + token
      col = 1 + token.length
    } else {
      out += ' ' + token
      col += 1 + token.length
    }
  }
  return out + CRLF
}

/** An address-list header; commas end every mailbox but the last. */
export function addressHeader(
  name: string,
  addrs: readonly Address[],
  charset: Charset,
  mode: WordEncoding,
): string {
  const tokens: string[] = []
  addrs.forEach((a, i) => {
    const t = addressTokens(a, charset, mode)
    if (i < addrs.length - 1) t[t.length - 1] += ','
    tokens.push(...t)
  })
  return foldHeader(name, tokens)
}

const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/

function percentEncode(bytes: Buffer): string[] {
  const out: string[] = []
  for (const b of bytes) {
    const c = String.fromCharCode(b)
    out.push(b < 0x80 && ATTR_CHAR.test(c) ? c : '%' + HEX[b >> 4]! + HEX[b & 15]!)
  }
  return out
}

/**
 * A parameter as header tokens: `name="value"` for ASCII, else RFC 2231 `name*=charset''…`, split into
 * `name*0*=…; name*1*=…` continuations when long. Percent-escapes are never split.
 */
export function parameterTokens(name: string, value: string, charset: Charset): string[] {
  if (isAscii(value)) return [`${name}="${value.replace(/[\\"]/g, (c) => '\\' + c)}"`]
  const pieces = percentEncode(encodeText(value, charset))
  const prefix = `${charset}''`
  const single = `${name}*=${prefix}${pieces.join('')}`
  if (single.length <= 76) return [single]
  const sections: string[] = []
  let current = prefix
  for (const p of pieces) {
    if (current.length + p.length > 60 && current !== prefix) {
      sections.push(current)
      current = ''
    }
    current += p
  }
  sections.push(current)
  return sections.map((s, i) => `${name}*${i}*=${s}`)
}

/** `Content-Type: type; a=1; b=2` with folding between parameters. */
export function headerWithParams(name: string, value: string, params: readonly string[][]): string {
  const tokens = [params.length ? value + ';' : value]
  const flat = params.flat()
  flat.forEach((p, i) => tokens.push(i < flat.length - 1 ? p + ';' : p))
  return foldHeader(name, tokens)
}
