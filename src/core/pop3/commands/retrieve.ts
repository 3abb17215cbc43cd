/**
 * RETR and TOP (RFC 1939 §7): message bytes, as one Buffer or as a stream of chunks. The bytes are exactly
 * what the server stored after dot-unstuffing (RFC 1939 §3), CRLF line ends included; the terminating "."
 * line is not part of them. A connection lost before that line rejects: a cut message is never returned.
 */
import type { Pop3Connection } from '../pop3-connection'
import { collect, expectBody, messageNumber } from './command-helpers'

/**
 * Streams message `n`. The first chunk arrives after the server's `+OK`; iteration rejects (NETWORK,
 * TIMEOUT, CANCELLED) if the message cannot be completed. Breaking out early is allowed: the rest of the
 * message is read and dropped so the session stays usable.
 */
export async function* retrStream(
  conn: Pop3Connection,
  n: number,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const body = await expectBody(conn, `RETR ${messageNumber(n)}`, signal)
  yield* body
}

/** Message `n` as one Buffer (a 25 MB message costs ~25 MB plus its chunks, copied once). */
export async function retr(conn: Pop3Connection, n: number, signal?: AbortSignal): Promise<Buffer> {
  return collect(await expectBody(conn, `RETR ${messageNumber(n)}`, signal))
}

/**
 * TOP n lines: the header, the blank line, and the first `lines` lines of the body (RFC 1939 §7). Used to
 * show large messages before downloading them. Optional in RFC 1939; check `capabilities.top`.
 */
export async function top(
  conn: Pop3Connection,
  n: number,
  lines: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const count = Number.isSafeInteger(lines) && lines >= 0 ? lines : 0
  return collect(await expectBody(conn, `TOP ${messageNumber(n)} ${count}`, signal))
}
