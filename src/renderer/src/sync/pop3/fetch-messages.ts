/**
 * Reads messages through core's session-shaped POP3 service: RETR for whole messages, TOP for those above
 * the size limit. A message counts as received only when its `end` chunk arrived and the byte count
 * matches; whatever came before a failure stays out of the store.
 */
import { MailError } from '../../../../shared/errors'
import type { Pop3ListingEntry } from '../../../../shared/contract/pop3'
import type { CoreApi } from '../engine/core-api'
import type { DownloadedMessage } from './store-downloaded'

/** Body lines kept for a message above the size limit: enough for the list's snippet. */
export const HEADERS_ONLY_LINES = 40

/**
 * One message's bytes from its chunks. A single chunk is kept as it came: each chunk has a frame (or a
 * structured clone) of its own, which holds little besides these bytes, as an IMAP body's does. Several are
 * joined into a buffer of their own (views into several frames would keep them all).
 */
function joined(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/**
 * RETR of `entries` in one call. Each complete message is handed to `onMessage` as soon as it is whole;
 * the call rejects on the first failure (the messages handed over before that are complete and valid).
 */
export async function retrieveFull(
  core: CoreApi,
  sessionId: string,
  entries: readonly Pop3ListingEntry[],
  onMessage: (m: DownloadedMessage) => void,
  signal?: AbortSignal,
): Promise<void> {
  const byN = new Map(entries.map((e) => [e.n, e]))
  let parts: Uint8Array[] = []
  let received = 0
  let current = -1
  await core.call(
    'pop3.retr',
    { sessionId, ns: entries.map((e) => e.n) },
    {
      ...(signal ? { signal } : {}),
      onChunk: (chunk) => {
        if (chunk.n !== current) {
          parts = []
          received = 0
          current = chunk.n
        }
        parts.push(chunk.bytes)
        received += chunk.bytes.byteLength
        if (!chunk.end) return
        const entry = byN.get(chunk.n)
        if (!entry || chunk.size !== received) {
          throw new MailError('NETWORK', 'A message arrived incomplete. It will be downloaded again.')
        }
        onMessage({
          id: entry.id,
          raw: joined(parts, received),
          size: entry.size,
          sha256: chunk.sha256 ?? null,
          full: true,
        })
        parts = []
        received = 0
        current = -1
      },
    },
  )
}

/** TOP n HEADERS_ONLY_LINES for messages above the size limit (RFC 1939 §7). */
export async function retrieveHeaders(
  core: CoreApi,
  sessionId: string,
  entries: readonly Pop3ListingEntry[],
  onMessage: (m: DownloadedMessage) => void,
  signal?: AbortSignal,
): Promise<void> {
  const byN = new Map(entries.map((e) => [e.n, e]))
  await core.call(
    'pop3.top',
    { sessionId, ns: entries.map((e) => e.n), lines: HEADERS_ONLY_LINES },
    {
      ...(signal ? { signal } : {}),
      onChunk: (chunk) => {
        const entry = byN.get(chunk.n)
        if (!entry) return
        onMessage({
          id: entry.id,
          raw: joined([chunk.bytes], chunk.bytes.byteLength),
          size: entry.size,
          sha256: null,
          full: false,
        })
      },
    },
  )
}
