// A deliberately bare POP3 client over TLS: pipelined commands, multi-line responses found by their
// CRLF.CRLF terminator, no dot-unstuffing or parsing. It is the floor the product's POP3 download is
// measured against, so it must not do anything the network does not force.

import { connect, type TLSSocket } from 'node:tls'

const TERMINATOR = Buffer.from('\r\n.\r\n')

/** Where a floor bench (bench/path-floor.ts) passes message bytes on: each piece as it arrives, then the end. */
export interface BodySink {
  body(piece: Buffer): void
  end(): void
}

interface Pending {
  multiline: boolean
  resolve: (r: { status: string; bytes: number }) => void
  reject: (e: Error) => void
}

export class RawPop3 {
  private readonly queue: Pending[] = []
  private statusBuf = ''
  private inBody = false
  private bodyBytes = 0
  /** Last bytes of the previous chunk, so a terminator split across chunks is still found. */
  private tail: Buffer = Buffer.alloc(0)
  private failure: Error | undefined

  /** Where the bytes of multi-line responses go from now on (none: they are only counted). */
  sink: BodySink | undefined

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (e) => this.fail(e))
    socket.on('close', () => this.fail(new Error('POP3 connection closed')))
  }

  static async open(port: number, ca: string, signal?: AbortSignal): Promise<RawPop3> {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' })
    signal?.addEventListener('abort', () => socket.destroy(), { once: true })
    const client = new RawPop3(socket)
    // The greeting is a single-line response with no command.
    await new Promise<void>((resolve, reject) => {
      client.queue.push({ multiline: false, resolve: () => resolve(), reject })
    })
    return client
  }

  /** Sends a command now; the promise settles when its response has arrived (in order). */
  command(line: string, multiline = false): Promise<{ status: string; bytes: number }> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ multiline, resolve, reject })
      this.socket.write(line + '\r\n')
    })
  }

  close(): void {
    this.socket.destroy()
  }

  private fail(e: Error): void {
    this.failure ??= e
    for (const p of this.queue.splice(0)) p.reject(e)
  }

  private onData(chunk: Buffer): void {
    let pos = 0
    while (pos < chunk.length) {
      const head = this.queue[0]
      if (!head) return this.fail(new Error('unexpected data from POP3 server'))
      if (!this.inBody) {
        const nl = chunk.indexOf(0x0a, pos)
        const end = nl === -1 ? chunk.length : nl + 1
        this.statusBuf += chunk.toString('latin1', pos, end)
        pos = end
        if (nl === -1) return
        const status = this.statusBuf.trimEnd()
        this.statusBuf = ''
        if (!status.startsWith('+OK')) {
          this.queue.shift()
          head.reject(new Error(`POP3: ${status}`))
          continue
        }
        if (!head.multiline) {
          this.queue.shift()
          head.resolve({ status, bytes: 0 })
          continue
        }
        this.inBody = true
        this.bodyBytes = 0
        // The status line's CRLF lets an empty body's ".\r\n" match the terminator.
        this.tail = Buffer.from('\r\n')
        continue
      }
      const window = Buffer.concat([this.tail, chunk.subarray(pos)])
      const hit = window.indexOf(TERMINATOR)
      if (hit === -1) {
        this.sink?.body(chunk.subarray(pos))
        this.bodyBytes += chunk.length - pos
        this.tail = window.subarray(Math.max(0, window.length - (TERMINATOR.length - 1)))
        return
      }
      const consumed = hit + TERMINATOR.length - this.tail.length
      if (this.sink) {
        this.sink.body(chunk.subarray(pos, pos + consumed))
        this.sink.end()
      }
      this.bodyBytes += consumed
      pos += consumed
      this.inBody = false
      this.queue.shift()
      head.resolve({ status: '+OK', bytes: this.bodyBytes })
    }
  }
}
