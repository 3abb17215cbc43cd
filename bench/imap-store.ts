// The product's IMAP sync through its real path: core (the web host process) → RPC over WebSocket → the sync
// worker in Chromium → IndexedDB on disk. Each timed section starts when the account is added (or Send/Receive
// is pressed) and ends when the account's sync status says the pass is over. Peak memory of the core and of
// Chromium is printed beside the times (see bench/support/memory.ts). Chromium is driven over a bare DevTools
// connection, not Playwright, whose Network domain would copy every RPC frame (bench/support/quiet-browser.ts).

import { MAIL_DB_NAME } from '../src/renderer/src/store/mail-db'
import { folderId } from '../src/renderer/src/store/rows'
import type { BodyPolicy } from '../src/shared/model/account'
import { coldHeaderLoopSameFields, imapHeaders, rawHeaderLoopSameFields } from './imap-raw'
import { assertCount, type Bench, type BenchContext, type OursResult } from './lib/context'
import { type Extra, log, median, round2, round3 } from './lib/result'
import { mbsyncBenches } from './mbsync'
import { startMemorySampler } from './support/memory'
import {
  addLabImapAccount,
  countFolderRows,
  countInStore,
  countStoredBodies,
  openQuietWebStore,
  waitQuiet,
  watchPass,
  type QuietWebStore,
} from './support/web-store'

/** Rows the newest-first header sync must have stored for the list to show a screenful. */
const FIRST_SCREEN = 50

const passTimeoutMs = (n: number): number => 60_000 + n * 40
const list3 = (xs: readonly number[]): string => xs.map((x) => x.toFixed(3)).join(' ')

/** Send/Receive presses, and mbsync runs, per no-change resync bench; the median is the figure. */
const RESYNC_ROUNDS = 5

interface SyncedStore {
  store: QuietWebStore
  accountId: string
  /** When the initial pass ended (the account's lastSuccessAt). */
  doneAt: number
}

/** Adds the lab user's account to a fresh app and times its first pass; the store stays open. */
async function initialSync(
  ctx: BenchContext,
  dir: string,
  bodyPolicy: BodyPolicy,
  signal: AbortSignal,
): Promise<SyncedStore & { seconds: number; first50: number | null; memory: Extra; background: Extra }> {
  const store = await openQuietWebStore(dir)
  const onAbort = (): void => void store.close()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    const sampler = await startMemorySampler(store.page, store.host.child.pid!)
    const t0 = Date.now()
    const accountId = await addLabImapAccount(store.rpc, ctx.lab, ctx.user.name, bodyPolicy)
    const times = await watchPass(store.page, {
      accountId,
      since: t0,
      firstN: FIRST_SCREEN,
      timeoutMs: passTimeoutMs(ctx.n),
    })
    const background = await waitBackground(store, ctx.n, t0, passTimeoutMs(ctx.n))
    // Peak memory over the pass and the work after it.
    const memory = await sampler.stop()
    return {
      store,
      accountId,
      doneAt: times.doneAt,
      seconds: (times.doneAt - t0) / 1000,
      first50: times.firstAt === null ? null : round3((times.firstAt - t0) / 1000),
      memory,
      background,
    }
  } catch (e) {
    await store.close()
    throw e
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/**
 * The work the engine does after a pass (idle-work.ts): every INBOX row's snippet fetched into `snippets`,
 * and every row's search words indexed. Seconds since the account was added until each was complete.
 */
async function waitBackground(
  store: QuietWebStore,
  n: number,
  t0: number,
  timeoutMs: number,
): Promise<Extra> {
  const out: Extra = { snippets_done_s: null, words_indexed_s: null }
  const deadline = Date.now() + timeoutMs
  const tables: [string, string][] = [
    ['snippets', 'snippets_done_s'],
    ['messageWords', 'words_indexed_s'],
  ]
  // An older build (bench/ab-builds.ts) has neither table: nothing to wait for.
  const names = (await store.page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(${JSON.stringify(MAIL_DB_NAME)}); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    try { return [...db.objectStoreNames] } finally { db.close() }
  })()`)) as string[]
  const waiting = tables.filter(([table]) => names.includes(table))
  while (Date.now() < deadline && waiting.some(([, field]) => out[field] === null)) {
    for (const [table, field] of waiting) {
      if (out[field] === null && (await countInStore(store.page, table)) >= n)
        out[field] = round3((Date.now() - t0) / 1000)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return out
}

async function countInbox(s: SyncedStore): Promise<number> {
  return countFolderRows(s.store.page, folderId(s.accountId, 'INBOX'))
}

/** Header sync, full offline sync, and a no-change resync of the last; each against its reference. */
export function imapStoreBenches(): Bench[] {
  // Our own mbsync pair, in its own scratch dir: the imap-full-mbsync bench leaves a synced Maildir behind.
  const [mbsyncFull, mbsyncResync] = mbsyncBenches()
  const mbsyncCtx = (ctx: BenchContext): BenchContext => ({
    ...ctx,
    scratch: (name) => ctx.scratch(`imap-store-${name}`),
  })
  let mbsyncDone = false
  /** imap-store-resync's mbsync runs: the first after the full sync, then the steady ones. */
  let mbsyncResyncs: { first: number; steady: number[] } | undefined
  let synced: SyncedStore | undefined

  const closeSynced = async (): Promise<void> => {
    await synced?.store.close()
    synced = undefined
  }

  const fullSync = async (ctx: BenchContext, signal: AbortSignal): Promise<OursResult> => {
    await closeSynced()
    const r = await initialSync(ctx, await ctx.scratch('imap-store-full'), { kind: 'all' }, signal)
    synced = r
    assertCount('imap-store-full rows', await countInbox(r), ctx.n)
    assertCount('imap-store-full bodies', await countStoredBodies(r.store.page), ctx.n)
    return { seconds: r.seconds, extra: { first50_s: r.first50, ...r.background, ...r.memory } }
  }

  return [
    {
      name: 'imap-store-headers',
      ref: 'imapflow-raw',
      reference: imapHeaders.reference,
      ours: async (ctx, signal) => {
        // The reference above fetches fewer items than the product needs (no References / List-Id): the
        // same loop over the product's own FETCH items is timed beside it, in the same run.
        const sameFields = await rawHeaderLoopSameFields(ctx, signal)
        // The product's core is a fresh process, JIT-cold for its first pass: the loop run cold is printed
        // beside (not instead of) the references above.
        const coldSameFields = await coldHeaderLoopSameFields(ctx, signal)
        const r = await initialSync(ctx, await ctx.scratch('imap-store-headers'), { kind: 'on-open' }, signal)
        try {
          assertCount('imap-store-headers', await countInbox(r), ctx.n)
        } finally {
          await r.store.close()
        }
        return {
          seconds: r.seconds,
          extra: {
            first50_s: r.first50,
            ref_same_fields_s: round3(sameFields),
            ratio_same_fields: round2(r.seconds / sameFields),
            ref_same_fields_cold_s: round3(coldSameFields),
            ratio_same_fields_cold: round2(r.seconds / coldSameFields),
            ...r.background,
            ...r.memory,
          },
        }
      },
    },
    {
      name: 'imap-store-full',
      ref: 'mbsync',
      reference: async (ctx, signal) => {
        const s = await mbsyncFull!.reference(mbsyncCtx(ctx), signal)
        mbsyncDone = true
        return s
      },
      ours: fullSync,
      cleanup: closeSynced,
    },
    {
      name: 'imap-store-resync',
      ref: 'mbsync',
      reference: async (ctx, signal) => {
        if (!mbsyncDone) {
          log('imap-store-resync: mbsync full sync first (not timed)')
          await mbsyncFull!.reference(mbsyncCtx(ctx), signal)
          mbsyncDone = true
        }
        // mbsync's first run after its full sync takes ~1.1 s at 10k, every later one ~0.08 s: the steady
        // ones are the fair reference (what a user's next check costs), so the first is only reported.
        const run = (): Promise<number> => mbsyncResync!.reference(mbsyncCtx(ctx), signal)
        const first = await run()
        const steady: number[] = []
        for (let i = 0; i < RESYNC_ROUNDS; i++) steady.push(await run())
        mbsyncResyncs = { first, steady }
        return median(steady)
      },
      ours: async (ctx, signal) => {
        if (!synced) {
          log('imap-store-resync: full offline sync first (not timed)')
          await fullSync(ctx, signal)
        }
        const s = synced!
        try {
          const { page } = s.store
          // Starting IDLE during the first pass queues one more pass; the resync starts once that is over.
          const quietAt = await waitQuiet(page, s.accountId, 1_500, passTimeoutMs(ctx.n))
          const followUp = round3((quietAt - s.doneAt) / 1000)
          const sampler = await startMemorySampler(page, s.store.host.child.pid!)
          const resync = async (): Promise<number> => {
            const t0 = Date.now()
            await page.press('F9', 120) // Send/Receive, as a user asks for it
            const times = await watchPass(page, { accountId: s.accountId, since: t0, timeoutMs: 60_000 })
            return (times.doneAt - t0) / 1000
          }
          const passes: number[] = []
          for (let i = 0; i < RESYNC_ROUNDS; i++) {
            // A moment between presses, as between a user's: the window settles after each pass.
            if (i > 0) await new Promise((r) => setTimeout(r, 300))
            passes.push(await resync())
          }
          const memory = await sampler.stop()
          assertCount('imap-store-resync', await countInbox(s), ctx.n)
          return {
            seconds: median(passes),
            extra: {
              send_receive_s: list3(passes),
              resync2_s: round3(passes[1]!),
              ...(mbsyncResyncs
                ? {
                    ref_runs_s: list3(mbsyncResyncs.steady),
                    ref_first_resync_s: round3(mbsyncResyncs.first),
                  }
                : {}),
              followup_pass_s: followUp,
              ...memory,
            },
          }
        } finally {
          await s.store.close()
          synced = undefined
        }
      },
      cleanup: closeSynced,
    },
  ]
}
