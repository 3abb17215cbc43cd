import type { MailStore } from '../mail-db'
import { BodyStore, type AppendedBodies } from './body-store'

/**
 * For tests: the real body store, with something happening after a batch's bytes were appended and flushed
 * and before the transaction that points rows at them (a user's delete, say).
 */
export class BodyStoreWithGap extends BodyStore {
  constructor(
    store: MailStore,
    private readonly inGap: (raws: readonly Uint8Array[]) => Promise<void>,
  ) {
    super(store.durable)
  }

  override async append(accountId: string, raws: readonly Uint8Array[]): Promise<AppendedBodies> {
    const appended = await super.append(accountId, raws)
    await this.inGap(raws)
    return appended
  }
}
