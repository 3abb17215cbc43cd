/**
 * CAPA (RFC 2449 §5): what the server supports. Asked right after the greeting and again after STLS,
 * because RFC 2595 §4 requires forgetting what was learnt before TLS (a man in the middle could have
 * removed STLS or SASL mechanisms from the plaintext answer).
 */
import type { Pop3Connection } from '../pop3-connection'
import type { Pop3Capabilities } from '../types'
import { collectLines } from './command-helpers'

/** Builds the typed view from CAPA lines; `undefined` = the server does not support CAPA. */
export function parseCapabilities(lines: readonly string[] | undefined): Pop3Capabilities {
  const raw = new Map<string, string[]>()
  for (const line of lines ?? []) {
    const [name, ...args] = line.trim().split(/\s+/)
    if (name) raw.set(name.toUpperCase(), args)
  }
  const delay = raw.get('LOGIN-DELAY')?.[0]
  const expire = raw.get('EXPIRE')?.[0]
  return {
    supported: lines !== undefined,
    raw,
    stls: raw.has('STLS'),
    top: raw.has('TOP'),
    uidl: raw.has('UIDL'),
    user: raw.has('USER'),
    pipelining: raw.has('PIPELINING'),
    respCodes: raw.has('RESP-CODES'),
    sasl: (raw.get('SASL') ?? []).map((m) => m.toUpperCase()),
    loginDelay: delay !== undefined && /^\d+$/.test(delay) ? Number(delay) : undefined,
    expire:
      expire === undefined
        ? undefined
        : expire.toUpperCase() === 'NEVER'
          ? 'NEVER'
          : /^\d+$/.test(expire)
            ? Number(expire)
            : undefined,
  }
}

/**
 * Sends CAPA. A `-ERR` is an answer, not a failure: the server predates RFC 2449 and the result has
 * `supported: false` (every capability then unknown).
 */
export async function capa(conn: Pop3Connection, signal?: AbortSignal): Promise<Pop3Capabilities> {
  const { status, body } = await conn.send('CAPA', true, { signal })
  if (!status.ok || !body) return parseCapabilities(undefined)
  return parseCapabilities(await collectLines(body))
}
