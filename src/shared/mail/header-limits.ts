/**
 * Bounds on the header values a message-list row carries, applied where untrusted header bytes become a
 * row: in core for IMAP (ENVELOPE, BODYSTRUCTURE, extra header fields) and in the sync worker for POP3 and
 * imported mail. A hostile message can put a megabyte into Subject or ten thousand addresses into To; the
 * row would carry that over RPC, into IndexedDB, into every list render and every search scan. The whole
 * message stays stored untouched: only the row is cut, and the reading pane shows the parsed message (with
 * its own limits) or its raw source.
 */
export const HEADER_LIMITS = {
  /** Characters of a subject (RFC 5322 §2.1.1 allows 998 octets a line; real subjects are far shorter). */
  subjectChars: 1000,
  /** Characters of a display name. */
  nameChars: 256,
  /** Characters of an address (RFC 5321 §4.5.3.1: 64 + 1 + 255). */
  addressChars: 320,
  /** Addresses kept per field (From, To, Cc, …); the reading pane lists them all. */
  addressesPerField: 200,
  /** Characters of a Message-ID, In-Reply-To or List-Id (one header line). */
  idChars: 998,
  /** MIME tree levels walked for the row (attachments flag, snippet part). */
  structureDepth: 32,
  /** MIME tree nodes walked for the row. */
  structureNodes: 2000,
} as const

/** `text` cut to at most `max` UTF-16 units without splitting a surrogate pair; "…" marks a cut. */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

export interface AddressLike {
  name: string
  address: string
}

/** At most `addressesPerField` addresses, each name and address clamped. */
export function clampAddresses<T extends AddressLike>(list: readonly T[]): T[] {
  return list.slice(0, HEADER_LIMITS.addressesPerField).map((a) => ({
    ...a,
    name: clampText(a.name, HEADER_LIMITS.nameChars),
    address: clampText(a.address, HEADER_LIMITS.addressChars),
  }))
}

/** An id-like value (Message-ID, In-Reply-To, List-Id): dropped, not cut, when longer than a header line. */
export function boundedId(value: string | null): string | null {
  return value !== null && value.length <= HEADER_LIMITS.idChars ? value : null
}
