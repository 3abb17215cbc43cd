/**
 * Searching raw message bytes for ASCII structure (MIME delimiters) without decoding them to a string first:
 * the summary used to decode every message whole just to find its boundaries, most of a download's text
 * decoding and of its garbage.
 */

export const CR = 0x0d
export const LF = 0x0a

/** Whether `needle` occurs in `bytes` at `at`. */
export function startsWithBytes(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > bytes.length) return false
  for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false
  return true
}

/**
 * The first index in [`from`, `before`) at which `needle` occurs in `bytes`, or -1. The native search looks
 * for `needle[anchor]`: pick a byte that is rare in what is searched (a delimiter's '-' never occurs in
 * base64). With `before`, no byte from `before + needle.length` on is read.
 */
export function indexOfBytes(
  bytes: Uint8Array,
  needle: Uint8Array,
  from: number,
  anchor = 0,
  before = bytes.length,
): number {
  const start = Math.max(from, 0)
  if (needle.length === 0) return start < before ? Math.min(start, bytes.length) : -1
  const hay = before + needle.length < bytes.length ? bytes.subarray(0, before + needle.length - 1) : bytes
  const key = needle[anchor]!
  for (let i = hay.indexOf(key, start + anchor); i >= 0; i = hay.indexOf(key, i + 1)) {
    if (i - anchor >= before) return -1
    if (startsWithBytes(hay, needle, i - anchor)) return i - anchor
  }
  return -1
}

let windows1252: Map<string, number> | undefined

/**
 * `text` as windows-1252 bytes, the inverse of TextDecoder('windows-1252') (which maps every byte to one
 * UTF-16 unit); null when a character has no byte there, so it cannot occur in bytes decoded that way.
 */
export function windows1252Bytes(text: string): Uint8Array | null {
  if (!windows1252) {
    const decoded = new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, i) => i))
    windows1252 = new Map([...decoded].map((c, i) => [c, i]))
  }
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const byte = windows1252.get(text[i]!)
    if (byte === undefined) return null
    out[i] = byte
  }
  return out
}
