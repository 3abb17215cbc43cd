/**
 * Incremental parser for POP3 server output. It knows nothing about sockets: the connection pushes every
 * chunk it receives and says what it expects next; the reader calls back with the status line and, for
 * multi-line answers, with body chunks that are already dot-unstuffed.
 *
 * Cost is linear in the bytes received: lines are found with `indexOf(LF)` inside each chunk and body bytes
 * are handed on as `subarray`s of the chunk (no copy) unless a dot-stuffed line forces one.
 */

const LF = 0x0a
const CR = 0x0d
const DOT = 0x2e

/**
 * RFC 2449 §4 allows status lines of up to 512 octets; we accept far more from lax servers but still cap
 * it, so a server that never sends LF cannot make us buffer without end.
 */
export const MAX_STATUS_LINE = 64 * 1024

/** Receives one response; all calls are synchronous, from inside `push`. */
export interface ResponseHandler {
  /** The status line without its line end. Called exactly once per response. */
  status(line: string): void
  /** Body bytes of a multi-line answer, dot-unstuffed, line ends exactly as sent. */
  body(chunk: Buffer): void
  /** The terminating `.` line was seen (multi-line answers only). */
  end(): void
}

/** The server broke the protocol (over-long status line); the connection must be dropped. */
export class Pop3ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'Pop3ProtocolError'
  }
}

type Mode = 'idle' | 'status' | 'body'

export class ResponseReader {
  private mode: Mode = 'idle'
  private handler: ResponseHandler | undefined
  private multilineIfOk = false
  private statusParts: Buffer[] = []
  private statusLength = 0
  /** True when the next body byte starts a line (only such a line can be dot-stuffed or the terminator). */
  private atLineStart = true
  /** 1–2 body bytes at a line start that might be the start of the terminator: decided by the next chunk. */
  private carry: Buffer | undefined
  /** Bytes that arrived while no response was expected; they belong to the next one. */
  private backlog: Buffer[] = []

  /** True while a response is being read. */
  get busy(): boolean {
    return this.mode !== 'idle'
  }

  /** Bytes received but not yet claimed by a response (RFC 2595 §4: must be none when TLS starts). */
  get pendingBytes(): number {
    return this.backlog.reduce((sum, b) => sum + b.length, 0)
  }

  /**
   * Starts reading the next response. `multilineIfOk`: a `+OK` status is followed by a body ending in a
   * line holding only `.` (RFC 1939 §3); a `-ERR` never is.
   */
  expect(multilineIfOk: boolean, handler: ResponseHandler): void {
    if (this.mode !== 'idle') throw new Error('POP3 reader: a response is already being read')
    this.mode = 'status'
    this.handler = handler
    this.multilineIfOk = multilineIfOk
    const waiting = this.backlog
    this.backlog = []
    for (const chunk of waiting) this.push(chunk)
  }

  /** Feeds bytes from the socket, in order. Throws Pop3ProtocolError on a broken stream. */
  push(chunk: Buffer): void {
    let rest: Buffer | undefined = chunk
    while (rest !== undefined && rest.length > 0) {
      if (this.mode === 'idle') {
        this.backlog.push(rest)
        return
      }
      rest = this.mode === 'status' ? this.readStatus(rest) : this.readBody(rest)
    }
  }

  /** Forgets everything; used when the connection is replaced (TLS upgrade) or dropped. */
  reset(): void {
    this.mode = 'idle'
    this.handler = undefined
    this.statusParts = []
    this.statusLength = 0
    this.carry = undefined
    this.backlog = []
    this.atLineStart = true
  }

  private readStatus(buf: Buffer): Buffer | undefined {
    const nl = buf.indexOf(LF)
    const part = nl === -1 ? buf : buf.subarray(0, nl)
    this.statusLength += part.length
    if (this.statusLength > MAX_STATUS_LINE) {
      throw new Pop3ProtocolError(`status line longer than ${MAX_STATUS_LINE} bytes`)
    }
    this.statusParts.push(part)
    if (nl === -1) return undefined
    let line = this.statusParts.length === 1 ? part : Buffer.concat(this.statusParts)
    this.statusParts = []
    this.statusLength = 0
    // Tolerate a bare LF line end (seen on broken servers); strip the CR of a proper CRLF.
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1)
    const text = line.toString('latin1')
    const handler = this.handler!
    const multiline = this.multilineIfOk && text.startsWith('+OK')
    this.mode = multiline ? 'body' : 'idle'
    if (multiline) this.atLineStart = true
    else this.handler = undefined
    handler.status(text)
    return buf.subarray(nl + 1)
  }

  /** Scans body bytes; returns what follows the terminator, if it was found. */
  private readBody(input: Buffer): Buffer | undefined {
    const buf = this.carry ? Buffer.concat([this.carry, input]) : input
    this.carry = undefined
    const handler = this.handler!
    // Body bytes to hand on are buf[segStart, pos) minus the single stuffed dots we skip.
    const segments: Buffer[] = []
    let segStart = 0
    let pos = 0
    let ended = -1
    while (pos < buf.length) {
      if (this.atLineStart) {
        this.atLineStart = false
        if (buf[pos] === DOT) {
          const next = buf[pos + 1]
          const after = buf[pos + 2]
          // Not enough bytes to tell ".\r\n" (end) from ".." (stuffed): decide with the next chunk.
          if (next === undefined || (next === CR && after === undefined)) {
            this.carry = buf.subarray(pos)
            this.atLineStart = true
            break
          }
          if (next === LF || (next === CR && after === LF)) {
            // RFC 1939 §3: a line of just "." ends the response ("\n" alone tolerated).
            ended = pos + (next === LF ? 2 : 3)
            break
          }
          // RFC 1939 §3: any other line starting with "." had one "." prepended by the server: drop it.
          if (pos > segStart) segments.push(buf.subarray(segStart, pos))
          segStart = pos + 1
        }
      }
      const nl = buf.indexOf(LF, pos)
      if (nl === -1) {
        pos = buf.length
        break
      }
      pos = nl + 1
      this.atLineStart = true
    }
    // pos is the end of the bytes scanned: the terminator's dot, the held-back carry, or the chunk end.
    if (pos > segStart) segments.push(buf.subarray(segStart, pos))
    if (segments.length === 1) handler.body(segments[0]!)
    else if (segments.length > 1) handler.body(Buffer.concat(segments))
    if (ended === -1) return undefined
    this.mode = 'idle'
    this.handler = undefined
    this.atLineStart = true
    handler.end()
    return buf.subarray(ended)
  }
}
