import { createServer, type Server, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'

/**
 * The lab's real Dovecot POP3, seen through a proxy that makes it a server without UIDL (RFC 1939 §7 makes
 * UIDL optional, and old servers lack it): the proxy drops "UIDL" (and "STLS": it speaks plaintext to the
 * client while it talks POP3S to Dovecot) from the CAPA answer and answers any UIDL command itself with
 * -ERR. Every other byte passes through unchanged, so RETR/TOP/DELE/QUIT are Dovecot's own.
 *
 * The proxy reads commands one at a time, so it also drops "PIPELINING" from CAPA (RFC 2449 §6.6: a client
 * pipelines only when announced); a client that pipelines anyway gets a clear error.
 */
export interface Pop3WithoutUidl {
  readonly port: number
  /** UIDL commands the client sent (each answered -ERR). */
  readonly uidlAttempts: number
  close(): Promise<void>
}

export interface Pop3WithoutUidlOptions {
  /** Dovecot's POP3S port. */
  targetPort: number
  /** The lab CA, to verify Dovecot's certificate (issued to "localhost"). */
  ca: string
}

const HIDDEN_CAPABILITIES = /^(UIDL|STLS|PIPELINING)\s*$/i

export async function startPop3WithoutUidl(opts: Pop3WithoutUidlOptions): Promise<Pop3WithoutUidl> {
  let uidlAttempts = 0
  const sockets = new Set<Socket>()

  const server: Server = createServer((client) => {
    sockets.add(client)
    const upstream: TLSSocket = tlsConnect({
      host: '127.0.0.1',
      port: opts.targetPort,
      ca: opts.ca,
      servername: 'localhost',
    })
    sockets.add(upstream)
    const closeBoth = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', closeBoth)
    upstream.on('error', closeBoth)
    client.on('close', closeBoth)
    upstream.on('close', closeBoth)

    // While a CAPA answer is on its way, Dovecot's bytes are held until its final "." line and filtered.
    let capaPending = false
    let capaBuffer = ''
    upstream.on('data', (chunk: Buffer) => {
      if (!capaPending) {
        client.write(chunk)
        return
      }
      capaBuffer += chunk.toString('latin1')
      const lines = capaBuffer.split('\r\n')
      const complete = lines[0]?.startsWith('-ERR') ? lines.length > 1 : lines.includes('.')
      if (!complete) return
      const kept = lines.filter((line, i) => i === 0 || !HIDDEN_CAPABILITIES.test(line))
      client.write(Buffer.from(kept.join('\r\n'), 'latin1'))
      capaPending = false
      capaBuffer = ''
    })

    let commands = ''
    client.on('data', (chunk: Buffer) => {
      commands += chunk.toString('latin1')
      let end: number
      while ((end = commands.indexOf('\r\n')) >= 0) {
        const line = commands.slice(0, end + 2)
        commands = commands.slice(end + 2)
        if (commands.length > 0) {
          client.write('-ERR this test server does not accept pipelined commands\r\n')
          closeBoth()
          return
        }
        const verb = line.trim().split(' ')[0]?.toUpperCase()
        if (verb === 'UIDL') {
          uidlAttempts++
          client.write('-ERR UIDL is not supported by this server\r\n')
          continue
        }
        if (verb === 'CAPA') capaPending = true
        upstream.write(Buffer.from(line, 'latin1'))
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port')

  return {
    port: address.port,
    get uidlAttempts() {
      return uidlAttempts
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
