import { MailError, type ErrorCode } from '../../shared/errors'

/** Where the error happened, so the message can name the server the user typed in. */
export interface ImapErrorContext {
  host: string
  port?: number
  /** What we were doing, for `detail` only (e.g. `fetchHeaders INBOX`). */
  operation?: string
}

/** The fields imapflow and Node put on their errors that we look at. All optional: we only read. */
interface ErrorShape {
  message?: unknown
  code?: unknown
  authenticationFailed?: unknown
  tlsFailed?: unknown
  serverResponseCode?: unknown
  responseStatus?: unknown
  responseText?: unknown
  command?: unknown
  mailboxMissing?: unknown
  reason?: unknown
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])
const TIMEOUT_CODES = new Set([
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'ETIMEDOUT',
])
const NETWORK_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'StateLogout',
])

/** OpenSSL / Node verification failures: the peer is not who the certificate chain says, or not trusted. */
const CERT_REASONS: Readonly<Record<string, string>> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is signed by an authority this computer does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it uses a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by an authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by an authority this computer does not trust',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check this computer’s clock)',
  CERT_REVOKED: 'its certificate has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate was issued for a different server name',
  HOSTNAME_MISMATCH: 'its certificate was issued for a different server name',
}

function shape(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? (err as ErrorShape) : { message: String(err) }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

function describe(e: ErrorShape, ctx: ImapErrorContext): string {
  const parts = [
    ctx.operation,
    str(e.code),
    str(e.command) && `command ${str(e.command)}`,
    str(e.serverResponseCode) && `[${str(e.serverResponseCode)}]`,
    str(e.responseText) ?? str(e.message),
    str(e.reason) && `BYE: ${str(e.reason)}`,
  ]
  return parts.filter((p): p is string => typeof p === 'string').join(' — ')
}

function where(ctx: ImapErrorContext): string {
  return ctx.port === undefined ? ctx.host : `${ctx.host}:${ctx.port}`
}

/**
 * The one place that turns imapflow, Node socket/TLS/DNS errors into a MailError a user can act on.
 * The message says what happened and what to do; `detail` keeps the library's code and the server's
 * answer for the log (never the command line itself: a LOGIN carries the password).
 */
export function toMailError(err: unknown, ctx: ImapErrorContext, client?: object): MailError {
  if (err instanceof MailError) return err
  const e = shape(withCause(err, client))
  const code = str(e.code) ?? ''
  const detail = describe(e, ctx)
  const make = (c: ErrorCode, message: string): MailError => new MailError(c, message, detail)
  const host = ctx.host

  if (
    e.authenticationFailed === true ||
    str(e.serverResponseCode)?.toUpperCase() === 'AUTHENTICATIONFAILED'
  ) {
    return make('AUTH_FAILED', `${host} did not accept the user name or password. Check them and try again.`)
  }
  if (DNS_CODES.has(code)) {
    return make(
      'HOST_NOT_FOUND',
      `The server name ${host} could not be found. Check the spelling of the server name and your internet connection.`,
    )
  }
  if (code === 'ECONNREFUSED') {
    return make(
      'CONNECTION_REFUSED',
      `${where(ctx)} refused the connection. Check the port and security settings, or try again later.`,
    )
  }
  const certReason = CERT_REASONS[code]
  if (certReason !== undefined) {
    return make(
      'TLS_UNTRUSTED',
      `The connection to ${host} is not secure: ${certReason}. Check the server name, or ask your provider.`,
    )
  }
  if (e.tlsFailed === true && /STARTTLS|PREAUTH/i.test(str(e.message) ?? '')) {
    // The server would not upgrade: continuing would send the password in cleartext (RFC 9051 §11.1).
    return make(
      'TLS_REQUIRED',
      `${host} does not offer an encrypted connection on port ${ctx.port ?? '?'}. Use the SSL/TLS port or ask your provider.`,
    )
  }
  if (TIMEOUT_CODES.has(code) || code === 'LockTimeout') {
    return make(
      'TIMEOUT',
      `${host} did not answer in time. Check your internet connection; we will try again.`,
    )
  }
  if (code === 'MissingServerExtension') {
    return make('CAPABILITY_MISSING', `${host} does not support a feature this operation needs.`)
  }
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || e.tlsFailed === true) {
    return make(
      'NETWORK',
      `A secure connection to ${where(ctx)} could not be set up. Check the port and the security setting (SSL/TLS or STARTTLS).`,
    )
  }
  if (NETWORK_CODES.has(code)) {
    return make('NETWORK', `The connection to ${host} was lost. We will reconnect automatically.`)
  }
  // RFC 9051 §7.1: NONEXISTENT on SELECT/STATUS …, TRYCREATE on APPEND/COPY to a missing folder.
  const rcode = str(e.serverResponseCode)?.toUpperCase()
  if (e.mailboxMissing === true || rcode === 'NONEXISTENT' || rcode === 'TRYCREATE') {
    return make(
      'NOT_FOUND',
      'The folder no longer exists on the server. It may have been renamed or deleted elsewhere.',
    )
  }
  const status = str(e.responseStatus)
  if (status === 'NO' || status === 'BAD' || code.startsWith('ParserError') || code === 'InvalidResponse') {
    const text = str(e.responseText)
    return make(
      'SERVER_ERROR',
      text === undefined
        ? `${host} could not complete the request.`
        : `${host} could not complete the request: ${text}`,
    )
  }
  if (/^E[A-Z]+$/.test(code)) {
    return make(
      'NETWORK',
      `The connection to ${host} failed. Check your internet connection; we will try again.`,
    )
  }
  return make(
    'SERVER_ERROR',
    `Something went wrong talking to ${host}. Try again; if it keeps happening, see the details.`,
  )
}

// The error that ended a connection (imapflow emits it once, then fails pending commands with a bare
// `NoConnection`): kept per client so a command's error can say *why* the connection went away.
const connectionFailures = new WeakMap<object, unknown>()

/** Records the error an imapflow client emitted when its connection failed. */
export function recordConnectionFailure(client: object, err: unknown): void {
  if (!connectionFailures.has(client)) connectionFailures.set(client, err)
}

/** The recorded cause when `err` only says the connection is gone. */
function withCause(err: unknown, client: object | undefined): unknown {
  if (client === undefined) return err
  const cause = connectionFailures.get(client)
  const code = str(shape(err).code)
  return cause !== undefined && (code === undefined || NETWORK_CODES.has(code)) ? cause : err
}

/**
 * Runs `fn` and rethrows whatever it throws as a MailError. With `client`, a command that failed only because
 * the connection died reports what killed it (a socket timeout → TIMEOUT rather than NETWORK).
 */
export async function mapErrors<T>(ctx: ImapErrorContext, fn: () => Promise<T>, client?: object): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw toMailError(err, ctx, client)
  }
}
