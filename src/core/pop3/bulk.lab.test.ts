import { createHash } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { openPop3Session } from './open-session'
import { labConfig, sha256, testMessage, useLab } from './test-support/pop3-lab'

// Full garbage collection on demand, to measure retained memory rather than garbage not yet collected.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

// A private lab with its own user: 25 MB and 1000 messages would otherwise sit in a shared mailbox.
const lab = useLab({ users: [{ name: 'bulk' }] })

/** ~`bytes` of varied body lines, some starting with dots, so dot-stuffing happens throughout. */
function bigBody(bytes: number): string {
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const line =
      i % 50 === 0 ? `.dotted line ${i}` : i % 97 === 0 ? '.' : `line ${i} ${'abcdefghij'.repeat(i % 9)}`
    lines.push(line)
    size += line.length + 2
  }
  return `${lines.join('\r\n')}\r\n`
}

describe('large and many messages (private lab Dovecot)', () => {
  it('a 25 MB message arrives intact, streamed with bounded memory and as one Buffer', async () => {
    const raw = testMessage('25mb', bigBody(25 << 20))
    await lab().loadMaildir('bulk', 'INBOX', [raw])
    const s = await openPop3Session(labConfig(lab(), 'bulk'))
    const [entry] = await s.uidl()
    expect((await s.listOne(entry!.n)).size).toBe(raw.length)

    // A consumer slower than loopback TLS (one timer tick per chunk): without backpressure the unread
    // chunks would pile up to most of the message. Full GCs before sampling measure what is really held.
    const hash = createHash('sha256')
    gc()
    const baseline = process.memoryUsage().arrayBuffers
    let peak = 0
    let chunks = 0
    let size = 0
    let started = performance.now()
    for await (const chunk of s.retrStream(entry!.n)) {
      hash.update(chunk)
      size += chunk.length
      if (++chunks % 200 === 0) {
        gc()
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline)
      }
      await new Promise((r) => setTimeout(r, 0))
    }
    const streamMs = performance.now() - started
    expect(size).toBe(raw.length)
    expect(hash.digest('hex')).toBe(sha256(raw))
    expect(chunks).toBeGreaterThan(200)
    // Bounded by the stream's 1 MiB high-water mark plus socket buffers, far below the 25 MB message.
    expect(peak).toBeLessThan(8 << 20)

    started = performance.now()
    const whole = await s.retr(entry!.n)
    const bufferMs = performance.now() - started
    expect(whole.length).toBe(raw.length)
    expect(sha256(whole)).toBe(sha256(raw))
    await s.quit()
    console.log(
      `[pop3 bench] 25 MB RETR over TLS: slow-consumer stream ${streamMs.toFixed(0)} ms (peak +${(peak / 2 ** 20).toFixed(1)} MiB ` +
        `arrayBuffers, ${chunks} chunks), Buffer ${bufferMs.toFixed(0)} ms`,
    )
  })

  it('1000 RETRs in one session return every message exactly', async () => {
    const raws = Array.from({ length: 1000 }, (_, i) =>
      testMessage(`many-${i}`, bigBody(2000 + (i % 7) * 1000)),
    )
    await lab().loadMaildir('bulk', 'INBOX', raws)
    const s = await openPop3Session(labConfig(lab(), 'bulk'))
    const ids = await s.uidl()
    expect(ids).toHaveLength(1001)
    const byHash = new Set(raws.map(sha256))
    const started = performance.now()
    let matched = 0
    let bytes = 0
    for (const { n } of ids) {
      const msg = await s.retr(n)
      bytes += msg.length
      if (byHash.has(sha256(msg))) matched++
    }
    const ms = performance.now() - started
    expect(matched).toBe(1000)
    await s.quit()
    console.log(
      `[pop3 bench] 1000 RETRs (+1 of 25 MB) over TLS: ${ms.toFixed(0)} ms, ${(bytes / 2 ** 20).toFixed(1)} MiB`,
    )
  })
})
