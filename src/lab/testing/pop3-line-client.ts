import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'

/**
 * A deliberately tiny POP3 client (RFC 1939 + RFC 2595 STLS) for the lab's own tests only: the product's
 * POP3 client lives in core/. Line oriented, one command at a time, no pipelining.
 */
export interface Pop3Reply {
  ok: boolean
  /** The status line without "+OK "/"-ERR ". */
  text: string
}

export interface Pop3ConnectOptions {
  host: string
  port: number
  /** Implicit TLS (POP3S) when true. */
  tls: boolean
  ca: string
  timeoutMs?: number
}

export class Pop3LineClient {
  private buffer = ''
  private waiters: { resolve: (line: string) => void; reject: (e: Error) => void }[] = []
  private lines: string[] = []
  private closed: Error | undefined

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly opts: Pop3ConnectOptions,
  ) {
    this.attach(socket)
  }

  static async connect(opts: Pop3ConnectOptions): Promise<{ client: Pop3LineClient; greeting: Pop3Reply }> {
    const socket = opts.tls
      ? tlsConnect({ host: opts.host, port: opts.port, ca: [opts.ca], servername: 'localhost' })
      : tcpConnect({ host: opts.host, port: opts.port })
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve())
      socket.once('error', reject)
    })
    const client = new Pop3LineClient(socket, opts)
    return { client, greeting: client.parse(await client.readLine()) }
  }

  get encrypted(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      this.buffer += chunk
      let i: number
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, i)
        this.buffer = this.buffer.slice(i + 2)
        const waiter = this.waiters.shift()
        if (waiter) waiter.resolve(line)
        else this.lines.push(line)
      }
    })
    const fail = (e: Error): void => {
      this.closed ??= e
      for (const w of this.waiters.splice(0)) w.reject(this.closed)
    }
    socket.on('close', () => fail(new Error('POP3 connection closed')))
    socket.on('error', fail)
  }

  private readLine(): Promise<string> {
    const queued = this.lines.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    if (this.closed) return Promise.reject(this.closed)
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (line: string) => {
          clearTimeout(timer)
          resolve(line)
        },
        reject: (e: Error) => {
          clearTimeout(timer)
          reject(e)
        },
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error('POP3 read timed out'))
      }, this.opts.timeoutMs ?? 10_000)
      this.waiters.push(waiter)
    })
  }

  private parse(line: string): Pop3Reply {
    if (line.startsWith('+OK')) return { ok: true, text: line.slice(4) }
    if (line.startsWith('-ERR')) return { ok: false, text: line.slice(5) }
    throw new Error(`Not a POP3 status line: ${line}`)
  }

  /** Sends one command and reads its status line. */
  async command(cmd: string): Promise<Pop3Reply> {
    this.socket.write(`${cmd}\r\n`)
    return this.parse(await this.readLine())
  }

  /** Sends a command with a multi-line answer; returns the lines with dot-stuffing removed. */
  async multiline(cmd: string): Promise<{ reply: Pop3Reply; lines: string[] }> {
    const reply = await this.command(cmd)
    const lines: string[] = []
    if (!reply.ok) return { reply, lines }
    for (;;) {
      const line = await this.readLine()
      if (line === '.') return { reply, lines }
      lines.push(line.startsWith('..') ? line.slice(1) : line)
    }
  }

  /** RFC 2595 STLS: upgrades this connection to TLS, verifying against the lab CA. */
  async stls(): Promise<Pop3Reply> {
    const reply = await this.command('STLS')
    if (!reply.ok) return reply
    const plain = this.socket
    plain.removeAllListeners('data')
    const secure = tlsConnect({ socket: plain, ca: [this.opts.ca], servername: 'localhost' })
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve())
      secure.once('error', reject)
    })
    this.socket = secure
    this.attach(secure)
    return reply
  }

  async login(user: string, pass: string): Promise<Pop3Reply> {
    const u = await this.command(`USER ${user}`)
    return u.ok ? this.command(`PASS ${pass}`) : u
  }

  /** UIDL as a map message-number → unique id. */
  async uidl(): Promise<Map<number, string>> {
    const { lines } = await this.multiline('UIDL')
    return new Map(lines.map((l) => l.split(' ')).map(([n, id]) => [Number(n), id ?? '']))
  }

  /** LIST as a map message-number → size in octets. */
  async list(): Promise<Map<number, number>> {
    const { lines } = await this.multiline('LIST')
    return new Map(lines.map((l) => l.split(' ')).map(([n, size]) => [Number(n), Number(size)]))
  }

  async retr(n: number): Promise<string> {
    const { reply, lines } = await this.multiline(`RETR ${n}`)
    if (!reply.ok) throw new Error(`RETR ${n}: ${reply.text}`)
    return lines.join('\r\n') + '\r\n'
  }

  async quit(): Promise<void> {
    await this.command('QUIT').catch(() => undefined)
    this.socket.destroy()
  }

  destroy(): void {
    this.socket.destroy()
  }
}
