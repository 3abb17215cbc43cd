import { Readable } from 'node:stream'
import SMTPConnection, { type SentMessageInfo } from 'nodemailer/lib/smtp-connection'
import { MailError } from '../../shared/errors'
import type { SmtpLimits } from '../../shared/contract/smtp'
import type { SmtpConnectOptions } from './smtp-transport'
import { toSmtpMailError } from './smtp-errors'

/** What one accepted message reports back (nodemailer's SentMessageInfo, narrowed). */
export interface SmtpSendInfo {
  accepted: string[]
  rejected: { address: string; response: string }[]
  response: string
}

export interface SendOptions {
  /**
   * Called once the server accepted the envelope (354 to DATA) and every byte of the message went out; the
   * final "." is written only after it resolves. If it rejects, the connection is dropped without the dot
   * and the server discards the message (RFC 5321 §4.1.1.4: a transaction ends only with <CRLF>.<CRLF>).
   */
  beforeCommit?: () => Promise<void>
}

/** An authenticated submission session: EHLO facts plus one send at a time. */
export interface SmtpSession {
  readonly limits: SmtpLimits
  send(envelope: { from: string; to: string[] }, raw: Buffer, opts?: SendOptions): Promise<SmtpSendInfo>
  /** QUIT when the session is healthy, otherwise drops the socket. */
  close(): void
  /** Drops the socket at once: nothing more reaches the server. */
  abort(): void
}

/** nodemailer keeps the EHLO facts in fields its typings leave out; read them through this narrow shape. */
interface EhloFacts {
  _supportedExtensions?: string[]
  _maxAllowedSize?: number
}

const timeoutsOf = (ms: number) => ({ connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms })

/**
 * Connects with the account's TLS policy (implicit TLS, or STARTTLS made mandatory, or plaintext only with
 * the user's consent), verifying the certificate against the system's CAs plus `ca`, then authenticates.
 *
 * @throws MailError AUTH_FAILED, TLS_UNTRUSTED, TLS_REQUIRED, TIMEOUT, CONNECTION_REFUSED, NETWORK …
 */
export async function openSmtpSession(opts: SmtpConnectOptions): Promise<SmtpSession> {
  const { server } = opts
  if (server.tls === 'none' && !server.allowPlaintext) {
    throw new MailError(
      'TLS_REQUIRED',
      `The connection to ${server.host} would not be encrypted, so the password was not sent.`,
    )
  }
  const connection = new SMTPConnection({
    host: server.host,
    port: server.port,
    secure: server.tls === 'implicit',
    requireTLS: server.tls === 'starttls',
    ignoreTLS: server.tls === 'none',
    tls: { ca: opts.ca, servername: server.host, rejectUnauthorized: true },
    ...timeoutsOf(opts.timeoutMs ?? 30_000),
    logger: false,
    debug: false,
  })
  // Errors after connect also arrive as 'error' events; the callbacks below report them, this keeps Node
  // from treating an unlistened 'error' as fatal.
  connection.on('error', () => undefined)
  const fail = (error: unknown): MailError => toSmtpMailError(error, server.host)
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject)
      connection.connect((error) => (error ? reject(error) : resolve()))
    })
    await new Promise<void>((resolve, reject) =>
      connection.login({ credentials: { user: server.username, pass: opts.password } }, (error) =>
        error ? reject(error) : resolve(),
      ),
    )
  } catch (error) {
    connection.close()
    throw fail(error)
  }
  const facts = connection as unknown as EhloFacts
  const extensions = facts._supportedExtensions ?? []
  const limits: SmtpLimits = {
    maxSize: facts._maxAllowedSize && facts._maxAllowedSize > 0 ? facts._maxAllowedSize : null,
    smtpUtf8: extensions.includes('SMTPUTF8'),
    eightBitMime: extensions.includes('8BITMIME'),
  }
  let healthy = true

  return {
    limits,
    async send(envelope, raw, sendOpts = {}) {
      // RFC 6531 §3.4: a non-ASCII address may only cross a server that announced SMTPUTF8.
      const nonAscii = [envelope.from, ...envelope.to].filter((a) => /[^\x20-\x7e]/.test(a))
      if (nonAscii.length > 0 && !limits.smtpUtf8) {
        throw new MailError(
          'CAPABILITY_MISSING',
          `${server.host} cannot send to or from international addresses (${nonAscii.join(', ')}). ` +
            'Use an ASCII address for them.',
        )
      }
      const body = sendOpts.beforeCommit ? new HeldMessage(raw, sendOpts.beforeCommit) : raw
      try {
        const info = await new Promise<SentMessageInfo>((resolve, reject) => {
          connection.send(
            { from: envelope.from, to: envelope.to, use8BitMime: limits.eightBitMime },
            body,
            (error, result) => (error || !result ? reject(error) : resolve(result)),
          )
        })
        return {
          accepted: info.accepted.map(String),
          rejected: (info.rejectedErrors ?? []).map((e) => ({
            address: String((e as { recipient?: unknown }).recipient ?? ''),
            response: e.response ?? e.message,
          })),
          response: info.response,
        }
      } catch (error) {
        healthy = false
        // The held dot must never follow a failure: drop the socket before anything else can happen.
        connection.close()
        throw fail(error)
      }
    },
    close() {
      if (healthy) connection.quit()
      else connection.close()
    },
    abort() {
      healthy = false
      connection.close()
    },
  }
}

/**
 * The message bytes as a stream whose end waits for `beforeCommit`: nodemailer writes the terminating dot
 * when the source ends (its DataStream flush), so holding the end holds the dot.
 */
class HeldMessage extends Readable {
  private stage: 'body' | 'waiting' | 'done' = 'body'

  constructor(
    private readonly raw: Buffer,
    private readonly beforeCommit: () => Promise<void>,
  ) {
    super()
  }

  override _read(): void {
    if (this.stage === 'body') {
      this.stage = 'waiting'
      this.push(this.raw)
      return
    }
    if (this.stage !== 'waiting') return
    // A second read means the consumer drained the body: only the dot is left.
    this.stage = 'done'
    this.beforeCommit().then(
      () => this.push(null),
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    )
  }
}
