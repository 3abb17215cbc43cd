/**
 * The header block of an RFC 5322 message as fields, and the structured values the message list needs
 * (addresses, Message-IDs, MIME parameters). Tolerant: hostile or broken mail yields empty values, never
 * an exception.
 */
import { CR, LF } from './byte-search'
import { decodeEncodedWords } from './text-decoding'

export interface AddressValue {
  name: string
  address: string
}

/** Lower-cased field name → unfolded raw values, in order. */
export type HeaderFields = Map<string, string[]>

/**
 * Where the header block of `bytes` ends: the index of the body's first byte (after the empty line), or the
 * length. Read from the bytes, stopping at the empty line: a message is never decoded whole to find it.
 */
export function headerEnd(bytes: Uint8Array): { headerLength: number; bodyStart: number } {
  // An entity without header fields starts with the empty line (RFC 2046 §5.1.1: default text/plain).
  if (bytes[0] === CR && bytes[1] === LF) return { headerLength: 0, bodyStart: 2 }
  if (bytes[0] === LF) return { headerLength: 0, bodyStart: 1 }
  // The first empty line, CRLF CRLF or LF LF (bare LF mail), whichever comes first.
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === LF) return { headerLength: i, bodyStart: i + 2 }
    if (bytes[i - 1] === CR && bytes[i + 1] === CR && bytes[i + 2] === LF) {
      return { headerLength: i - 1, bodyStart: i + 3 }
    }
  }
  return { headerLength: bytes.length, bodyStart: bytes.length }
}

/** Parses an already-decoded header block. RFC 5322 §2.2.3: a line starting with WSP continues a field. */
export function parseHeaderFields(block: string, maxFields = 2000): HeaderFields {
  const fields: HeaderFields = new Map()
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '')
  let count = 0
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const list = fields.get(name) ?? []
    list.push(line.slice(colon + 1).trim())
    fields.set(name, list)
    if (++count >= maxFields) break
  }
  return fields
}

export function first(fields: HeaderFields, name: string): string | undefined {
  return fields.get(name)?.[0]
}

/** Splits at `sep` outside quotes, angle brackets and comments. */
function splitTopLevel(value: string, sep: string): string[] {
  const out: string[] = []
  let depth = 0
  let quoted = false
  let angle = false
  let start = 0
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '\\') i++
    else if (quoted) quoted = c !== '"'
    else if (c === '"') quoted = true
    else if (c === '(') depth++
    else if (c === ')' && depth > 0) depth--
    else if (depth === 0 && c === '<') angle = true
    else if (c === '>') angle = false
    else if (depth === 0 && !angle && c === sep) {
      out.push(value.slice(start, i))
      start = i + 1
    }
  }
  out.push(value.slice(start))
  return out
}

function unquote(text: string): string {
  const t = text.trim()
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1')
  return t
}

function oneAddress(item: string): AddressValue | undefined {
  const text = item.trim()
  if (!text) return undefined
  const lt = text.lastIndexOf('<')
  const gt = text.lastIndexOf('>')
  if (lt >= 0 && gt > lt) {
    const name = decodeEncodedWords(unquote(text.slice(0, lt).replace(/\([^)]*\)/g, '')))
    return { name: name.trim(), address: text.slice(lt + 1, gt).trim() }
  }
  const comment = /\(([^)]*)\)/.exec(text)?.[1] ?? ''
  const address = text.replace(/\([^)]*\)/g, '').trim()
  return { name: decodeEncodedWords(comment).trim(), address }
}

/** An address-list (RFC 5322 §3.4), groups flattened to their members, names RFC 2047-decoded. */
export function parseAddressList(values: readonly string[] | undefined): AddressValue[] {
  const out: AddressValue[] = []
  for (const value of values ?? []) {
    for (const part of splitTopLevel(value, ',')) {
      // A group "Team: a@x, b@y;" arrives split at commas: strip the display name and the ';'.
      const groupless = part.replace(/^[^"<>(),]*?:(?!\/\/)/, '').replace(/;\s*$/, '')
      const address = oneAddress(groupless)
      if (address && (address.address || address.name)) out.push(address)
      if (out.length >= 500) return out
    }
  }
  return out
}

/** Every `<msg-id>` in a field value (References, In-Reply-To, Message-ID). */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return []
  return [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!)
}

function percentDecode(text: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : ''
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16))
      i += 2
    } else out.push(text.charCodeAt(i) & 0xff)
  }
  return Uint8Array.from(out)
}

export interface ParameterizedValue {
  /** Lower-cased, e.g. `multipart/mixed` or `attachment`. */
  value: string
  /** Lower-cased parameter names; RFC 2231 continuations (`name*0*`) are joined, charsets decoded. */
  params: Map<string, string>
}

/** Content-Type / Content-Disposition (RFC 2045 §5.1, RFC 2183, RFC 2231). */
export function parseParameterized(raw: string | undefined): ParameterizedValue {
  const parts = splitTopLevel(raw ?? '', ';')
  const value = (parts[0] ?? '')
    .replace(/\([^)]*\)/g, '')
    .trim()
    .toLowerCase()
  const pieces = new Map<string, { index: number; text: string; encoded: boolean }[]>()
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=')
    if (eq < 0) continue
    const key = p.slice(0, eq).trim().toLowerCase()
    const m = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key)
    if (!m) continue
    const list = pieces.get(m[1]!) ?? []
    list.push({ index: Number(m[2] ?? 0), text: unquote(p.slice(eq + 1)), encoded: m[3] === '*' })
    pieces.set(m[1]!, list)
  }
  const params = new Map<string, string>()
  for (const [name, list] of pieces) {
    list.sort((a, b) => a.index - b.index)
    let text = list.map((x) => x.text).join('')
    if (list[0]?.encoded) {
      // RFC 2231 §4: charset'language'percent-encoded
      const m = /^([^']*)'[^']*'(.*)$/.exec(text)
      if (m) {
        try {
          text = new TextDecoder(m[1] || 'utf-8').decode(percentDecode(m[2]!))
        } catch {
          text = m[2]!
        }
      }
    }
    params.set(name, decodeEncodedWords(text))
  }
  return { value, params }
}
