import { afterEach, describe, expect, it } from 'vitest'
import { createTcpProxy, type TcpProxy } from '../../lab/lab'
import { openPop3Session, type Pop3Session } from './open-session'
import { failure, labConfig, testMessage, uidSet, useLab } from './test-support/pop3-lab'
import type { Pop3Config } from './types'

const lab = useLab()
const USER = 'dave'
let proxy: TcpProxy | undefined

afterEach(async () => {
  await proxy?.close()
  proxy = undefined
})

/** A POP3S config that goes through a fresh proxy in front of the lab. */
async function viaProxy(timeouts: Pop3Config['timeouts']): Promise<Pop3Config> {
  proxy = await createTcpProxy({ targetPort: lab().ports.pop3s })
  return { ...labConfig(lab(), USER), port: proxy.port, timeouts }
}

/** Loads one big message and returns its message number in a new session (plus the session). */
async function bigMessage(
  cfg: Pop3Config,
  megabytes: number,
): Promise<{ s: Pop3Session; n: number; raw: Buffer }> {
  const raw = testMessage(
    'big',
    'A line of body text that repeats to make a large message.....\r\n'.repeat(megabytes * 16_384),
  )
  const s0 = await openPop3Session(labConfig(lab(), USER))
  const before = await uidSet(s0)
  await s0.quit()
  await lab().loadMaildir(USER, 'INBOX', [raw])
  const s = await openPop3Session(cfg)
  const entry = (await s.uidl()).find((e) => !before.has(e.uid))
  if (!entry) throw new Error('loaded message not listed')
  return { s, n: entry.n, raw }
}

describe('POP3 under network faults (lab Dovecot behind a TCP proxy)', () => {
  it('a server that goes silent mid-session gives TIMEOUT after the idle timeout, and the socket is dropped', async () => {
    const cfg = await viaProxy({ connectMs: 5000, idleMs: 800 })
    const s = await openPop3Session(cfg)
    proxy!.stall()
    const started = Date.now()
    const e = await failure(s.uidl())
    const elapsed = Date.now() - started
    expect(e.code).toBe('TIMEOUT')
    expect(elapsed).toBeGreaterThanOrEqual(750)
    expect(elapsed).toBeLessThan(2500)
    expect((await failure(s.noop())).code).toBe('TIMEOUT')
    // The client destroyed its socket: once the link flows again the proxy sees that connection gone.
    proxy!.resume()
    await new Promise((r) => setTimeout(r, 200))
    expect(proxy!.connections).toBe(0)
  })

  it('a server that never greets gives TIMEOUT after the connect timeout', async () => {
    const cfg = await viaProxy({ connectMs: 700, idleMs: 30_000 })
    proxy!.stall()
    const started = Date.now()
    const e = await failure(openPop3Session(cfg))
    expect(e.code).toBe('TIMEOUT')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('a connection cut mid-RETR is NETWORK; no partial message is returned; the server keeps it', async () => {
    const cfg = await viaProxy({ connectMs: 5000, idleMs: 10_000 })
    const { s, n, raw } = await bigMessage(cfg, 8)
    proxy!.setBandwidth(4 << 20)
    const received: number[] = []
    const streamed = (async () => {
      for await (const chunk of s.retrStream(n)) {
        received.push(chunk.length)
        if (received.length === 3) proxy!.cutAll()
      }
    })()
    const e = await failure(streamed)
    expect(e.code).toBe('NETWORK')
    const got = received.reduce((a, b) => a + b, 0)
    expect(got).toBeGreaterThan(0)
    expect(got).toBeLessThan(raw.length)
    // The Buffer variant fails the same way instead of resolving with a short message.
    const s2 = await openPop3Session(cfg)
    const whole = s2.retr(n)
    setTimeout(() => proxy!.cutAll(), 300)
    expect((await failure(whole)).code).toBe('NETWORK')
    proxy!.setBandwidth(0)
    const s3 = await openPop3Session(labConfig(lab(), USER))
    expect((await s3.retr(n)).equals(raw)).toBe(true)
    await s3.dele(n)
    await s3.quit()
  })

  it('aborting a RETR stream cancels it and drops the connection', async () => {
    const cfg = await viaProxy({ connectMs: 5000, idleMs: 10_000 })
    const { s, n } = await bigMessage(cfg, 4)
    proxy!.setBandwidth(2 << 20)
    const controller = new AbortController()
    let chunks = 0
    const streamed = (async () => {
      for await (const _chunk of s.retrStream(n, controller.signal)) {
        if (++chunks === 2) controller.abort()
      }
    })()
    const e = await failure(streamed)
    expect(e.code).toBe('CANCELLED')
    expect(s.broken?.code).toBe('CANCELLED')
    proxy!.setBandwidth(0)
    const cleanup = await openPop3Session(labConfig(lab(), USER))
    await cleanup.dele(n)
    await cleanup.quit()
  })

  it('a session cut by the server (doveadm kick) fails the next command with NETWORK', async () => {
    const s = await openPop3Session(labConfig(lab(), USER))
    expect(await lab().kickUser(USER)).toBe(true)
    await new Promise((r) => setTimeout(r, 200))
    const e = await failure(s.stat())
    expect(e.code).toBe('NETWORK')
  })
})
