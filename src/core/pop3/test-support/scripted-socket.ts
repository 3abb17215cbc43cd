/**
 * A stand-in for the TCP/TLS socket under Pop3Connection, for unit tests that must decide exactly how the
 * server's bytes are split into 'data' events (a real loopback socket coalesces them as it likes). It
 * records every line the client wrote and whether the client paused, corked or destroyed it.
 */
import { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import { Pop3Connection } from '../pop3-connection'

export class ScriptedSocket extends EventEmitter {
  /** Every command line the client wrote, without CRLF, in order. */
  readonly lines: string[] = []
  paused = false
  destroyed = false
  pauses = 0
  private partial = ''
  private held: Buffer[] = []

  write(data: string | Buffer): boolean {
    this.partial += typeof data === 'string' ? data : data.toString('latin1')
    let nl: number
    while ((nl = this.partial.indexOf('\r\n')) !== -1) {
      this.lines.push(this.partial.slice(0, nl))
      this.partial = this.partial.slice(nl + 2)
    }
    return true
  }

  cork(): void {}
  uncork(): void {}

  pause(): this {
    if (!this.paused) this.pauses++
    this.paused = true
    return this
  }

  resume(): this {
    this.paused = false
    const held = this.held
    this.held = []
    for (const chunk of held) this.feed(chunk)
    return this
  }

  destroy(): this {
    this.destroyed = true
    return this
  }

  /** The server sends `chunk` as one 'data' event (held back while the client has paused reading). */
  feed(chunk: string | Buffer): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk
    if (this.destroyed || buf.length === 0) return
    if (this.paused) this.held.push(buf)
    else this.emit('data', buf)
  }

  /** Bytes sent by the server that the client has not read because it paused the socket. */
  get heldBytes(): number {
    return this.held.reduce((n, b) => n + b.length, 0)
  }

  /** The server (or the network) drops the connection. */
  cut(): void {
    this.emit('close', true)
  }
}

/** A connection past its greeting over a scripted socket. */
export async function scriptedConnection(
  opts: { idleMs?: number; bufferBytes?: number; pipelining?: boolean } = {},
): Promise<{ conn: Pop3Connection; socket: ScriptedSocket }> {
  const socket = new ScriptedSocket()
  const conn = Pop3Connection.over(socket as unknown as Socket, {
    host: 'pop.example',
    port: 995,
    secure: true,
    idleMs: opts.idleMs ?? 5000,
    ...(opts.bufferBytes !== undefined ? { bufferBytes: opts.bufferBytes } : {}),
  })
  const greeting = conn.send(undefined, false)
  socket.feed('+OK ready\r\n')
  await greeting
  if (opts.pipelining !== false) conn.enablePipelining()
  return { conn, socket }
}
