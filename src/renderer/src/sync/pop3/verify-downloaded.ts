/**
 * Core hashes each message as it reads it from the server (`sha256` on the last chunk of `pop3.retr` and
 * `pop3.spooled`). Between core and the store the bytes pass through the RPC's copy-once path (views of
 * socket buffers, transfers between threads, chunks joined in the worker): a fault there would store bytes
 * that are not the server's, and DELE would then remove the only good copy. So the worker hashes what it is
 * about to store and keeps only what matches; the rest stays on the server and is downloaded again.
 */
import { MailError } from '../../../../shared/errors'
import type { DownloadedMessage } from './store-downloaded'

/** A 64-digit hex sha256 as bytes (undefined if it is not one). */
function hexBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

async function matches(raw: Uint8Array, expected: string): Promise<boolean> {
  const want = hexBytes(expected)
  if (!want) return false
  // WebCrypto hashes off the calling thread (Chromium and Node both), so a batch's digests run side by side.
  const got = new Uint8Array(await crypto.subtle.digest('SHA-256', raw as Uint8Array<ArrayBuffer>))
  return got.every((b, i) => b === want[i])
}

/**
 * Which messages of `batch` are not the bytes core hashed. Messages without a hash (TOP: headers only, not
 * hashed by core) are taken as they are; they are never deleted from the server on the strength of them.
 */
export async function damagedMessages(batch: readonly DownloadedMessage[]): Promise<Set<DownloadedMessage>> {
  const results = await Promise.all(batch.map((m) => (m.sha256 === null ? true : matches(m.raw, m.sha256))))
  return new Set(batch.filter((_, i) => !results[i]))
}

/** What the user reads when messages arrived damaged: what happened, that nothing was lost, what to do. */
export function damagedDownloadError(ids: readonly string[]): MailError {
  const [what, it] = ids.length === 1 ? ['1 message', 'it'] : [`${ids.length} messages`, 'them']
  return new MailError(
    'INTERNAL',
    `${what} changed on the way from the mail server connection to the local store (the check of the ` +
      `contents failed), so ${it === 'it' ? 'it was' : 'they were'} not saved and not removed from the ` +
      `server (or from the app's safety copy). Nothing was lost. The next check downloads ${it} again; if ` +
      'this keeps happening, restart Harbor Mail.',
    `sha256 mismatch for ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ' …' : ''}`,
  )
}
