/**
 * The thread key both sync paths store as `threadId`: the thread's root as the message names it. Hostile or
 * broken mail must not break it: References may list the message itself (a self-loop), two messages may
 * name each other (a loop: the key never follows parents, so it cannot run around one), ids may be absurdly
 * long or hold control bytes, and any header may be missing.
 */

/** RFC 5322 §2.1.1: no line is longer than 998 octets, so no real msg-id is either. */
export const MAX_MESSAGE_ID_LENGTH = 998
/** Only the first few References matter for the root; a 20,000-id header is not walked. */
export const MAX_REFERENCES_READ = 100

/** The comparable form of a msg-id (RFC 5322 §3.6.4), or null when it is not a usable one. */
export function comparableMessageId(id: string | null | undefined): string | null {
  if (!id) return null
  const bare = id.trim().replace(/^<|>$/g, '').trim().toLowerCase()
  if (bare === '' || bare.length > MAX_MESSAGE_ID_LENGTH) return null
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f<>]/.test(bare)) return null
  return bare
}

export interface ThreadingIds {
  messageId: string | null
  inReplyTo: string | null
  references: readonly string[]
}

/**
 * The first usable id of References (the root), else In-Reply-To, else the message's own id, else
 * `fallback`; ids equal to the message's own id are skipped, so a self-reference cannot make a message its
 * own parent's child. The key keeps the id's own form (lower-cased), as the sync paths always stored it.
 */
export function threadKey(ids: ThreadingIds, fallback: string): string {
  const self = comparableMessageId(ids.messageId)
  const candidates = [...ids.references.slice(0, MAX_REFERENCES_READ), ids.inReplyTo]
  for (const candidate of candidates) {
    const id = comparableMessageId(candidate)
    if (id !== null && id !== self) return candidate!.trim().toLowerCase()
  }
  return self !== null ? ids.messageId!.trim().toLowerCase() : fallback.toLowerCase()
}

/**
 * References, In-Reply-To and Message-ID with unusable ids removed, the message itself dropped from its own
 * References and In-Reply-To, duplicates dropped, and at most MAX_REFERENCES_READ references kept.
 */
export function saneThreadingIds(ids: ThreadingIds): ThreadingIds {
  const self = comparableMessageId(ids.messageId)
  const seen = new Set<string>(self === null ? [] : [self])
  const references: string[] = []
  for (const r of ids.references) {
    const id = comparableMessageId(r)
    if (id === null || seen.has(id)) continue
    seen.add(id)
    references.push(r)
    if (references.length >= MAX_REFERENCES_READ) break
  }
  const parent = comparableMessageId(ids.inReplyTo)
  return {
    messageId: self === null ? null : ids.messageId,
    inReplyTo: parent === null || parent === self ? null : ids.inReplyTo,
    references,
  }
}
