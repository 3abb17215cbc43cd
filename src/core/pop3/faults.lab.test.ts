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

  it('a cut mid-pipeline is NETWORK: the messages completed before it are exact, the one in progress never completes', async () => {
    const cfg = await viaProxy({ connectMs: 5000, idleMs: 10_000 })
    const raws = Array.from({ length: 20 }, (_, i) =>
      testMessage(
        `cut-pipe-${i}`,
        `.dotted ${i}\r\n${'filler line of the pipelined batch\r\n'.repeat(3000)}`,
      ),
    )
    const s0 = await openPop3Session(labConfig(lab(), USER))
    const before = await uidSet(s0)
    await s0.quit()
    await lab().loadMaildir(USER, 'INBOX', raws)
    const s = await openPop3Session(cfg)
    expect(s.pipelining).toBe(true)
    const fresh = (await s.uidl()).filter((e) => !before.has(e.uid)).sort((a, b) => a.n - b.n)
    expect(fresh).toHaveLength(raws.length)
    proxy!.setBandwidth(2 << 20)
    const complete: Buffer[] = []
    let partial = 0
    const streamed = (async () => {
      for await (const { body } of s.retrMany(fresh.map((e) => e.n))) {
        const chunks: Buffer[] = []
        partial = 0
        for await (const chunk of body) {
          chunks.push(chunk)
          partial += chunk.length
          if (complete.length === 5 && chunks.length === 2) proxy!.cutAll()
        }
        complete.push(Buffer.concat(chunks))
      }
    })()
    const e = await failure(streamed)
    expect(e.code).toBe('NETWORK')
    expect(complete).toHaveLength(5)
    expect(complete.map((b, i) => b.equals(raws[i]!))).toEqual([true, true, true, true, true])
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(raws[5]!.length)
    expect(s.broken?.code).toBe('NETWORK')
    proxy!.setBandwidth(0)
    // Nothing changed on the server: every message is still there, whole.
    const s2 = await openPop3Session(labConfig(lab(), USER))
    const again = (await s2.uidl()).filter((x) => !before.has(x.uid)).sort((a, b) => a.n - b.n)
    expect(again.map((x) => x.uid)).toEqual(fresh.map((x) => x.uid))
    expect((await s2.retr(again[5]!.n)).equals(raws[5]!)).toBe(true)
    await s2.deleMany(again.map((x) => x.n))
    await s2.quit()
  })

  it('a server that goes silent mid-pipeline gives TIMEOUT, not a short batch', async () => {
    const cfg = await viaProxy({ connectMs: 5000, idleMs: 800 })
    const raws = Array.from({ length: 6 }, (_, i) =>
      testMessage(`stall-pipe-${i}`, 'some body text\r\n'.repeat(20_000)),
    )
    const s0 = await openPop3Session(labConfig(lab(), USER))
    const before = await uidSet(s0)
    await s0.quit()
    await lab().loadMaildir(USER, 'INBOX', raws)
    const s = await openPop3Session(cfg)
    const fresh = (await s.uidl()).filter((e) => !before.has(e.uid)).sort((a, b) => a.n - b.n)
    let whole = 0
    const streamed = (async () => {
      for await (const { body } of s.retrMany(fresh.map((e) => e.n))) {
        for await (const _chunk of body) if (whole === 2) proxy!.stall()
        whole++
      }
    })()
    const e = await failure(streamed)
    expect(e.code).toBe('TIMEOUT')
    expect(whole).toBeLessThan(raws.length)
    proxy!.resume()
    const cleanup = await openPop3Session(labConfig(lab(), USER))
    const ids = (await cleanup.uidl()).filter((x) => !before.has(x.uid))
    expect(ids).toHaveLength(raws.length)
    await cleanup.deleMany(ids.map((x) => x.n))
    await cleanup.quit()
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
