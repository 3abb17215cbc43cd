import { Readable } from 'node:stream'
import { domainToASCII } from 'node:url'
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
      const wire = limits.smtpUtf8 ? envelope : asciiEnvelope(envelope, server.host)
      const body = sendOpts.beforeCommit ? new HeldMessage(raw, sendOpts.beforeCommit) : raw
      try {
        const info = await new Promise<SentMessageInfo>((resolve, reject) => {
          connection.send(
            { from: wire.from, to: wire.to, use8BitMime: limits.eightBitMime },
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

const isAscii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text)

/**
 * The envelope for a server without SMTPUTF8. An internationalized domain has an ASCII form that means the
 * same (IDNA A-label, RFC 5891), so it is converted; a non-ASCII local part has none (RFC 6531 §3.4), so
 * the send stops with a clear error rather than mangling the address into someone else's.
 */
export function asciiEnvelope(
  envelope: { from: string; to: string[] },
  host: string,
): { from: string; to: string[] } {
  const stuck: string[] = []
  const convert = (address: string): string => {
    if (isAscii(address)) return address
    const at = address.lastIndexOf('@')
    const local = address.slice(0, at)
    const domain = domainToASCII(address.slice(at + 1))
    if (!isAscii(local) || domain === '') {
      stuck.push(address)
      return address
    }
    return `${local}@${domain}`
  }
  const wire = { from: convert(envelope.from), to: envelope.to.map(convert) }
  if (stuck.length > 0) {
    throw new MailError(
      'CAPABILITY_MISSING',
      `${host} does not support international addresses (SMTPUTF8), so it cannot send mail to or from ` +
        `${stuck.join(', ')}. Ask for an address without accents or non-Latin letters before the @, or ` +
        'send from an account whose server supports international addresses.',
    )
  }
  return wire
}

/** Slices small enough that the socket's backpressure reaches the message stream (see HeldMessage). */
const SLICE = 64 * 1024

/**
 * The message bytes as a stream whose end waits for `beforeCommit`: nodemailer writes the terminating dot
 * when the source ends (its DataStream flush), so holding the end holds the dot. The body goes out in
 * slices, one per read: pushed whole, it would sit in the socket's userland buffer at once and the commit
 * would be asked for while most of a large message had not left the process; a crash then could only be
 * called "maybe sent", although the server never saw the dot.
 */
class HeldMessage extends Readable {
  private offset = 0
  private waiting = false

  constructor(
    private readonly raw: Buffer,
    private readonly beforeCommit: () => Promise<void>,
  ) {
    super()
  }

  override _read(): void {
    if (this.offset < this.raw.length) {
      const end = Math.min(this.offset + SLICE, this.raw.length)
      const slice = this.raw.subarray(this.offset, end)
      this.offset = end
      this.push(slice)
      return
    }
    if (this.waiting) return
    // A read after the last slice means the consumer took the whole body: only the dot is left.
    this.waiting = true
    this.beforeCommit().then(
      () => this.push(null),
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    )
  }
}
