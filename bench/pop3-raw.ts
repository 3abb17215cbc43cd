// pop3-download: log in over POP3S, UIDL, then RETR every message with a window of pipelined commands.

import type { Bench } from './lib/context'
import { assertCount, type BenchContext } from './lib/context'
import { RawPop3 } from './lib/pop3-client'
import { log, timed } from './lib/result'

const WINDOW = 32

/** The loop itself; also run by bench/pop3-core-vs-raw.ts beside the product's core. */
export async function downloadAll(ctx: BenchContext, signal: AbortSignal): Promise<void> {
  const pop = await RawPop3.open(ctx.lab.ports.pop3s, ctx.lab.caPem, signal)
  try {
    await pop.command(`USER ${ctx.user.name}`)
    await pop.command(`PASS ${ctx.user.password}`)
    const stat = await pop.command('STAT')
    const count = Number(stat.status.split(' ')[1])
    assertCount('pop3 STAT', count, ctx.n)
    await pop.command('UIDL', true)
    let bytes = 0
    let next = 1
    const inflight = new Set<Promise<void>>()
    while (next <= count || inflight.size > 0) {
      while (next <= count && inflight.size < WINDOW) {
        const p: Promise<void> = pop.command(`RETR ${next++}`, true).then((r) => {
          bytes += r.bytes
          inflight.delete(p)
        })
        // Handled here so a failure after the loop has stopped waiting is not an unhandled rejection.
        p.catch(() => undefined)
        inflight.add(p)
      }
      await Promise.race(inflight)
    }
    // RSET: a benchmark must not change what the next reader sees (Dovecot marks RETRieved mail \Seen).
    await pop.command('RSET')
    await pop.command('QUIT')
    log(`pop3-download: ${(bytes / 1024 / 1024).toFixed(1)} MiB`)
  } finally {
    pop.close()
  }
}

export const pop3Download: Bench = {
  name: 'pop3-download',
  ref: 'pop3-raw',
  reference: (ctx, signal) => timed(() => downloadAll(ctx, signal)),
}
