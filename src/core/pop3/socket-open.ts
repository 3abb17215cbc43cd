/**
 * Opening the byte stream: TCP, implicit TLS, or a TLS upgrade of an existing TCP socket (STLS). Every path
 * verifies the certificate (system CAs or the account's `ca`), is bounded by a timeout and can be cancelled;
 * on any failure the socket is destroyed before the promise rejects.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls'
import type { MailError } from '../../shared/errors'
import { cancelledError, socketError, timeoutError } from './errors'

export interface OpenSocketOptions {
  host: string
  port: number
  /** Implicit TLS from the first byte. */
  secure: boolean
  ca?: string | string[]
  timeoutMs: number
  signal?: AbortSignal
}

export interface UpgradeOptions {
  host: string
  port: number
  ca?: string | string[]
  timeoutMs: number
  signal?: AbortSignal
}

/** TLS options shared by both paths. Verification stays on: `rejectUnauthorized` is never false here. */
function tlsOptions(host: string, ca: string | string[] | undefined): ConnectionOptions {
  return {
    host,
    // SNI must be a DNS name (RFC 6066 §3); the certificate is still checked against an IP host.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(ca !== undefined ? { ca } : {}),
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  }
}

/**
 * Waits for `ready` on a socket that is connecting or handshaking. Resolves with it, or destroys it and
 * rejects with a mapped MailError on error, timeout, early close or abort.
 */
function settle<T extends Socket>(
  socket: T,
  ready: 'connect' | 'secureConnect',
  opts: { host: string; port: number; timeoutMs: number; signal?: AbortSignal; phase: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (error: MailError): void => {
      cleanup()
      socket.destroy()
      reject(error)
    }
    const onError = (e: Error): void => fail(socketError(e, opts.host, opts.port))
    const onClose = (): void => fail(socketError(new Error('connection closed'), opts.host, opts.port))
    const onAbort = (): void => fail(cancelledError())
    const onReady = (): void => {
      cleanup()
      resolve(socket)
    }
    const timer = setTimeout(() => fail(timeoutError(opts.host, opts.phase)), opts.timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      socket.off('error', onError)
      socket.off('close', onClose)
      socket.off(ready, onReady)
      opts.signal?.removeEventListener('abort', onAbort)
    }
    socket.once('error', onError)
    socket.once('close', onClose)
    socket.once(ready, onReady)
    if (opts.signal?.aborted) return onAbort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Connects over TCP, or TLS when `secure` (POP3S). */
export function openSocket(opts: OpenSocketOptions): Promise<Socket> {
  const common = { host: opts.host, port: opts.port, timeoutMs: opts.timeoutMs, signal: opts.signal }
  if (opts.signal?.aborted) return Promise.reject(cancelledError())
  if (opts.secure) {
    const socket = tlsConnect({ ...tlsOptions(opts.host, opts.ca), port: opts.port })
    // One command per round trip: Nagle + delayed ACK would add ~40 ms to each of them.
    socket.setNoDelay(true)
    return settle(socket, 'secureConnect', { ...common, phase: 'setting up a secure connection' })
  }
  const socket = netConnect({ host: opts.host, port: opts.port, noDelay: true })
  return settle(socket, 'connect', { ...common, phase: 'connecting' })
}

/**
 * Wraps a connected TCP socket in TLS (after `+OK` to STLS, RFC 2595 §4). The caller must have consumed
 * every plaintext byte already: anything the server sent before the handshake is not trustworthy.
 */
export function upgradeSocket(plain: Socket, opts: UpgradeOptions): Promise<TLSSocket> {
  if (opts.signal?.aborted) {
    plain.destroy()
    return Promise.reject(cancelledError())
  }
  const socket = tlsConnect({ ...tlsOptions(opts.host, opts.ca), socket: plain })
  socket.setNoDelay(true)
  return settle(socket, 'secureConnect', {
    host: opts.host,
    port: opts.port,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    phase: 'setting up a secure connection (STLS)',
  })
}
