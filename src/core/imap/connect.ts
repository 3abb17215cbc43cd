import { ImapFlow, type ImapFlowOptions } from 'imapflow'
import { MailError } from '../../shared/errors'
import { assertRequiredCapabilities } from './capabilities'
import { recordConnectionFailure, toMailError } from './errors'
import { imapflowLogger, type ImapLogSink } from './logger'
import type { ImapAccountConfig } from './types'

/** Sent with ID (RFC 2971) so server admins can tell our sessions apart. */
export const CLIENT_INFO = { name: 'Harbor Mail', version: '0.1.0', vendor: 'Harbor Mail' } as const

export const DEFAULT_TIMEOUTS = { connect: 15_000, greeting: 15_000, socket: 60_000 } as const

export interface ConnectOptions {
  log?: ImapLogSink
  /** Shown in log entries; never the user name. */
  accountId?: string
  /** For the long-lived IDLE connection: restart IDLE before servers drop it (RFC 9051 §6.3.13: 30 min). */
  maxIdleTime?: number
}

/**
 * The imapflow options for an account. Pure, so the security-relevant choices are easy to test:
 * - implicit TLS → `secure: true`; STARTTLS → `doSTARTTLS: true`, which makes the upgrade mandatory (imapflow's
 *   `_failSTARTTLS` throws when the server does not offer it, instead of continuing in cleartext);
 * - certificates are always verified: `rejectUnauthorized` is forced to true and extra CAs only *add* trust;
 * - `none` is only reachable with `allowPlaintext`, and then STARTTLS is not attempted at all.
 */
export function imapflowOptions(config: ImapAccountConfig, opts: ConnectOptions = {}): ImapFlowOptions {
  const t = { ...DEFAULT_TIMEOUTS, ...config.timeouts }
  const tls: NonNullable<ImapFlowOptions['tls']> = { rejectUnauthorized: true, minVersion: 'TLSv1.2' }
  if (config.ca !== undefined && config.ca.length > 0) tls.ca = config.ca
  return {
    host: config.host,
    port: config.port,
    secure: config.tls === 'implicit',
    doSTARTTLS: config.tls === 'starttls' ? true : config.tls === 'none' ? false : undefined,
    tls,
    auth: { user: config.username, pass: config.password },
    clientInfo: { ...CLIENT_INFO },
    // RFC 7162 §3.2.3: ENABLE QRESYNC, so SELECT can resync and EXPUNGEs arrive as VANISHED with UIDs.
    qresync: true,
    // COMPRESS=DEFLATE (RFC 4978) is used whenever the server offers it.
    disableCompression: false,
    // IDLE is started explicitly on the watcher connection; command connections stay quiet between commands.
    disableAutoIdle: true,
    connectionTimeout: t.connect,
    greetingTimeout: t.greeting,
    socketTimeout: t.socket,
    maxIdleTime: opts.maxIdleTime,
    // 256 MiB bounds one literal (a huge message source) against a broken server; bodies are streamed with partial fetches.
    maxLiteralSize: 256 * 1024 * 1024,
    logger: imapflowLogger(opts.log, opts.accountId),
  }
}

/**
 * Opens an authenticated IMAP connection: TLS as configured (required unless the account allows plaintext),
 * ID sent, COMPRESS=DEFLATE and CONDSTORE/QRESYNC enabled where offered.
 *
 * @throws MailError TLS_REQUIRED (`tls: 'none'` without `allowPlaintext`, decided before any byte is sent, so
 *   the password never leaves the machine), AUTH_FAILED, HOST_NOT_FOUND, CONNECTION_REFUSED, TLS_UNTRUSTED,
 *   TIMEOUT, CAPABILITY_MISSING, NETWORK, SERVER_ERROR.
 * @example
 * const client = await connectImap({ host: 'imap.example.com', port: 993, tls: 'implicit', username, password })
 */
export async function connectImap(config: ImapAccountConfig, opts: ConnectOptions = {}): Promise<ImapFlow> {
  const ctx = { host: config.host, port: config.port, operation: 'connect' }
  if (config.tls === 'none' && config.allowPlaintext !== true) {
    throw new MailError(
      'TLS_REQUIRED',
      `The connection to ${config.host} would not be encrypted, so your password could be read on the way. ` +
        'Choose SSL/TLS or STARTTLS, or explicitly allow an unencrypted connection for this account.',
      'tls: none without allowPlaintext',
    )
  }
  const client = new ImapFlow(imapflowOptions(config, opts))
  // imapflow emits 'error' once when a live connection fails; without a listener Node would throw it.
  client.on('error', (err) => recordConnectionFailure(client, err))
  try {
    await client.connect()
    assertRequiredCapabilities(client.capabilities, config.host)
    return client
  } catch (err) {
    client.close()
    throw toMailError(err, ctx)
  }
}

/** Logs out politely, or just drops the socket when the server does not answer within `ms`. Never throws. */
export async function closeQuietly(client: ImapFlow, ms = 2_000): Promise<void> {
  if (client.isClosed) return
  let timer: NodeJS.Timeout | undefined
  const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  try {
    await Promise.race([client.logout().catch(() => undefined), giveUp])
  } finally {
    clearTimeout(timer)
    client.close()
  }
}
