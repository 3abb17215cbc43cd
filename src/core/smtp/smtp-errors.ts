import { MailError } from '../../shared/errors'

interface NodemailerErrorShape {
  code?: string
  responseCode?: number
  message?: string
  /** nodemailer keeps the socket error's own code (ECONNREFUSED…) in `errno`/`syscall` or the message. */
  errno?: string | number
}

const TLS_TRUST =
  /self[- ]signed|unable to verify|certificate has expired|Hostname\/IP does not match|CERT_|UNABLE_TO_GET_ISSUER/i

/** The one place nodemailer/Node errors become MailErrors for SMTP (RFC 5321 reply codes where present). */
export function toSmtpMailError(error: unknown, host: string): MailError {
  if (error instanceof MailError) return error
  const e: NodemailerErrorShape =
    typeof error === 'object' && error !== null ? (error as NodemailerErrorShape) : {}
  const text = `${e.code ?? ''} ${String(e.errno ?? '')} ${e.message ?? String(error)}`
  const detail = e.message ?? String(error)
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
      `${host} refused the connection. Check the port and encryption settings.`,
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
  if (/STARTTLS|ETLS/.test(text) || e.code === 'ETLS') {
    return new MailError(
      'TLS_REQUIRED',
      `${host} could not set up an encrypted connection, so the password was not sent.`,
      detail,
    )
  }
  if (e.responseCode === 552) {
    return new MailError('MESSAGE_TOO_LARGE', `The message is larger than ${host} accepts.`, detail)
  }
  if (
    e.code === 'EENVELOPE' ||
    (e.responseCode !== undefined && e.responseCode >= 550 && e.responseCode < 560)
  ) {
    return new MailError('RECIPIENT_REJECTED', `${host} refused a recipient: ${detail}`, detail)
  }
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') {
    return new MailError('NETWORK', `The connection to ${host} failed. Check your network.`, detail)
  }
  return new MailError('SERVER_ERROR', `${host} reported an error: ${detail}`, detail)
}
