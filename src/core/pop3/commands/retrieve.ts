/**
 * RETR and TOP (RFC 1939 §7): message bytes, as one Buffer or as a stream of chunks. The bytes are exactly
 * what the server stored after dot-unstuffing (RFC 1939 §3), CRLF line ends included; the terminating "."
 * line is not part of them. A connection lost before that line rejects: a cut message is never returned.
 */
import type { BodyStream } from '../body-stream'
import type { Pop3Connection } from '../pop3-connection'
import { collect, expectBody, inWindow, messageNumber, PIPELINE_WINDOW } from './command-helpers'

/** One message of `retrMany`: its number and its body, to be read before asking for the next. */
export interface RetrievedMessage {
  n: number
  body: AsyncIterable<Buffer>
}

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

/**
 * RETR of several messages in order. With pipelining (RFC 2449 §6.6) up to `window` RETRs are on the wire
 * ahead of the one being read, so the server never waits for a round trip between messages; without it,
 * one at a time. Memory stays bounded: the connection pauses the socket when the unread bytes of all
 * answers together pass its buffer bound.
 *
 * Each yielded body must be read (or left) before the next is asked for; what is left unread is dropped.
 * A `-ERR` rejects with its MailError (the session stays usable); a cut, timeout or abort rejects the body
 * being read or the next step with NETWORK / TIMEOUT / CANCELLED, never ending a body early. Stopping
 * early (break, or an error) reads and drops the answers to RETRs already sent, so the session stays usable.
 */
export async function* retrMany(
  conn: Pop3Connection,
  ns: readonly number[],
  signal?: AbortSignal,
  window = PIPELINE_WINDOW,
): AsyncGenerator<RetrievedMessage> {
  // Every number is checked before the first command goes out: no half-sent batch for a bad argument.
  const lines = ns.map((n) => `RETR ${messageNumber(n)}`)
  const depth = conn.pipelining ? Math.max(1, window) : 1
  const inFlight: Promise<BodyStream>[] = []
  let sent = 0
  const refill = (): void => {
    while (sent < lines.length && inFlight.length < depth) {
      const answer = expectBody(conn, lines[sent++]!, signal)
      // Awaited in order below; marked handled so a failure behind an earlier one is not "unhandled".
      answer.catch(() => undefined)
      inFlight.push(answer)
    }
  }
  let current: BodyStream | undefined
  try {
    refill()
    for (const n of ns) {
      current = await inFlight.shift()!
      refill()
      yield { n, body: current }
      current.abandon()
      current = undefined
    }
  } finally {
    current?.abandon()
    for (const answer of inFlight.splice(0)) {
      answer.then(
        (body) => body.abandon(),
        () => undefined,
      )
    }
  }
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

/** TOP for several messages, pipelined when the server allows it; results in the order of `ns`. */
export function topMany(
  conn: Pop3Connection,
  ns: readonly number[],
  lines: number,
  signal?: AbortSignal,
): Promise<Buffer[]> {
  ns.forEach(messageNumber)
  return inWindow(conn, ns.length, (i) => top(conn, ns[i]!, lines, signal))
}
