/**
 * mboxrd (RFC 4155 with the "rd" quoting rule), written and read so that export → import gives back every
 * message byte for byte.
 *
 * Line endings: messages are stored exactly as received (POP3 delivers CRLF, RFC 1939 §3; imported files
 * may have LF). The mbox keeps each message's bytes unchanged apart from the quoting, so a CRLF message
 * stays CRLF inside the file and its "From " line and the empty separator line use CRLF too; an LF
 * message uses LF. Nothing is converted, so nothing can be lost converting back.
 *
 * Framing: `From <sender> <asctime>` EOL, the message with every line matching /^>*From / given one more
 * '>', then one EOL. On reading, every line starting with "From " begins a message (in mboxrd no body line
 * can: they were all quoted), exactly one trailing EOL is removed (the one the writer added), and one '>'
 * is removed from every line matching /^>+From /. A message that does not end in a line break still
 * round-trips: the writer's EOL is the only one removed.
 */
import { concatBytes } from './concat-bytes'

export interface MboxMessage {
  raw: Uint8Array
  /** Envelope sender for the From line; MAILER-DAEMON when unknown. */
  sender?: string
  /** For the From line's date (ms since the epoch); the epoch when unknown. */
  date?: number
}

const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20] // "From "
const GT = 0x3e
const LF = 0x0a
const CR = 0x0d

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** asctime in UTC, as RFC 4155 §2 asks for the From line: `Fri Nov 27 10:00:00 2026`. */
export function asctime(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`
  )
}

/** True when `bytes` at `at` is (`>`*)"From ". `minGt` = how many '>' at least. */
function fromLineAt(bytes: Uint8Array, at: number, minGt: number): boolean {
  let i = at
  while (i < bytes.length && bytes[i] === GT) i++
  if (i - at < minGt) return false
  for (let k = 0; k < FROM.length; k++) if (bytes[i + k] !== FROM[k]) return false
  return true
}

/**
 * The message's own line ending: CRLF when its first line break is CRLF. A message ending in a bare CR gets
 * CRLF too, so the reader, which strips a final CRLF before a final LF, removes exactly the added EOL.
 */
function eolOf(raw: Uint8Array): Uint8Array {
  const lf = raw.indexOf(LF)
  const crlf = (lf > 0 && raw[lf - 1] === CR) || raw[raw.length - 1] === CR
  return crlf ? new Uint8Array([CR, LF]) : new Uint8Array([LF])
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)

/** One message in mboxrd framing (From line, quoted bytes, separator). Concatenate for a whole file. */
export function mboxEntry(message: MboxMessage): Uint8Array {
  const { raw } = message
  const eol = eolOf(raw)
  const sender = (message.sender ?? '').replace(/[^\x21-\x7e]/g, '') || 'MAILER-DAEMON'
  const head = ascii(`From ${sender} ${asctime(message.date ?? 0)}`)
  let quotes = 0
  for (let i = 0; i < raw.length; i++) if ((i === 0 || raw[i - 1] === LF) && fromLineAt(raw, i, 0)) quotes++
  const out = new Uint8Array(head.length + eol.length + raw.length + quotes + eol.length)
  out.set(head, 0)
  out.set(eol, head.length)
  let at = head.length + eol.length
  let start = 0
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && !((i === 0 || raw[i - 1] === LF) && fromLineAt(raw, i, 0))) continue
    out.set(raw.subarray(start, i), at)
    at += i - start
    if (i < raw.length) out[at++] = GT
    start = i
  }
  out.set(eol, at)
  return out
}

/** A whole mbox file. */
export function writeMbox(messages: Iterable<MboxMessage>): Uint8Array {
  const parts = [...messages].map(mboxEntry)
  return concatBytes(parts)
}

/** The messages of an mboxrd (or mboxo) file, in file order. Bytes before the first From line are ignored. */
export function readMbox(file: Uint8Array): Uint8Array[] {
  const starts: number[] = []
  for (let i = 0; i < file.length; i = file.indexOf(LF, i) + 1 || file.length) {
    if (fromLineAt(file, i, 0) && file[i] !== GT) starts.push(i)
  }
  const out: Uint8Array[] = []
  for (let k = 0; k < starts.length; k++) {
    const lineEnd = file.indexOf(LF, starts[k]!)
    const end = starts[k + 1] ?? file.length
    if (lineEnd < 0 || lineEnd >= end) {
      out.push(new Uint8Array(0))
      continue
    }
    let body = file.subarray(lineEnd + 1, end)
    // Exactly the one EOL the writer added.
    if (body.length >= 2 && body[body.length - 2] === CR && body[body.length - 1] === LF)
      body = body.subarray(0, -2)
    else if (body.length >= 1 && body[body.length - 1] === LF) body = body.subarray(0, -1)
    out.push(unquote(body))
  }
  return out
}

function unquote(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length)
  let n = 0
  for (let i = 0; i < body.length; i++) {
    if ((i === 0 || body[i - 1] === LF) && fromLineAt(body, i, 1)) continue // drop one '>'
    out[n++] = body[i]!
  }
  return out.subarray(0, n).slice()
}
