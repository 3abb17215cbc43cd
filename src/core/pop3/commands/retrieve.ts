/**
 * RETR and TOP (RFC 1939 §7): message bytes, as one Buffer or as a stream of chunks. The bytes are exactly
 * what the server stored after dot-unstuffing (RFC 1939 §3), CRLF line ends included; the terminating "."
 * line is not part of them. A connection lost before that line rejects: a cut message is never returned.
 */
import type { BodyStream } from '../body-stream'
import type { Pop3Connection } from '../pop3-connection'
import { collect, expectBody, messageNumber } from './command-helpers'

/** RETR commands written ahead of the one being read, with PIPELINING: keeps the server sending. */
export const RETR_PIPELINE_DEPTH = 16

/** One message of `retrMany`: its body must be read (or abandoned) before the next one is asked for. */
export interface RetrievedBody {
  n: number
  body: BodyStream
}

/**
 * RETR of several messages in order. With `pipelined` (the server announced PIPELINING, RFC 2449 §6.6)
 * up to RETR_PIPELINE_DEPTH commands are on the wire at once, so the server never waits for our next
 * command; otherwise one after the other. Each body is like `retrStream`'s. Ending early (break, throw)
 * still reads the answers already asked for, so the session stays in step.
 */
export async function* retrMany(
  conn: Pop3Connection,
  ns: readonly number[],
  pipelined: boolean,
  signal?: AbortSignal,
): AsyncGenerator<RetrievedBody> {
  const depth = pipelined ? RETR_PIPELINE_DEPTH : 1
  const pending: Promise<BodyStream>[] = []
  let asked = 0
  const ask = (): void => {
    const answer = expectBody(conn, `RETR ${messageNumber(ns[asked]!)}`, signal, pipelined)
    answer.catch(() => undefined) // awaited in turn below; a failure must not be "unhandled" meanwhile
    pending.push(answer)
    asked++
  }
  try {
    for (let i = 0; i < ns.length; i++) {
      while (asked < ns.length && pending.length < depth) ask()
      const body = await pending.shift()!
      try {
        yield { n: ns[i]!, body }
      } finally {
        abandon(body)
      }
    }
  } finally {
    // Answers already asked for: read and dropped in turn (or they fail with the broken connection).
    for (const answer of pending.splice(0)) {
      await answer.then(abandon, () => undefined)
    }
  }
}

/** Drops what is left of a body that was not read to its end (a body already read to the end: no-op). */
function abandon(body: BodyStream): void {
  try {
    void body[Symbol.asyncIterator]().return?.()
  } catch {
    // Already being read by the caller: its own loop ended it (for-await calls return() on the way out).
  }
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
