/**
 * Byte ↔ text helpers for the worker's header parser: charsets via TextDecoder (present in browsers,
 * workers and Node), RFC 2047 encoded-words, and the two transfer encodings of RFC 2045 §6. DOM-free.
 */

/** The part of TextDecoder used here (a structural type: Node's typings declare TextDecoder only as a value). */
export interface Decoder {
  readonly encoding: string
  decode(input?: Uint8Array): string
}

const decoders = new Map<string, Decoder>()

/**
 * A decoder for a MIME charset label; unknown labels fall back to windows-1252 (what mail "latin1" means).
 * ISO-2022-JP gets a new decoder every time: Chromium's keeps the escape state of the previous decode()
 * (156, worker and page alike), so text starting with ESC $ B after a call that ended with ESC ( B
 * decoded to a leading U+FFFD (garbled subjects and snippets of Japanese mail). Node's decoder does not.
 */
export function decoderFor(charset: string): Decoder {
  const label = charset.trim().toLowerCase() || 'us-ascii'
  const cached = decoders.get(label)
  if (cached) return cached
  let made: Decoder
  try {
    made = new TextDecoder(label)
  } catch {
    made = new TextDecoder('windows-1252')
  }
  if (made.encoding !== 'iso-2022-jp') decoders.set(label, made)
  return made
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('windows-1252')

/** Raw 8-bit header bytes: UTF-8 when they are valid UTF-8 (RFC 6532), else windows-1252. */
export function decodeHeaderBytes(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes)
  } catch {
    return latin1.decode(bytes)
  }
}

/** One char per byte, for scanning message structure (boundaries, header names) without decoding. */
export function bytesToBinaryString(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 32_768) {
    out += String.fromCharCode(...bytes.subarray(i, i + 32_768))
  }
  return out
}

export function binaryStringToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff
  return out
}

/**
 * Base64 that may be cut anywhere. A trailing group of 2 or 3 characters still carries whole bytes
 * (the same ones padding would give); a single leftover character carries none and is dropped.
 */
export function decodeBase64Prefix(text: string): Uint8Array {
  const end = text.indexOf('=')
  let clean = (end < 0 ? text : text.slice(0, end)).replace(/[^A-Za-z0-9+/]/g, '')
  if (clean.length % 4 === 1) clean = clean.slice(0, -1)
  return binaryStringToBytes(atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '=')))
}

/** Quoted-printable (RFC 2045 §6.7) that may be cut anywhere; `underscoreIsSpace` for RFC 2047 "Q". */
export function decodeQuotedPrintable(text: string, underscoreIsSpace = false): Uint8Array {
  const src = text.replace(/=\r?\n/g, '')
  const out = new Uint8Array(src.length)
  let n = 0
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i)
    if (c === 0x3d) {
      const hex = src.slice(i + 1, i + 3)
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out[n++] = Number.parseInt(hex, 16)
        i += 2
        continue
      }
      if (i >= src.length - 2) break // an escape cut in half at the end of a prefix
    }
    out[n++] = underscoreIsSpace && c === 0x5f ? 0x20 : c & 0xff
  }
  return out.subarray(0, n)
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g

/**
 * Decodes RFC 2047 encoded-words. White space between two adjacent encoded-words is dropped (§6.2);
 * the optional RFC 2231 language (`charset*lang`) is ignored. Malformed words stay as they are.
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text
  const joined = text.replace(/(\?=)\s+(?==\?)/g, '$1')
  return joined.replace(ENCODED_WORD, (word, charset: string, enc: string, payload: string) => {
    try {
      const bytes =
        enc.toUpperCase() === 'B' ? decodeBase64Prefix(payload) : decodeQuotedPrintable(payload, true)
      return decoderFor(charset.split('*')[0] ?? '').decode(bytes)
    } catch {
      return word
    }
  })
}
