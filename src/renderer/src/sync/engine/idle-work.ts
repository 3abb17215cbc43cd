import type { MailStore } from '../../store/mail-db'
import { sweepOrphanRowsWhenDue } from '../../store/orphan-rows'
import { isStoreFull } from '../../store/store-full'
import { indexWordsTimeBoxed } from '../../store/search-index'
import type { CoreApi } from './core-api'
import { fillSnippets, foldersWithPendingSnippets, snippetsPendingKey } from '../imap/fill-snippets'
import { idleSpan } from './idle-timeline'
import { compactBodyFilesWhenDue } from '../../store/bodies/compact-bodies'
import { epochNow } from './step-timeline'

/**
 * Work that follows the sync passes in the background, off their measured path: a run starts when no pass
 * is running and stops at its next step (its signal aborts) when one starts; the engine kicks it again
 * when the passes are over. Each step is idempotent and remembers its progress in the store, so a run cut
 * short (or a crash) loses nothing but time.
 */
export class IdleWork {
  private running: Promise<void> | undefined
  private controller: AbortController | undefined
  private again = false
  private stopped = false

  constructor(
    private readonly work: (signal: AbortSignal) => Promise<void>,
    private readonly busy: () => boolean,
  ) {}

  /** Starts a run, or asks the running one to look again before it ends. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    const controller = new AbortController()
    this.controller = controller
    this.running = (this.busy() ? Promise.resolve() : this.work(controller.signal))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        // A full store stops the passes too, and the window says so (StoreNoticeBars): nothing more to report.
        if (isStoreFull(error)) console.warn('background work after a sync waits for room in the store')
        else console.error('background work after a sync failed; tried again later', error)
      })
      .finally(() => {
        this.running = undefined
        // A kick while this run was stopping (a pass ended meanwhile) must not be lost.
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  /** A pass starts: the running work stops at its next step. */
  pause(): void {
    this.again = false
    this.controller?.abort()
  }

  /** No new step starts; resolves when the one under way (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true
    this.pause()
    await this.running
  }

  /** Resolves when the current run (if any) has ended: for tests and benches that wait for it. */
  async settled(): Promise<void> {
    while (this.running) await this.running
  }
}

/**
 * What runs after the passes: first the snippets the header passes left out (the list shows them), then
 * the search words of rows not indexed yet (search scans those meanwhile, so it is exact either way), then
 * now and then a sweep of the words and snippets of messages that are gone, once per start a sweep of body
 * files whose account is gone, and now and then the compaction of body files that hold much deleted mail.
 * A folder whose snippets cannot be fetched now (offline, server error) keeps its mark for the next run.
 */
export async function afterSync(store: MailStore, core: CoreApi, signal: AbortSignal): Promise<void> {
  const { fast } = store
  for (const id of await foldersWithPendingSnippets(store)) {
    if (signal.aborted) return
    const folder = await fast.folders.get(id)
    if (!folder) {
      await fast.syncState.delete(snippetsPendingKey(id))
      continue
    }
    await fillSnippets(store, core, folder, signal).catch((error: unknown) => {
      if (!signal.aborted) console.warn(`snippets of ${folder.path} not fetched now; next time`, error)
    })
  }
  // Batches sized by time, not rows: a pass that starts meanwhile waits for the one under way.
  await indexWordsTimeBoxed(fast, signal, (writeMs, rows) => idleSpan('words', epochNow() - writeMs, rows))
  // Last, and only now and then: words and snippets of messages that are gone; body files of accounts
  // that are gone (once per start); the room of deleted mail in the body files.
  if (!signal.aborted) await sweepOrphanRowsWhenDue(fast, signal)
  if (!signal.aborted) await store.bodies.removeLeftoverFilesOnce()
  if (!signal.aborted) await compactBodyFilesWhenDue(store, signal)
}
