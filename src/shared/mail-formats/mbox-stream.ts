/**
 * Reads an mbox file chunk by chunk (a 100 MB archive never has to be in memory at once) and gives back
 * exactly the messages `readMbox` would give for the whole file: it only finds where each message starts
 * (a line beginning with "From ") and hands each message's bytes, From line included, to `readMbox`, so
 * framing, EOL and quoting rules live in one place.
 */
import { concatBytes } from './concat-bytes'
import { readMbox } from './mbox'

const LF = 0x0a
const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20] // "From "

function isFromLine(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < FROM.length; k++) if (bytes[at + k] !== FROM[k]) return false
  return true
}

export interface MboxPiece {
  raw: Uint8Array
  /** Offset of the message's From line in the file, for error messages. */
  offset: number
}

export class MboxSplitter {
  /** Bytes before the first From line (not mail; a file that is all preamble is not an mbox). */
  preambleBytes = 0
  private pieces: Uint8Array[] = []
  private started = false
  private messageOffset = 0
  /** A line start whose first bytes have not arrived yet (fewer than 5). */
  private carry: Uint8Array | null = null
  /** The next chunk continues a line already judged (so its byte 0 is not a line start). */
  private midLine = false
  private consumed = 0

  /** Feeds the next chunk; returns the messages it completed, in file order. */
  push(chunk: Uint8Array): MboxPiece[] {
    const out: MboxPiece[] = []
    let buf = chunk
    let base = this.consumed
    if (this.carry) {
      buf = concatBytes([this.carry, chunk])
      base -= this.carry.length
      this.carry = null
    }
    this.consumed += chunk.length
    let segStart = 0
    let i = this.midLine ? buf.indexOf(LF) + 1 || buf.length : 0
    this.midLine = false
    while (i < buf.length) {
      if (buf.length - i < FROM.length && buf.indexOf(LF, i) < 0) {
        // Too short to tell whether this line starts a message: judge it when more bytes come.
        this.keep(buf.subarray(segStart, i))
        this.carry = buf.slice(i)
        return out
      }
      if (isFromLine(buf, i)) {
        this.keep(buf.subarray(segStart, i))
        this.finish(out)
        this.started = true
        this.messageOffset = base + i
        segStart = i
      }
      const lf = buf.indexOf(LF, i)
      if (lf < 0) {
        this.midLine = true
        break
      }
      i = lf + 1
    }
    this.keep(buf.subarray(segStart))
    return out
  }

  /** The end of the file: returns the last message. */
  end(): MboxPiece[] {
    const out: MboxPiece[] = []
    if (this.carry) {
      this.keep(this.carry)
      this.carry = null
    }
    this.finish(out)
    return out
  }

  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    if (this.started) this.pieces.push(bytes)
    else this.preambleBytes += bytes.length
  }

  private finish(out: MboxPiece[]): void {
    if (!this.started) return
    const [raw] = readMbox(concatBytes(this.pieces))
    out.push({ raw: raw ?? new Uint8Array(0), offset: this.messageOffset })
    this.pieces = []
  }
}
