// imapflow with no product code around it: the floor for the product's IMAP header and body sync.

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ImapFlow } from 'imapflow'
import { HEADER_QUERY } from '../src/core/imap/header-record'
import { assertCount, type Bench, type BenchContext } from './lib/context'
import { log, timed } from './lib/result'
import { runProcess } from './lib/run-process'

/** Logs in as the bench user, opens INBOX read-only, runs `work`, logs out. */
export async function withInbox(
  ctx: BenchContext,
  signal: AbortSignal,
  work: (client: ImapFlow) => Promise<void>,
): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: ctx.lab.ports.imaps,
    secure: true,
    tls: { ca: ctx.lab.caPem, servername: 'localhost' },
    auth: { user: ctx.user.name, pass: ctx.user.password },
    logger: false,
  })
  // A timed-out bench must not keep fetching in the background.
  const onAbort = (): void => client.close()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    await client.connect()
    await client.mailboxOpen('INBOX', { readOnly: true })
    await work(client)
    await client.logout()
  } finally {
    signal.removeEventListener('abort', onAbort)
    client.close()
  }
}

/**
 * The raw loop over exactly the FETCH items the product's header pass asks for (HEADER_QUERY: the items of
 * `imap-headers` plus BODY.PEEK[HEADER.FIELDS (References List-Id)] for threading and lists), which Dovecot
 * answers by reading each message file unless those fields are cached: the same-fields reference.
 */
export async function rawHeaderLoopSameFields(ctx: BenchContext, signal: AbortSignal): Promise<number> {
  return timed(() =>
    withInbox(ctx, signal, async (client) => {
      let count = 0
      for await (const msg of client.fetch('1:*', HEADER_QUERY)) if (msg.envelope) count++
      assertCount('imap-headers (same fields)', count, ctx.n)
    }),
  )
}

/** The same-fields loop in a fresh Node process (support/cold-header-loop.ts): seconds of the loop alone. */
export async function coldHeaderLoopSameFields(ctx: BenchContext, signal: AbortSignal): Promise<number> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'support/cold-header-loop.ts')
  const tsx = join(dirname(fileURLToPath(import.meta.url)), '../node_modules/.bin/tsx')
  const args = [
    script,
    String(ctx.lab.ports.imaps),
    ctx.caFile,
    ctx.user.name,
    ctx.user.password,
    String(ctx.n),
  ]
  const { stdout } = await runProcess(tsx, args, { signal })
  return Number(stdout.trim())
}

export const imapHeaders: Bench = {
  name: 'imap-headers',
  ref: 'imapflow-raw',
  reference: (ctx, signal) =>
    timed(() =>
      withInbox(ctx, signal, async (client) => {
        let count = 0
        const query = {
          uid: true,
          envelope: true,
          flags: true,
          size: true,
          bodyStructure: true,
          internalDate: true,
        }
        for await (const msg of client.fetch('1:*', query)) {
          if (msg.envelope) count++
        }
        assertCount('imap-headers', count, ctx.n)
      }),
    ),
}

export const imapFull: Bench = {
  name: 'imap-full',
  ref: 'imapflow-raw',
  reference: (ctx, signal) =>
    timed(() =>
      withInbox(ctx, signal, async (client) => {
        let count = 0
        let bytes = 0
        for await (const msg of client.fetch('1:*', { uid: true, source: true })) {
          count++
          bytes += msg.source?.length ?? 0
        }
        assertCount('imap-full', count, ctx.n)
        log(`imap-full: ${(bytes / 1024 / 1024).toFixed(1)} MiB`)
      }),
    ),
}
