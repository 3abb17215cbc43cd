import type { MailDb } from '../../store/mail-db'
import { indexWordsBatch } from '../../store/search-index'

/**
 * Fills the word index in the background, off the sync's hot path: a run indexes batch after batch until it
 * has caught up, and steps aside while `busy()` says a sync pass is writing (the engine kicks it again when
 * the pass is over). Search stays exact meanwhile: it scans what is not indexed yet.
 */
export class SearchIndexer {
  private running: Promise<void> | undefined
  private again = false
  private stopped = false

  constructor(
    private readonly db: MailDb,
    private readonly busy: () => boolean,
  ) {}

  /** Starts a run, or asks the running one to look again before it ends. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.run()
      .catch((error: unknown) => {
        if (!this.stopped) console.error('indexing search words failed; it is tried again later', error)
      })
      .finally(() => {
        this.running = undefined
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  /** No new batch starts; resolves when the one being written (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.running
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.busy()) {
      if ((await indexWordsBatch(this.db)) === 0) return
    }
  }
}
