import type {
  FetchMessageObject,
  FetchQueryObject,
  MessageAddressObject,
  MessageStructureObject,
} from 'imapflow'
import { boundedId, clampAddresses, clampText, HEADER_LIMITS } from '../../shared/mail/header-limits'
import type { Address, HeaderRecord } from './types'

/** Header fields the envelope lacks; fetched with BODY.PEEK[HEADER.FIELDS (…)] so \Seen is never set. */
export const EXTRA_HEADERS = ['references', 'list-id'] as const

/** The FETCH items of one header record (RFC 9051 §6.4.5). `uid` makes imapflow send UID FETCH. */
export const HEADER_QUERY: FetchQueryObject = {
  uid: true,
  flags: true,
  internalDate: true,
  size: true,
  envelope: true,
  bodyStructure: true,
  headers: [...EXTRA_HEADERS],
}

function addresses(list: MessageAddressObject[] | undefined): Address[] {
  return (list ?? [])
    .filter((a) => a.address !== undefined || a.name !== undefined)
    .map((a) => ({ name: a.name ?? '', address: a.address ?? '' }))
}

function iso(value: Date | string | undefined): string | null {
  if (value === undefined) return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** References kept: the thread key reads the first ones only (the root); 20,000 ids are not carried. */
export const MAX_REFERENCES = 100

/** Unfolds a block of header lines (RFC 5322 §2.2.3) into name → value (first occurrence wins). */
export function parseHeaderBlock(block: Buffer | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (!block) return out
  const unfolded = block.toString('latin1').replace(/\r?\n[ \t]+/g, ' ')
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim())
  }
  return out
}

/** `<a@x> <b@y>` → `['<a@x>', '<b@y>']` (RFC 5322 §3.6.4). */
export function messageIds(value: string | undefined): string[] {
  return value === undefined ? [] : (value.match(/<[^<>\s]+>/g) ?? [])
}

/** RFC 2919 §3: the list identifier is the part in angle brackets; the phrase before it is a description. */
export function listIdOf(value: string | undefined): string | null {
  if (value === undefined) return null
  const m = /<([^<>]+)>/.exec(value)
  return m ? m[1]!.trim() : value.trim() || null
}

/**
 * The leaves of a BODYSTRUCTURE in order, with whether they sit inside multipart/related or /alternative.
 * A hostile server (or message) can nest parts without end: the walk stops at HEADER_LIMITS.structureDepth
 * levels and HEADER_LIMITS.structureNodes nodes, and uses its own stack, so no tree can exhaust the core's.
 */
function leavesOf(
  root: MessageStructureObject | undefined,
): { node: MessageStructureObject; inBody: boolean }[] {
  const out: { node: MessageStructureObject; inBody: boolean }[] = []
  if (!root) return out
  const stack: { node: MessageStructureObject; inBody: boolean; depth: number }[] = [
    { node: root, inBody: false, depth: 0 },
  ]
  let visited = 0
  while (stack.length > 0 && visited++ < HEADER_LIMITS.structureNodes) {
    const { node, inBody, depth } = stack.pop()!
    const children = node.childNodes ?? []
    if (children.length === 0) {
      out.push({ node, inBody })
      continue
    }
    if (depth >= HEADER_LIMITS.structureDepth) continue
    const type = (node.type ?? '').toLowerCase()
    const body = inBody || type === 'multipart/related' || type === 'multipart/alternative'
    // Reversed onto the stack so leaves come out in document order.
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i]!, inBody: body, depth: depth + 1 })
  }
  return out
}

/**
 * True when the message carries something a user would call an attachment: a part with
 * `Content-Disposition: attachment`, or a non-text leaf outside multipart/related and multipart/alternative
 * (inline images of an HTML newsletter are part of its body, not attachments).
 */
export function hasAttachments(node: MessageStructureObject | undefined): boolean {
  return leavesOf(node).some(({ node: leaf, inBody }) => {
    const type = (leaf.type ?? '').toLowerCase()
    if (leaf.disposition?.toLowerCase() === 'attachment') return true
    if (inBody || type.startsWith('text/') || type.startsWith('multipart/')) return false
    return leaf.disposition?.toLowerCase() !== 'inline' || leaf.dispositionParameters?.filename !== undefined
  })
}

/** The part that makes the best snippet: the first text/plain body part, else the first text/html one. */
export interface SnippetPart {
  /** Body section (RFC 9051 §6.4.5): `1` for a single-part message. */
  part: string
  type: string
  charset: string
  encoding: string
}

export function snippetPartOf(structure: MessageStructureObject | undefined): SnippetPart | null {
  const leaves = leavesOf(structure)
    .map((l) => l.node)
    .filter((n) => n.disposition?.toLowerCase() !== 'attachment')
  const pick = leaves.find((l) => l.type === 'text/plain') ?? leaves.find((l) => l.type === 'text/html')
  if (!pick) return null
  return {
    part: pick.part ?? '1',
    type: pick.type,
    charset: pick.parameters?.charset ?? 'us-ascii',
    encoding: (pick.encoding ?? '7bit').toLowerCase(),
  }
}

/**
 * Flags worth storing: without \Recent, which belongs to one session and is gone in IMAP4rev2 (RFC 9051 §2.3.2).
 */
export function storedFlags(flags: Iterable<string> | undefined): string[] {
  return [...(flags ?? [])].filter((f) => f.toLowerCase() !== '\\recent')
}

/**
 * Maps one imapflow FETCH result to our serializable record (snippet filled in later), every value within
 * HEADER_LIMITS. Never throws: a record that cannot be read still becomes a row (UID, flags, size), so the
 * message is listed and its source can be opened.
 */
export function toHeaderRecord(msg: FetchMessageObject): HeaderRecord {
  try {
    return readHeaderRecord(msg)
  } catch {
    return {
      uid: msg.uid,
      flags: storedFlags(msg.flags),
      internalDate: iso(msg.internalDate) ?? new Date(0).toISOString(),
      size: msg.size ?? 0,
      date: null,
      subject: '',
      from: [],
      sender: [],
      replyTo: [],
      to: [],
      cc: [],
      bcc: [],
      messageId: null,
      inReplyTo: null,
      references: [],
      listId: null,
      hasAttachments: false,
      snippet: null,
    }
  }
}

function readHeaderRecord(msg: FetchMessageObject): HeaderRecord {
  const env = msg.envelope ?? {}
  const extra = parseHeaderBlock(msg.headers)
  const list = (a: MessageAddressObject[] | undefined): Address[] => clampAddresses(addresses(a))
  const record: HeaderRecord = {
    uid: msg.uid,
    flags: storedFlags(msg.flags),
    internalDate: iso(msg.internalDate) ?? new Date(0).toISOString(),
    size: msg.size ?? 0,
    date: iso(env.date),
    subject: clampText(env.subject ?? '', HEADER_LIMITS.subjectChars),
    from: list(env.from),
    sender: list(env.sender),
    replyTo: list(env.replyTo),
    to: list(env.to),
    cc: list(env.cc),
    bcc: list(env.bcc),
    messageId: boundedId(env.messageId ?? null),
    inReplyTo: boundedId(messageIds(env.inReplyTo)[0] ?? env.inReplyTo ?? null),
    references: messageIds(extra.get('references'))
      .filter((id) => id.length <= HEADER_LIMITS.idChars)
      .slice(0, MAX_REFERENCES),
    listId: boundedId(listIdOf(extra.get('list-id'))),
    hasAttachments: hasAttachments(msg.bodyStructure),
    snippet: null,
  }
  if (msg.modseq !== undefined) record.modseq = msg.modseq.toString()
  return record
}
