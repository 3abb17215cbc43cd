/**
 * Message ids for servers without UIDL (RFC 1939 §7 makes UIDL optional). Without it the only thing that
 * survives between sessions is the message itself, so the id is a hash of its header block (TOP n 0) and
 * its size.
 *
 * What can go wrong, and what we do about it:
 * - Two different messages with the same headers and size (a sender re-sending an identical notification
 *   through a server that adds no trace headers) get the same id. `disambiguate` numbers repeats within a
 *   listing (`#2`, `#3` in message-number order) so both are downloaded; if an earlier twin is deleted from
 *   the server, the numbering shifts and one twin may be downloaded again (a duplicate, never a loss).
 *   The sync code never DELEs a numbered twin automatically.
 * - Servers that rewrite headers after a download (old qpopper/UW servers add `Status:`/`X-Status:`/
 *   `X-UIDL:`/`X-Keywords:`) would change the hash and cause a re-download: those fields are left out.
 * - A server that starts offering UIDL later switches every id to a UIDL: messages left on the server are
 *   downloaded once more (duplicates, not loss).
 */
import { createHash } from 'node:crypto'

/** Header fields some servers add or change after a message was retrieved. */
const VOLATILE = /^(status|x-status|x-uidl|x-keywords|x-uid|x-imap|x-imapbase):/i

/** The header block of `top` (everything before the first empty line), without volatile fields. */
function stableHeader(top: Uint8Array): string {
  const text = Buffer.from(top.buffer, top.byteOffset, top.byteLength).toString('latin1')
  const end = text.search(/\r?\n\r?\n/)
  const header = end < 0 ? text : text.slice(0, end)
  const kept: string[] = []
  let skipping = false
  for (const line of header.split(/\r?\n/)) {
    // RFC 5322 §2.2.3: a line starting with white space continues the previous field.
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line)
      continue
    }
    skipping = VOLATILE.test(line)
    if (!skipping) kept.push(line)
  }
  return kept.join('\n')
}

/** `#hdr:<sha256>:<size>`; '#' marks ids that are not server UIDLs. */
export function headerIdentity(top: Uint8Array, size: number): string {
  return `#hdr:${createHash('sha256').update(stableHeader(top), 'latin1').digest('hex')}:${size}`
}

/** Appends `#k` to the k-th repeat of an id (k ≥ 2), keeping the first occurrence unchanged. */
export function disambiguate<T extends { id: string }>(entries: readonly T[]): T[] {
  const seen = new Map<string, number>()
  return entries.map((e) => {
    const count = (seen.get(e.id) ?? 0) + 1
    seen.set(e.id, count)
    return count === 1 ? e : { ...e, id: `${e.id}#${count}` }
  })
}
