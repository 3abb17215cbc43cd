/**
 * STLS (RFC 2595 §4): upgrade the plain connection to TLS before any credential is sent. The certificate
 * is verified like for implicit TLS; afterwards the caller must ask CAPA again.
 */
import { MailError } from '../../../shared/errors'
import type { Pop3Connection } from '../pop3-connection'

export interface StlsOptions {
  ca?: string | string[]
  /** Handshake time limit. */
  timeoutMs: number
  signal?: AbortSignal
}

/**
 * Sends STLS and performs the handshake. A `-ERR` (or a connection that is already secure) throws
 * TLS_REQUIRED: the caller asked for TLS and must not fall back to plaintext. STLS on an already secure
 * connection is a programming error (INVALID_PARAMS).
 */
export async function stls(conn: Pop3Connection, opts: StlsOptions): Promise<void> {
  if (conn.secure) {
    throw new MailError('INVALID_PARAMS', 'The connection is already secure; STLS is not needed.')
  }
  const { status } = await conn.send('STLS', false, { signal: opts.signal })
  if (!status.ok || status.continuation) {
    throw new MailError(
      'TLS_REQUIRED',
      `${conn.host} refused to start a secure connection (STLS), so the password was not sent. Ask your ` +
        'provider for the secure settings (often SSL/TLS on port 995).',
      `${conn.host}: STLS → -ERR ${status.text}`,
    )
  }
  await conn.upgrade(opts)
}
