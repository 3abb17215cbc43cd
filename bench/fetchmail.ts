// fetchmail over POP3S with keep + uidl: the first run downloads everything, the second finds nothing
// new. Delivery is to a BSMTP file: one sequential write per message and no MDA process per message,
// so the figure is fetchmail's POP3 path rather than fork/exec cost (an --mda per message is ~5x slower).

import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assertCount, referencePair, type Bench, type BenchContext } from './lib/context'
import { runProcess } from './lib/run-process'

interface FetchmailSetup {
  rc: string
  dir: string
  out: string
}

async function fetchmailSetup(ctx: BenchContext): Promise<FetchmailSetup> {
  const dir = await ctx.scratch('fetchmail')
  const rc = join(dir, 'fetchmailrc')
  const out = join(dir, 'mail.bsmtp')
  // `uidl` must come before `user`; the lab cert is issued to localhost, checked against the lab CA.
  const config = [
    'set no syslog',
    `set idfile "${join(dir, 'fetchids')}"`,
    `poll localhost with proto POP3 port ${ctx.lab.ports.pop3s} uidl`,
    `  user "${ctx.user.name}" there with password "${ctx.user.password}" is "${ctx.user.name}" here`,
    `  ssl sslcertfile "${ctx.caFile}" sslcertck`,
    `  keep bsmtp "${out}"`,
    '',
  ].join('\n')
  // fetchmail refuses an rc file others can read.
  await writeFile(rc, config, { mode: 0o600 })
  return { rc, dir, out }
}

async function deliveredCount(file: string): Promise<number> {
  const text = await readFile(file, 'latin1').catch(() => '')
  let count = 0
  for (let i = text.indexOf('MAIL FROM:'); i !== -1; i = text.indexOf('MAIL FROM:', i + 1)) {
    if (i === 0 || text[i - 1] === '\n') count++
  }
  return count
}

export function fetchmailBenches(): Bench[] {
  const run = async (
    { rc, dir, out }: FetchmailSetup,
    ctx: BenchContext,
    signal: AbortSignal,
  ): Promise<number> => {
    // Exit 1 means "no new mail", the expected outcome of the second run.
    const env = { ...process.env, HOME: dir, FETCHMAILHOME: dir }
    const r = await runProcess('fetchmail', ['-f', rc, '--nodetach', '--nosyslog'], {
      signal,
      env,
      okCodes: [1],
    })
    assertCount('fetchmail', await deliveredCount(out), ctx.n)
    return r.seconds
  }
  return referencePair(
    'fetchmail',
    fetchmailSetup,
    { name: 'pop3-fetchmail', run },
    { name: 'pop3-fetchmail-resync', run },
  )
}
