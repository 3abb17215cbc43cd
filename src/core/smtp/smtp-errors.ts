import { MailError } from '../../shared/errors'

interface NodemailerErrorShape {
  code?: string
  responseCode?: number
  message?: string
  /** The server's reply line(s), e.g. `550 5.1.1 <x@y>: Recipient address rejected: …`. */
  response?: string
  /** nodemailer keeps the socket error's own code (ECONNREFUSED…) in `errno`/`syscall` or the message. */
  errno?: string | number
  recipient?: string
  rejectedErrors?: NodemailerErrorShape[]
}

const TLS_TRUST =
  /self[- ]signed|unable to verify|certificate has expired|Hostname\/IP does not match|CERT_|UNABLE_TO_GET_ISSUER/i
/** A TLS handshake that never worked: usually implicit TLS against a STARTTLS port, or the reverse. */
const TLS_HANDSHAKE = /wrong version number|EPROTO|SSL routines|packet length too long|handshake/i

/** RFC 3463 §3.8: class 5.7.x (or 4.7.x) is a security or policy refusal: "not for you through here". */
export function isPolicyRefusal(response: string | undefined): boolean {
  return response !== undefined && /^\d{3}[ -][45]\.7\.\d{1,3}\b/.test(response)
}

function recipientsDetail(e: NodemailerErrorShape): string {
  const lines = (e.rejectedErrors ?? []).map((r) => `${r.recipient ?? '?'}: ${r.response ?? r.message ?? ''}`)
  return lines.length > 0 ? lines.join('\n') : (e.response ?? e.message ?? '')
}

/**
 * The one place nodemailer/Node errors become MailErrors for SMTP. RFC 5321 §4.2 reply codes decide where
 * present; `detail` starts with the server's reply, so callers can tell a 4xx (try again later) from a 5xx.
 */
export function toSmtpMailError(error: unknown, host: string): MailError {
  if (error instanceof MailError) return error
  const e: NodemailerErrorShape =
    typeof error === 'object' && error !== null ? (error as NodemailerErrorShape) : {}
  const text = `${e.code ?? ''} ${String(e.errno ?? '')} ${e.message ?? String(error)}`
  const detail = e.response ?? e.message ?? String(error)
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534) {
    return new MailError(
      'AUTH_FAILED',
      `The outgoing server ${host} did not accept the user name or password.`,
      detail,
    )
  }
  if (/ENOTFOUND|EAI_AGAIN|EDNS/.test(text)) {
    return new MailError(
      'HOST_NOT_FOUND',
      `The server name ${host} could not be found. Check its spelling.`,
      detail,
    )
  }
  if (/ECONNREFUSED/.test(text)) {
    return new MailError(
      'CONNECTION_REFUSED',
      `${host} refused the connection. Check the port and encryption settings, or try again later.`,
      detail,
    )
  }
  if (TLS_TRUST.test(text)) {
    return new MailError(
      'TLS_UNTRUSTED',
      `The certificate of ${host} is not trusted, so the connection was stopped to protect your password. ` +
        'Check the server name, or ask your provider.',
      detail,
    )
  }
  if (e.code === 'ETIMEDOUT' || /timeout|timed out/i.test(text)) {
    return new MailError('TIMEOUT', `${host} did not answer in time. Try again later.`, detail)
  }
  if (/STARTTLS|ETLS/.test(text) || e.code === 'ETLS' || TLS_HANDSHAKE.test(text)) {
    return new MailError(
      'TLS_REQUIRED',
      `${host} could not set up an encrypted connection, so the password was not sent. Check the port and ` +
        'encryption settings.',
      detail,
    )
  }
  // RFC 1870 §6.1 / RFC 3463 5.3.4: 552 (at MAIL FROM or after DATA) means "too big", whatever the text.
  if (e.responseCode === 552 || /^552[ -]/.test(e.response ?? '')) {
    return new MailError(
      'MESSAGE_TOO_LARGE',
      `The message is larger than ${host} accepts. Remove or shrink attachments and send it again.`,
      detail,
    )
  }
  if (e.code === 'EENVELOPE') {
    const refusals = e.rejectedErrors ?? []
    const policy = refusals.length > 0 ? refusals.some((r) => isPolicyRefusal(r.response)) : false
    const who = refusals.map((r) => r.recipient).filter((r): r is string => typeof r === 'string')
    if (policy || isPolicyRefusal(e.response)) {
      return new MailError(
        'RELAY_DENIED',
        `${host} will not deliver to ${who.join(', ') || 'these recipients'} for this account (relay denied).`,
        recipientsDetail(e),
      )
    }
    if (e.responseCode === undefined || e.responseCode >= 500) {
      return new MailError(
        'RECIPIENT_REJECTED',
        `${host} refused ${who.length > 1 ? 'the recipients' : 'the recipient'} ${who.join(', ')}.`.trim(),
        recipientsDetail(e),
      )
    }
  }
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'ESTREAM') {
    return new MailError('NETWORK', `The connection to ${host} failed. Check your network.`, detail)
  }
  return new MailError('SERVER_ERROR', `${host} reported an error: ${detail}`, detail)
}
