/**
 * What the message list shows, read from a message's raw bytes in the worker: subject, addresses, date,
 * thread key, a snippet and whether it has attachments. A full MIME parser (postal-mime, used by the
 * reading pane) decodes every part and costs ~2 ms a message; this reads the header block and walks the
 * MIME structure without decoding anything but the start of the first text part (~0.1 ms), so a 10k
 * download is not held up by the list. Never throws: broken mail gets empty fields.
 */
import {
  first,
  headerEnd,
  parseAddressList,
  parseHeaderFields,
  parseMessageIds,
  parseParameterized,
  type AddressValue,
  type HeaderFields,
  type ParameterizedValue,
} from './header-fields'
import {
  decodeBase64Prefix,
  decodeEncodedWords,
  decodeHeaderBytes,
  decodeQuotedPrintable,
  decoderFor,
} from './text-decoding'
import { CR, LF, indexOfBytes, startsWithBytes, windows1252Bytes } from './byte-search'
import { saneThreadingIds } from '../../threading/thread-key'
import { clampAddresses, clampText, HEADER_LIMITS } from '../../../../../shared/mail/header-limits'

export interface MessageSummary {
  subject: string
  from: AddressValue[]
  to: AddressValue[]
  cc: AddressValue[]
  /** Milliseconds since the epoch from the Date field; null when missing or absurd. */
  date: number | null
  /** Threading ids, sane (../../threading/thread-key.ts): usable ids only, no self-references, at most 100 references. */
  messageId: string | null
  references: readonly string[]
  inReplyTo: string | null
  snippet: string
  hasAttachments: boolean
}

export const SNIPPET_CHARS = 200
/** Encoded bytes of a text part read for the snippet: enough for 200 characters after base64 and UTF-8. */
const SNIPPET_SOURCE = 2048
const MAX_DEPTH = 8
const MAX_LEAVES = 200
/**
 * Bytes of a message the summary reads (hostile mail: ~20 MiB and more). Every scan below is linear in this
 * and bounded by MAX_DEPTH/MAX_LEAVES: a summary stays well under a second on the dev VM, whatever the message
 * (message-summary-limits.test.ts).
 */
const MAX_SCAN_BYTES = 16 * 1024 * 1024

/** Decodes a text part's encoded prefix (base64 or quoted-printable letters) byte for byte. */
const scanDecoder = new TextDecoder('windows-1252')

interface Leaf {
  type: string
  charset: string
  encoding: string
  attachment: boolean
  bodyStart: number
  bodyEnd: number
}

/** An entity's header fields and where its body starts. */
interface Entity {
  fields: HeaderFields
  bodyStart: number
}

function entityHeaders(
  raw: Uint8Array,
  start: number,
  end: number,
  { headerLength, bodyStart } = headerEnd(raw.subarray(start, end)),
): Entity {
  const fields = parseHeaderFields(decodeHeaderBytes(raw.subarray(start, start + headerLength)))
  return { fields, bodyStart: Math.min(start + bodyStart, end) }
}

const DASH = 0x2d

/** Whether a content type with these parameters is walked into at `depth` (else it is a leaf). */
function isWalkedMultipart(ct: ParameterizedValue, depth: number): boolean {
  return ct.value.startsWith('multipart/') && !!ct.params.get('boundary') && depth < MAX_DEPTH
}

function leafOf(ct: ParameterizedValue, fields: HeaderFields, bodyStart: number, bodyEnd: number): Leaf {
  const disposition = parseParameterized(first(fields, 'content-disposition'))
  const named = disposition.params.has('filename') || ct.params.has('name')
  return {
    type: ct.value || 'text/plain',
    charset: ct.params.get('charset') ?? 'us-ascii',
    encoding: (first(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    attachment:
      disposition.value === 'attachment' ||
      (named && disposition.value !== 'inline') ||
      ct.value === 'message/rfc822',
    bodyStart,
    bodyEnd,
  }
}

const isPlainText = (l: Leaf): boolean => !l.attachment && l.type === 'text/plain'

/**
 * Nothing later in the message can change its summary: the snippet's part (the first text/plain one) and an
 * attachment are both found. Usually the text comes first, so the walk stops before the attachments' bytes.
 */
const decided = (leaves: readonly Leaf[]): boolean =>
  leaves.some(isPlainText) && leaves.some((l) => l.attachment)

/**
 * The header of the part starting at `start`, when it is read the same without knowing where the part ends:
 * its empty line comes before `end` and before any delimiter. Then a part that decides the summary (an
 * attachment after the text) needs no search for its end through its bytes.
 */
function peekPart(raw: Uint8Array, start: number, end: number, delimiter: Uint8Array): Entity | undefined {
  const where = headerEnd(raw.subarray(start, end))
  const bodyStart = start + where.bodyStart
  // The part ends at the next delimiter (or one byte before it, at a CR): it must start past the body start.
  if (bodyStart >= end || indexOfBytes(raw, delimiter, start - 1, 1, bodyStart + 1) >= 0) return undefined
  return entityHeaders(raw, start, end, where)
}

/**
 * Collects the leaves of the entity at `raw[start, end)` (its header already read: `entity`) and says whether
 * the summary is decided. `raw` is the scanned part of the message; the structure is found in the bytes
 * (boundaries are ASCII, RFC 2046 §5.1.1), and only header blocks and the chosen text part's start are ever
 * decoded.
 */
function walk(
  raw: Uint8Array,
  start: number,
  end: number,
  depth: number,
  leaves: Leaf[],
  entity?: Entity,
): boolean {
  if (leaves.length >= MAX_LEAVES) return false
  const { fields, bodyStart } = entity ?? entityHeaders(raw, start, end)
  const ct = parseParameterized(first(fields, 'content-type') ?? 'text/plain')
  if (!isWalkedMultipart(ct, depth)) {
    leaves.push(leafOf(ct, fields, bodyStart, end))
    return decided(leaves)
  }
  // A boundary with a character no byte decodes to cannot occur: a multipart without parts.
  const dashBoundary = windows1252Bytes(`--${ct.params.get('boundary')!}`)
  if (!dashBoundary) return false
  const delimiter = new Uint8Array(dashBoundary.length + 1)
  delimiter[0] = LF
  delimiter.set(dashBoundary, 1)
  // Searched by its first '-': rare in text, never in base64 (a line break is in every line).
  const find = (from: number): number => indexOfBytes(raw, delimiter, from, 1)
  // The first delimiter may open the body directly, without a preceding line break (RFC 2046 §5.1.1).
  let at = startsWithBytes(raw, dashBoundary, bodyStart) ? bodyStart - 1 : find(bodyStart)
  while (at >= 0 && at < end) {
    const after = at + delimiter.length
    const lineEnd = raw.indexOf(LF, after)
    if ((raw[after] === DASH && raw[after + 1] === DASH) || lineEnd < 0) return false // closing delimiter
    const partStart = lineEnd + 1
    const peeked = peekPart(raw, partStart, end, delimiter)
    if (peeked && leaves.length < MAX_LEAVES && leaves.some(isPlainText)) {
      const partCt = parseParameterized(first(peeked.fields, 'content-type') ?? 'text/plain')
      if (!isWalkedMultipart(partCt, depth + 1)) {
        // Its end is not searched for: only the text part's end is ever read.
        const leaf = leafOf(partCt, peeked.fields, peeked.bodyStart, end)
        if (leaf.attachment) {
          leaves.push(leaf)
          return true
        }
      }
    }
    const next = find(lineEnd)
    const partEnd = next < 0 || next > end ? end : next
    // The CRLF before a delimiter belongs to the delimiter.
    const part = raw[partEnd - 1] === CR ? partEnd - 1 : partEnd
    if (walk(raw, partStart, part, depth + 1, leaves, peeked)) return true
    at = next
  }
  return false
}

function leafText(raw: Uint8Array, leaf: Leaf): string {
  const source = raw.subarray(leaf.bodyStart, Math.min(leaf.bodyEnd, leaf.bodyStart + SNIPPET_SOURCE))
  const encoded = scanDecoder.decode(source)
  const bytes =
    leaf.encoding === 'base64'
      ? decodeBase64Prefix(encoded)
      : leaf.encoding === 'quoted-printable'
        ? decodeQuotedPrintable(encoded)
        : source
  // A prefix may end inside a multi-byte character: the replacement character there is dropped.
  let out = decoderFor(leaf.charset)
    .decode(bytes)
    .replace(/\uFFFD+$/, '')
  if (leaf.type === 'text/html') {
    out = out
      .replace(/<(style|script|head)[\s\S]*?(<\/\1>|$)/gi, ' ')
      .replace(/<[^>]*>?/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
  }
  return out
}

/** One line of at most SNIPPET_CHARS characters; quoted reply lines say nothing new and are left out. */
function snippetOf(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => !l.trimStart().startsWith('>'))
  return firstCodePoints(lines.join(' ').replace(/\s+/g, ' ').trim(), SNIPPET_CHARS)
}

/** The first `count` code points of `text` (a pair of surrogates is one), without splitting all of it. */
function firstCodePoints(text: string, count: number): string {
  let end = 0
  for (let k = 0; k < count && end < text.length; k++) end += text.codePointAt(end)! > 0xffff ? 2 : 1
  return text.slice(0, end)
}

function dateOf(fields: HeaderFields): number | null {
  const value = first(fields, 'date')
  if (!value) return null
  const parsed = Date.parse(value.replace(/\([^)]*\)/g, '').trim())
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null
}

/** What a message gets when even its header cannot be read: still stored, listed, and openable as source. */
const UNREADABLE: MessageSummary = {
  subject: '',
  from: [],
  to: [],
  cc: [],
  date: null,
  messageId: null,
  references: [],
  inReplyTo: null,
  snippet: '',
  hasAttachments: false,
}

/**
 * A subject's raw value is cut before RFC 2047 decoding (encoded words at most quadruple the text), so a
 * megabyte Subject costs no more to decode than a long one.
 */
const SUBJECT_SOURCE_CHARS = HEADER_LIMITS.subjectChars * 4

/**
 * Summarises raw RFC 5322 bytes (CRLF or LF line ends), every value within HEADER_LIMITS. Never throws: the
 * caller stores the message in the same transaction, and one unreadable message must not hold up the rest.
 */
export function summarizeMessage(raw: Uint8Array): MessageSummary {
  try {
    return readSummary(raw)
  } catch {
    return UNREADABLE
  }
}

function readSummary(raw: Uint8Array): MessageSummary {
  // A huge message is only scanned at its start: the list needs the header and the first text part.
  const truncated = raw.byteLength > MAX_SCAN_BYTES
  const scanned = truncated ? raw.subarray(0, MAX_SCAN_BYTES) : raw
  const root = entityHeaders(scanned, 0, scanned.length)
  const { fields } = root
  const leaves: Leaf[] = []
  try {
    walk(scanned, 0, scanned.length, 0, leaves, root)
  } catch {
    // Structure we cannot follow: the list still gets the header fields.
  }
  const textLeaf =
    leaves.find((l) => !l.attachment && l.type === 'text/plain') ??
    leaves.find((l) => !l.attachment && l.type === 'text/html')
  return {
    subject: clampText(
      decodeEncodedWords((first(fields, 'subject') ?? '').slice(0, SUBJECT_SOURCE_CHARS)).trim(),
      HEADER_LIMITS.subjectChars,
    ),
    from: clampAddresses(parseAddressList(fields.get('from'))),
    to: clampAddresses(parseAddressList(fields.get('to'))),
    cc: clampAddresses(parseAddressList(fields.get('cc'))),
    date: dateOf(fields),
    ...saneThreadingIds({
      messageId: parseMessageIds(first(fields, 'message-id'))[0] ?? null,
      references: parseMessageIds(first(fields, 'references')),
      inReplyTo: parseMessageIds(first(fields, 'in-reply-to'))[0] ?? null,
    }),
    snippet: textLeaf ? snippetOf(leafText(raw, textLeaf)) : '',
    // Past the scanned part there is almost surely an attachment: text alone does not reach 16 MiB.
    hasAttachments: truncated || leaves.some((l) => l.attachment),
  }
}
