import { createTransport, type Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { MailError } from '../../shared/errors'
import type { ServerSettings } from '../../shared/model/account'

export interface SmtpConnectOptions {
  server: ServerSettings
  password: string
  /** Extra trusted CAs (PEM), besides the system's. Verification stays on. */
  ca?: string[]
  timeoutMs?: number
}

/**
 * A nodemailer transport that honours the account's TLS mode: implicit TLS (465), or STARTTLS made
 * mandatory (`requireTLS`), or plaintext only when the account explicitly allows it.
 */
export function createSmtpTransport(opts: SmtpConnectOptions): Transporter<SMTPTransport.SentMessageInfo> {
  const { server } = opts
  if (server.tls === 'none' && !server.allowPlaintext) {
    throw new MailError(
      'TLS_REQUIRED',
      `The connection to ${server.host} would not be encrypted, so the password was not sent. Choose SSL/TLS ` +
        'or STARTTLS, or explicitly allow plaintext for this account.',
    )
  }
  const timeout = opts.timeoutMs ?? 30_000
  return createTransport({
    host: server.host,
    port: server.port,
    secure: server.tls === 'implicit',
    requireTLS: server.tls === 'starttls',
    ignoreTLS: server.tls === 'none',
    auth: { user: server.username, pass: opts.password },
    tls: { ca: opts.ca, servername: server.host, rejectUnauthorized: true },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  })
}
