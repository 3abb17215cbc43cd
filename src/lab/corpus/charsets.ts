// Encoders for the legacy charsets real mail still arrives in. Node can decode them (TextDecoder with ICU)
// but only encodes UTF-8, so each encoder is the inverse of Node's own decoder: what we write is exactly
// what a WHATWG/iconv decoder reads back.

export type Charset =
  'us-ascii' | 'utf-8' | 'iso-8859-1' | 'windows-1252' | 'koi8-r' | 'shift_jis' | 'iso-2022-jp'

type CharMap = Map<number, number>

const singleByteMaps = new Map<string, CharMap>()

function singleByteMap(label: 'windows-1252' | 'koi8-r'): CharMap {
  let map = singleByteMaps.get(label)
  if (map) return map
  map = new Map()
  const decoder = new TextDecoder(label, { fatal: true })
  for (let b = 0; b < 256; b++) {
    try {
      const ch = decoder.decode(Uint8Array.of(b))
      if (ch.length === 1 && !map.has(ch.charCodeAt(0))) map.set(ch.charCodeAt(0), b)
    } catch {
      // Unassigned byte (e.g. 0x81 in windows-1252): nothing maps to it.
    }
  }
  singleByteMaps.set(label, map)
  return map
}

// JIS X 0208 row/cell pairs keyed by code point, built from EUC-JP (JIS code = EUC code & 0x7f7f).
let jisMap: CharMap | undefined
function jisX0208Map(): CharMap {
  if (jisMap) return jisMap
  jisMap = new Map()
  const decoder = new TextDecoder('euc-jp', { fatal: true })
  for (let hi = 0xa1; hi <= 0xfe; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      try {
        const ch = decoder.decode(Uint8Array.of(hi, lo))
        if (ch.length === 1 && !jisMap.has(ch.charCodeAt(0)))
          jisMap.set(ch.charCodeAt(0), ((hi & 0x7f) << 8) | (lo & 0x7f))
      } catch {
        // Unassigned cell.
      }
    }
  }
  return jisMap
}

let sjisMap: CharMap | undefined
function shiftJisMap(): CharMap {
  if (sjisMap) return sjisMap
  sjisMap = new Map()
  const decoder = new TextDecoder('shift_jis', { fatal: true })
  const leads = [...range(0x81, 0x9f), ...range(0xe0, 0xef)]
  for (const hi of leads) {
    for (let lo = 0x40; lo <= 0xfc; lo++) {
      if (lo === 0x7f) continue
      try {
        const ch = decoder.decode(Uint8Array.of(hi, lo))
        if (ch.length === 1 && !sjisMap.has(ch.charCodeAt(0))) sjisMap.set(ch.charCodeAt(0), (hi << 8) | lo)
      } catch {
        // Unassigned cell.
      }
    }
  }
  return sjisMap
}

function range(from: number, to: number): number[] {
  const out: number[] = []
  for (let i = from; i <= to; i++) out.push(i)
  return out
}

export class UnencodableError extends Error {}

/** Encodes text; throws UnencodableError if a character has no representation in the charset. */
export function encodeText(text: string, charset: Charset): Buffer {
  switch (charset) {
    case 'utf-8':
      return Buffer.from(text, 'utf8')
    case 'us-ascii':
      return encodeSingleByte(text, (c) => (c < 0x80 ? c : undefined), charset)
    case 'iso-8859-1':
      // True Latin-1, not WHATWG's alias for windows-1252; C1 controls are never meant as text.
      return encodeSingleByte(text, (c) => (c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : undefined), charset)
    case 'windows-1252':
    case 'koi8-r': {
      const map = singleByteMap(charset)
      return encodeSingleByte(text, (c) => (c < 0x80 ? c : map.get(c)), charset)
    }
    case 'shift_jis':
      return encodeShiftJis(text)
    case 'iso-2022-jp':
      return encodeIso2022Jp(text)
  }
}

export function canEncode(text: string, charset: Charset): boolean {
  try {
    encodeText(text, charset)
    return true
  } catch (err) {
    if (err instanceof UnencodableError) return false
    throw err
  }
}

function encodeSingleByte(text: string, lookup: (c: number) => number | undefined, charset: Charset): Buffer {
  const out = Buffer.allocUnsafe(text.length)
  for (let i = 0; i < text.length; i++) {
    const b = lookup(text.charCodeAt(i))
    if (b === undefined) throw new UnencodableError(`${JSON.stringify(text[i])} is not in ${charset}`)
    out[i] = b
  }
  return out
}

function encodeShiftJis(text: string): Buffer {
  const map = shiftJisMap()
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      out.push(c)
      continue
    }
    const code = map.get(c)
    if (code === undefined) throw new UnencodableError(`${JSON.stringify(text[i])} is not in shift_jis`)
    out.push(code >> 8, code & 0xff)
  }
  return Buffer.from(out)
}

const ESC_ASCII = [0x1b, 0x28, 0x42]
const ESC_JIS = [0x1b, 0x24, 0x42]

// RFC 1468: every line (and every encoded-word) must end back in ASCII, so each call is self-contained.
function encodeIso2022Jp(text: string): Buffer {
  const map = jisX0208Map()
  const out: number[] = []
  let jis = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      if (jis) out.push(...ESC_ASCII)
      jis = false
      out.push(c)
      continue
    }
    const code = map.get(c)
    if (code === undefined) throw new UnencodableError(`${JSON.stringify(text[i])} is not in iso-2022-jp`)
    if (!jis) out.push(...ESC_JIS)
    jis = true
    out.push(code >> 8, code & 0xff)
  }
  if (jis) out.push(...ESC_ASCII)
  return Buffer.from(out)
}
