/**
 * A scripted POP3 server on 127.0.0.1 for the few behaviours the real lab Dovecot cannot show: a server
 * without STLS (Dovecot always offers it), APOP (off in the lab), injected bytes after STLS, odd -ERR
 * texts. It records every line it received so tests can prove what the client did NOT send.
 */
import { createServer, type Server, type Socket } from 'node:net'

/** Answers one client line; return the raw reply (with CRLFs) or undefined to send nothing. */
export type FakeReply = (line: string, socket: Socket) => string | undefined

export interface FakePop3Server {
  readonly port: number
  /** Every command line received, in order, across connections. */
  readonly received: string[]
  /** Connections accepted so far. */
  readonly connections: number
  close(): Promise<void>
}

/** Starts the server; `greeting` is sent on connect, then each line goes to `reply`. */
export async function startFakePop3Server(greeting: string, reply: FakeReply): Promise<FakePop3Server> {
  const received: string[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.write(greeting)
    let pending = ''
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1')
      let nl: number
      while ((nl = pending.indexOf('\r\n')) !== -1) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 2)
        received.push(line)
        const answer = reply(line, socket)
        if (answer !== undefined && !socket.destroyed) socket.write(answer)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fake server has no port')
  return {
    port: address.port,
    received,
    get connections() {
      return connections
    },
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy())
        server.close(() => resolve())
      }),
  }
}

/** A reply function for a tiny maildrop: CAPA without STLS, USER/PASS, STAT, RETR n, QUIT. */
export function basicReplies(capa: readonly string[], messages: readonly string[]): FakeReply {
  return (line, socket) => {
    const [verb, arg] = line.split(' ')
    switch (verb?.toUpperCase()) {
      case 'CAPA':
        return `+OK\r\n${capa.map((c) => `${c}\r\n`).join('')}.\r\n`
      case 'USER':
      case 'PASS':
      case 'APOP':
        return '+OK\r\n'
      case 'STAT':
        return `+OK ${messages.length} ${messages.reduce((n, m) => n + m.length, 0)}\r\n`
      case 'RETR': {
        const m = messages[Number(arg) - 1]
        return m === undefined ? '-ERR no such message\r\n' : `+OK\r\n${m}.\r\n`
      }
      case 'QUIT':
        socket.end('+OK bye\r\n')
        return undefined
      default:
        return '-ERR unknown command\r\n'
    }
  }
}
