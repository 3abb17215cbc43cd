import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** WebSocket subprotocols carry the token: browsers cannot set headers on a WebSocket, and query strings leak into logs. */
export const RPC_SUBPROTOCOL = 'harbor-rpc.v1'
export const TOKEN_SUBPROTOCOL_PREFIX = 'token.'

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string }

/**
 * Decides whether a WebSocket upgrade may reach the core. Any web page the user visits can try to open
 * ws://127.0.0.1:<port>; the Origin check stops those, the token stops other local programs and pages that
 * forge nothing but guess the port, and the Host check stops DNS-rebinding attacks.
 */
export function checkUpgrade(
  req: IncomingMessage,
  allowedOrigins: ReadonlySet<string>,
  token: string,
): UpgradeVerdict {
  const host = req.headers.host ?? ''
  if (![...allowedOrigins].some((o) => o === `http://${host}`)) {
    return { ok: false, status: 403, reason: 'unexpected Host header' }
  }
  const origin = req.headers.origin
  if (origin === undefined || !allowedOrigins.has(origin)) {
    return { ok: false, status: 403, reason: 'foreign or missing Origin' }
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  if (!offered.includes(RPC_SUBPROTOCOL)) return { ok: false, status: 400, reason: 'missing RPC subprotocol' }
  const presented = offered.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
  if (presented === undefined) return { ok: false, status: 401, reason: 'missing token' }
  if (!sameSecret(presented.slice(TOKEN_SUBPROTOCOL_PREFIX.length), token)) {
    return { ok: false, status: 401, reason: 'wrong token' }
  }
  return { ok: true }
}
