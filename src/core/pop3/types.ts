/**
 * Plain types of the POP3 client: configuration in, parsed answers out. No behaviour lives here, so the
 * sync code can import them without pulling in sockets.
 */

/**
 * How the connection is protected.
 * - `implicit`: TLS from the first byte (POP3S, usually port 995).
 * - `starttls`: plain TCP, then `STLS` (RFC 2595 §4); refused with TLS_REQUIRED if the server cannot.
 * - `none`: no TLS at all; allowed only with `allowPlaintext: true` on the account.
 */
export type Pop3TlsMode = 'implicit' | 'starttls' | 'none'

/** Milliseconds; every value must be > 0. */
export interface Pop3Timeouts {
  /** Limit for each setup step: TCP connect (+ TLS handshake), the greeting, an STLS handshake. Default 15 000. */
  connectMs?: number
  /** Longest silence from the server while a command waits for its answer. Default 30 000. */
  idleMs?: number
}

/** What `openPop3Session` needs; the caller fetched the password from the keychain. */
export interface Pop3Config {
  host: string
  port: number
  tls: Pop3TlsMode
  username: string
  password: string
  /** PEM CA certificate(s) to trust instead of the system store (self-hosted or test servers). */
  ca?: string | string[]
  /** The user explicitly allowed sending the password without TLS for this account. */
  allowPlaintext?: boolean
  /** The account allows APOP (RFC 1939 §7, MD5-based) when the greeting carries a timestamp. */
  allowApop?: boolean
  timeouts?: Pop3Timeouts
}

/** Options for the low-level `Pop3Client.connect`. */
export interface Pop3ConnectOptions {
  host: string
  port: number
  /** true = implicit TLS (POP3S). */
  secure: boolean
  ca?: string | string[]
  timeouts?: Pop3Timeouts
}

/** Capabilities from CAPA (RFC 2449 §5), upper-cased names mapped to their arguments. */
export interface Pop3Capabilities {
  /** False when the server answered -ERR to CAPA (a pre-RFC 2449 server): nothing is known then. */
  supported: boolean
  /** Every capability line, e.g. `TOP` → [], `SASL` → ['PLAIN', 'LOGIN']. */
  raw: ReadonlyMap<string, readonly string[]>
  stls: boolean
  top: boolean
  uidl: boolean
  user: boolean
  pipelining: boolean
  respCodes: boolean
  /** SASL mechanisms, upper-case (RFC 5034 §6). */
  sasl: readonly string[]
  /** LOGIN-DELAY in seconds if advertised (RFC 2449 §6.5). */
  loginDelay: number | undefined
  /** EXPIRE in days, 'NEVER', or undefined if not advertised (RFC 2449 §6.7). */
  expire: number | 'NEVER' | undefined
}

/** Answer to STAT (RFC 1939 §5). */
export interface Pop3Stat {
  count: number
  /** Octets of the maildrop as the server counts them (CRLF line ends). */
  size: number
}

/** One scan listing line of LIST (RFC 1939 §5). */
export interface Pop3ListEntry {
  /** Message number, valid for this session only. */
  n: number
  size: number
}

/** One unique-id listing line of UIDL (RFC 1939 §7). */
export interface Pop3UidlEntry {
  n: number
  /** 1–70 printable characters (0x21–0x7E), stable across sessions. */
  uid: string
}

/** How the session authenticated. */
export type Pop3AuthMethod = 'SASL-PLAIN' | 'APOP' | 'USER'

/** A parsed one-line status response. */
export interface Pop3Status {
  ok: boolean
  /** A SASL continuation `+ <base64>` (RFC 5034 §4) rather than `+OK`; `ok` is true then too. */
  continuation: boolean
  /** Text after `+OK`/`-ERR`/`+`, including any `[CODE]`. */
  text: string
  /** RFC 2449 §8 response code, upper-case, e.g. `IN-USE`, `SYS/TEMP`; undefined if none. */
  code: string | undefined
}
