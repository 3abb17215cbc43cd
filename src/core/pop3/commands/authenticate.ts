/**
 * The AUTHORIZATION state commands (RFC 1939 §4): USER/PASS, APOP (RFC 1939 §7) and SASL PLAIN through
 * AUTH (RFC 5034). A `-ERR` here is mapped with `auth = true`: bad credentials, or a locked maildrop
 * (RFC 2449 §8.1.2 `[IN-USE]`), or a temporary server problem (`[SYS/TEMP]`).
 */
import { createHash } from 'node:crypto'
import { statusError } from '../errors'
import type { Pop3Connection } from '../pop3-connection'
import { expectOk, safeArgument } from './command-helpers'

/**
 * RFC 5034 §4: an initial response may be sent only if the whole command line stays within 255 octets;
 * longer credentials go in a separate line after the server's empty `+ ` challenge.
 */
const MAX_INITIAL_RESPONSE_LINE = 255

/** The `<...@...>` timestamp of an APOP-capable greeting (RFC 1939 §7), or undefined. */
export function apopTimestamp(greetingText: string): string | undefined {
  return /<[^<>\s]*@[^<>\s]*>/.exec(greetingText)?.[0]
}

/** The APOP digest: lower-case hex MD5 of timestamp + shared secret (RFC 1939 §7). */
export function apopDigest(timestamp: string, password: string): string {
  return createHash('md5')
    .update(timestamp + password, 'utf8')
    .digest('hex')
}

/** USER name (RFC 1939 §7). Some servers already reject unknown names here. */
export async function user(conn: Pop3Connection, name: string, signal?: AbortSignal): Promise<void> {
  await expectOk(conn, `USER ${safeArgument(name, 'user name')}`, signal, true)
}

/** PASS secret (RFC 1939 §7): the rest of the line, spaces included. On `+OK` the maildrop is locked. */
export async function pass(conn: Pop3Connection, password: string, signal?: AbortSignal): Promise<void> {
  await expectOk(conn, `PASS ${safeArgument(password, 'password')}`, signal, true)
}

/** APOP name digest (RFC 1939 §7); `timestamp` from the greeting. */
export async function apop(
  conn: Pop3Connection,
  name: string,
  password: string,
  timestamp: string,
  signal?: AbortSignal,
): Promise<void> {
  const digest = apopDigest(timestamp, password)
  await expectOk(conn, `APOP ${safeArgument(name, 'user name')} ${digest}`, signal, true)
}

/**
 * AUTH PLAIN (RFC 5034 with RFC 4616): authzid empty, authcid = name. Uses the initial response when the
 * line fits, otherwise answers the server's empty challenge. Anything but `+OK` at the end fails.
 */
export async function authPlain(
  conn: Pop3Connection,
  name: string,
  password: string,
  signal?: AbortSignal,
): Promise<void> {
  const token = Buffer.from(
    `\0${safeArgument(name, 'user name')}\0${safeArgument(password, 'password')}`,
    'utf8',
  )
  const response = token.toString('base64')
  const initial = `AUTH PLAIN ${response}`
  if (initial.length <= MAX_INITIAL_RESPONSE_LINE) {
    const { status } = await conn.send(initial, false, { signal })
    if (status.ok && !status.continuation) return
    if (!status.continuation) throw statusError('AUTH', status, conn.host, true)
    // A challenge after an initial response makes no sense for PLAIN: cancel (RFC 5034 §4 "*").
    const cancelled = await conn.send('*', false, { signal })
    throw statusError('AUTH', { ...cancelled.status, ok: false }, conn.host, true)
  }
  const challenge = await conn.send('AUTH PLAIN', false, { signal })
  if (!challenge.status.continuation) {
    if (challenge.status.ok) return
    throw statusError('AUTH', challenge.status, conn.host, true)
  }
  const { status } = await conn.send(response, false, { signal })
  if (!status.ok || status.continuation) throw statusError('AUTH', { ...status, ok: false }, conn.host, true)
}
