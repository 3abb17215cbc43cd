/**
 * `openPop3Session`: the secure way in. Connects, enforces the account's TLS policy, picks the login
 * method and returns a session in the TRANSACTION state (RFC 1939 §5). The password is never written to
 * a connection that is not TLS-protected unless the account explicitly allows plaintext.
 */
import { MailError } from '../../shared/errors'
import type { RetrievedBody } from './commands/retrieve'
import { Pop3Client } from './pop3-client'
import type {
  Pop3AuthMethod,
  Pop3Capabilities,
  Pop3Config,
  Pop3ListEntry,
  Pop3Stat,
  Pop3UidlEntry,
} from './types'

/** A logged-in POP3 session. Commands run one at a time in call order; each may be cancelled. */
export interface Pop3Session {
  readonly host: string
  /** Greeting text after `+OK`. */
  readonly greeting: string
  /** CAPA as asked after TLS and login (RFC 2449 §5: may differ from before login). */
  readonly capabilities: Pop3Capabilities
  readonly authMethod: Pop3AuthMethod
  readonly secure: boolean
  /** Set once the connection is gone; every further command rejects with it. */
  readonly broken: MailError | undefined
  capa(signal?: AbortSignal): Promise<Pop3Capabilities>
  stat(signal?: AbortSignal): Promise<Pop3Stat>
  list(signal?: AbortSignal): Promise<Pop3ListEntry[]>
  listOne(n: number, signal?: AbortSignal): Promise<Pop3ListEntry>
  uidl(signal?: AbortSignal): Promise<Pop3UidlEntry[]>
  uidlOne(n: number, signal?: AbortSignal): Promise<Pop3UidlEntry>
  retr(n: number, signal?: AbortSignal): Promise<Buffer>
  retrStream(n: number, signal?: AbortSignal): AsyncGenerator<Buffer>
  /** RETR of several messages in order, pipelined when the server announced PIPELINING (RFC 2449 §6.6). */
  retrMany(ns: readonly number[], signal?: AbortSignal): AsyncGenerator<RetrievedBody>
  top(n: number, lines: number, signal?: AbortSignal): Promise<Buffer>
  /** Marks for deletion; takes effect only at `quit()` (RFC 1939 §6). */
  dele(n: number, signal?: AbortSignal): Promise<void>
  rset(signal?: AbortSignal): Promise<void>
  noop(signal?: AbortSignal): Promise<void>
  /** Ends the session; the server now removes messages marked with `dele`. */
  quit(signal?: AbortSignal): Promise<void>
  /** Drops the connection without QUIT: nothing is deleted. */
  close(): void
}

/**
 * Which login to use. Over TLS: SASL PLAIN (RFC 5034) if advertised, else USER/PASS, else APOP. Without
 * TLS (only when allowed) APOP comes first because it does not reveal the password. Only one method is
 * tried: falling back after a `-ERR` would count as several failed logins on servers that lock accounts.
 */
export function chooseAuthMethod(
  caps: Pop3Capabilities,
  secure: boolean,
  apopOffered: boolean,
  allowApop: boolean,
): Pop3AuthMethod | undefined {
  const available: Record<Pop3AuthMethod, boolean> = {
    'SASL-PLAIN': caps.sasl.includes('PLAIN'),
    // RFC 2449 §6.2: USER is advertised when allowed; a server without CAPA may still accept it.
    USER: caps.user || !caps.supported,
    APOP: apopOffered && allowApop,
  }
  const order: Pop3AuthMethod[] = secure ? ['SASL-PLAIN', 'USER', 'APOP'] : ['APOP', 'SASL-PLAIN', 'USER']
  return order.find((m) => available[m])
}

function tlsRequired(host: string, detail: string): MailError {
  return new MailError(
    'TLS_REQUIRED',
    `${host} does not offer a secure connection (STLS), so the password was not sent. Choose SSL/TLS ` +
      '(often port 995) in the account settings, or ask your provider.',
    `${host}: ${detail}`,
  )
}

/**
 * Opens a logged-in session. Rejects with a MailError: TLS_REQUIRED (policy could not be met; nothing was
 * sent), TLS_UNTRUSTED, AUTH_FAILED, MAILBOX_LOCKED, CONNECTION_REFUSED, HOST_NOT_FOUND, TIMEOUT,
 * NETWORK, CAPABILITY_MISSING, SERVER_ERROR or CANCELLED.
 * @example
 * const s = await openPop3Session({ host, port: 995, tls: 'implicit', username, password })
 * const ids = await s.uidl(); const raw = await s.retr(ids[0].n); await s.quit()
 */
export async function openPop3Session(config: Pop3Config, signal?: AbortSignal): Promise<Pop3Session> {
  if (config.tls === 'none' && config.allowPlaintext !== true) {
    throw new MailError(
      'TLS_REQUIRED',
      `The account for ${config.host} is set to connect without encryption, which is not allowed unless ` +
        'you explicitly permit it. Choose SSL/TLS or STARTTLS in the account settings.',
    )
  }
  const client = await Pop3Client.connect(
    {
      host: config.host,
      port: config.port,
      secure: config.tls === 'implicit',
      ...(config.ca !== undefined ? { ca: config.ca } : {}),
      ...(config.timeouts ? { timeouts: config.timeouts } : {}),
    },
    signal,
  )
  try {
    let caps = await client.capa(signal)
    if (config.tls === 'starttls') {
      // RFC 2595 §4: STLS is advertised in CAPA. A server that answers CAPA without it cannot do TLS; a
      // pre-CAPA server may still know STLS, so we try, and its -ERR becomes TLS_REQUIRED.
      if (caps.supported && !caps.stls) throw tlsRequired(config.host, 'CAPA lacks STLS')
      await client.stls(signal)
      // RFC 2595 §4: forget the capabilities learnt before TLS.
      caps = await client.capa(signal)
    }
    if (!client.secure && config.allowPlaintext !== true)
      throw tlsRequired(config.host, 'not secure before login')
    const method = chooseAuthMethod(
      caps,
      client.secure,
      client.apopTimestamp !== undefined,
      config.allowApop === true,
    )
    if (method === undefined) {
      throw new MailError(
        'CAPABILITY_MISSING',
        `${config.host} offers no login method this app supports. Ask your provider about POP3 access.`,
        `${config.host}: SASL=${caps.sasl.join(',') || '-'} USER=${caps.user} APOP=${client.apopTimestamp !== undefined}`,
      )
    }
    if (method === 'SASL-PLAIN') await client.authPlain(config.username, config.password, signal)
    else if (method === 'APOP') await client.apop(config.username, config.password, signal)
    else {
      await client.user(config.username, signal)
      await client.pass(config.password, signal)
    }
    // RFC 2449 §5: capabilities may change after login (e.g. per-user LOGIN-DELAY or EXPIRE).
    if (caps.supported) caps = await client.capa(signal)
    return sessionOf(client, caps, method)
  } catch (e) {
    client.close()
    throw e
  }
}

function sessionOf(
  client: Pop3Client,
  capabilities: Pop3Capabilities,
  authMethod: Pop3AuthMethod,
): Pop3Session {
  return {
    host: client.host,
    greeting: client.greeting,
    capabilities,
    authMethod,
    get secure() {
      return client.secure
    },
    get broken() {
      return client.broken
    },
    capa: (signal) => client.capa(signal),
    stat: (signal) => client.stat(signal),
    list: (signal) => client.list(signal),
    listOne: (n, signal) => client.listOne(n, signal),
    uidl: (signal) => client.uidl(signal),
    uidlOne: (n, signal) => client.uidlOne(n, signal),
    retr: (n, signal) => client.retr(n, signal),
    retrStream: (n, signal) => client.retrStream(n, signal),
    retrMany: (ns, signal) => client.retrMany(ns, capabilities.pipelining, signal),
    top: (n, lines, signal) => client.top(n, lines, signal),
    dele: (n, signal) => client.dele(n, signal),
    rset: (signal) => client.rset(signal),
    noop: (signal) => client.noop(signal),
    quit: (signal) => client.quit(signal),
    close: () => client.close(),
  }
}
