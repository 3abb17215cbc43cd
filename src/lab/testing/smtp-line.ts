import { connect, type Socket } from 'node:net'

/**
 * A raw SMTP conversation for refusal tests, where a real client library would refuse to even try
 * (e.g. AUTH before STARTTLS). Reads complete (multi-line) replies: "250-..." continues, "250 ..." ends.
 */
export class SmtpLine {
  private buffer = ''
  private pending: ((reply: string) => void) | undefined

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      this.buffer += chunk
      this.flush()
    })
  }

  static async open(port: number): Promise<{ smtp: SmtpLine; greeting: string }> {
    const socket = connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('error', reject)
    })
    const smtp = new SmtpLine(socket)
    return { smtp, greeting: await smtp.reply() }
  }

  private flush(): void {
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer)
    if (!m || !this.pending) return
    const end = m.index + m[0].length
    const reply = this.buffer.slice(0, end).trim()
    this.buffer = this.buffer.slice(end)
    const pending = this.pending
    this.pending = undefined
    pending(reply)
  }

  private reply(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('SMTP reply timed out')), 10_000)
      this.pending = (r) => {
        clearTimeout(timer)
        resolve(r)
      }
      this.flush()
    })
  }

  /** Sends a command line and resolves with the full reply text (all lines). */
  send(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`)
    return this.reply()
  }

  close(): void {
    this.socket.destroy()
  }
}
