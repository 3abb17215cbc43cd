// mbsync (isync) pulling the INBOX over IMAPS into a Maildir, then a resync with nothing new: the
// reference a full offline sync and a "check for changes" pass are compared with.

import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assertCount, referencePair, type Bench, type BenchContext } from './lib/context'
import { runProcess } from './lib/run-process'

async function mbsyncSetup(ctx: BenchContext): Promise<{ rc: string; maildir: string }> {
  const dir = await ctx.scratch('mbsync')
  const maildir = join(dir, 'INBOX')
  const rc = join(dir, 'mbsyncrc')
  // mbsync 1.4 checks the cert name against Host, and the lab cert is issued to "localhost".
  // Sections must be separated by blank lines.
  const config = [
    'IMAPAccount lab',
    'Host localhost',
    `Port ${ctx.lab.ports.imaps}`,
    `User ${ctx.user.name}`,
    `Pass "${ctx.user.password}"`,
    'SSLType IMAPS',
    `CertificateFile ${ctx.caFile}`,
    '',
    'IMAPStore lab-remote',
    'Account lab',
    '',
    'MaildirStore lab-local',
    `Inbox ${maildir}`,
    '',
    'Channel lab',
    'Far :lab-remote:INBOX',
    'Near :lab-local:INBOX',
    'Create Near',
    'Sync Pull',
    'SyncState *',
    '',
  ].join('\n')
  await writeFile(rc, config, { mode: 0o600 })
  return { rc, maildir }
}

async function countFiles(maildir: string): Promise<number> {
  const [cur, fresh] = await Promise.all([readdir(join(maildir, 'cur')), readdir(join(maildir, 'new'))])
  return cur.length + fresh.length
}

/** The initial sync and the no-change resync; the second reuses the first one's Maildir and state. */
export function mbsyncBenches(): Bench[] {
  const sync = async (
    { rc, maildir }: { rc: string; maildir: string },
    ctx: BenchContext,
    signal: AbortSignal,
  ): Promise<number> => {
    const r = await runProcess('mbsync', ['-c', rc, '-q', 'lab'], { signal })
    assertCount('mbsync', await countFiles(maildir), ctx.n)
    return r.seconds
  }
  return referencePair(
    'mbsync',
    mbsyncSetup,
    { name: 'imap-full-mbsync', run: sync },
    { name: 'imap-resync-mbsync', run: sync },
  )
}
