/**
 * The one place where POP3 failures become MailErrors: socket and TLS errors from Node, `-ERR` answers with
 * their RFC 2449 §8 response codes, timeouts and cancellation. Messages say what happened and what to do;
 * `detail` carries the technical text (never a password: commands are logged redacted by the connection).
 */
import { MailError } from '../../shared/errors'
import type { Pop3Status } from './types'

/** OpenSSL/Node verification failures: the certificate chain or name did not check out. */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  const code = (error as { code: unknown }).code
  return typeof code === 'string' ? code : undefined
}

function describe(error: unknown): string {
  const code = codeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message
}

/** Maps an error from `net`/`tls` (connect, handshake, or later) to a MailError naming the server. */
export function socketError(error: unknown, host: string, port: number): MailError {
  if (error instanceof MailError) return error
  const code = codeOf(error) ?? ''
  const where = `${host}:${port}`
  const detail = `${where}: ${describe(error)}`
  if (TLS_TRUST_CODES.has(code)) {
    const why =
      code === 'CERT_HAS_EXPIRED'
        ? 'its certificate has expired'
        : code === 'CERT_NOT_YET_VALID'
          ? 'its certificate is not valid yet'
          : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `its certificate is for a different name than "${host}"`
            : 'its certificate is not signed by an authority this computer trusts'
    return new MailError(
      'TLS_UNTRUSTED',
      `The secure connection to ${host} could not be verified: ${why}. Check the server name, or ask your ` +
        'provider; do not connect until this is fixed.',
      detail,
    )
  }
  if (code === 'ECONNREFUSED') {
    return new MailError(
      'CONNECTION_REFUSED',
      `${where} refused the connection. Check the server name and port, or try again later.`,
      detail,
    )
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new MailError(
      'HOST_NOT_FOUND',
      `The server "${host}" was not found. Check the server name and your internet connection.`,
      detail,
    )
  }
  if (code === 'ETIMEDOUT') return timeoutError(host, 'connecting')
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return new MailError(
      'NETWORK',
      `The secure connection to ${host} failed. Check that the port and the security setting (SSL/TLS or ` +
        'STARTTLS) match what your provider documents.',
      detail,
    )
  }
  return new MailError(
    'NETWORK',
    `The connection to ${host} was lost. Check your internet connection and try again.`,
    detail,
  )
}

/** The server went silent for longer than allowed (`while` says during what). */
export function timeoutError(host: string, while_: string): MailError {
  return new MailError(
    'TIMEOUT',
    `${host} stopped answering while ${while_}. Check your internet connection and try again.`,
  )
}

/** The server closed the connection while an answer was still expected. */
export function closedError(host: string): MailError {
  return new MailError(
    'NETWORK',
    `${host} closed the connection unexpectedly. Nothing was lost; try again.`,
    `${host}: connection closed while a response was pending`,
  )
}

/** The session was ended on purpose (QUIT or close()); later commands get this. */
export function sessionClosedError(host: string): MailError {
  return new MailError(
    'NETWORK',
    `The connection to ${host} is closed. Check mail again to open a new one.`,
    `${host}: session closed by the client`,
  )
}

export function cancelledError(): MailError {
  return new MailError('CANCELLED', 'The mail check was cancelled.')
}

/** The server broke the protocol (garbage, over-long lines, bytes injected before TLS). */
export function protocolError(host: string, detail: string): MailError {
  return new MailError(
    'SERVER_ERROR',
    `${host} sent an answer this app cannot understand, so the connection was closed. Try again later.`,
    `${host}: ${detail}`,
  )
}

/**
 * A message number the server does not know. RFC 1939 §5 suggests "no such message"; Dovecot says
 * "There's no message N."; others "message N already deleted" or "invalid message number".
 */
function isMissing(status: Pop3Status): boolean {
  return /no such message|there'?s no message|unknown message|invalid message|message \d+ (already )?deleted|does not exist/i.test(
    status.text,
  )
}

/**
 * Maps a `-ERR` to a MailError. For authentication commands (USER, PASS, APOP, AUTH) an uncoded `-ERR`
 * means bad credentials, but RFC 2449 §8.1.2 `[IN-USE]` (or, on servers without response codes, a lock
 * message) means another client holds the maildrop, and `[SYS/TEMP]`/`[LOGIN-DELAY]` mean "later".
 */
export function statusError(command: string, status: Pop3Status, host: string, auth = false): MailError {
  const detail = `${host}: ${command} → -ERR ${status.text}`
  const code = status.code
  if (code === 'IN-USE' || (auth && code === undefined && /\block|in use|busy/i.test(status.text))) {
    return new MailError(
      'MAILBOX_LOCKED',
      'Another program is checking this mailbox. Close it or wait a minute, then try again.',
      detail,
    )
  }
  if (code === 'LOGIN-DELAY') {
    return new MailError(
      'SERVER_ERROR',
      `${host} allows checking this mailbox only every few minutes (login delay). Try again later.`,
      detail,
    )
  }
  if (code === 'SYS/TEMP') {
    return new MailError(
      'SERVER_ERROR',
      `${host} has a temporary problem. Try again in a few minutes.`,
      detail,
    )
  }
  if (code === 'SYS/PERM') {
    return new MailError(
      'SERVER_ERROR',
      `${host} reported a problem with this mailbox that will not go away by itself. Contact your provider.`,
      detail,
    )
  }
  if (auth) {
    // RFC 3206 [AUTH] and an uncoded -ERR both mean the credentials were refused.
    return new MailError(
      'AUTH_FAILED',
      `${host} did not accept the user name or password. Check them in the account settings.`,
      detail,
    )
  }
  if (isMissing(status)) {
    return new MailError('NOT_FOUND', `The message is no longer on ${host}. Check mail again.`, detail)
  }
  return new MailError('SERVER_ERROR', `${host} refused the request (${command}). Try again later.`, detail)
}
