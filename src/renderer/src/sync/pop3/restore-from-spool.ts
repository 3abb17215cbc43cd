/**
 * Core keeps a durable copy of every message it DELEs (src/core/pop3/NO-LOSS.md) until this store has
 * confirmed holding it. At the start of each check core names the copies this store has not confirmed; the
 * ones missing from the ledger (the store was reset, replaced or rolled back) are restored from core's
 * copy into the local Inbox, committed durably, and only then is everything confirmed.
 */
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { CoreApi } from '../engine/core-api'
import type { DownloadedMessage } from './store-downloaded'
import { ledgerRows } from '../../store/pop3-ledger'

export type StoreStanding = 'known' | 'reset' | 'unknown'

export interface RestoreOutcome {
  standing: StoreStanding
  restored: number
}

/** Copies per `pop3.spooled` call: bounds memory like a download batch. */
const RESTORE_BATCH = 100

export async function restoreFromSpool(
  store: MailStore,
  core: CoreApi,
  accountId: string,
  sessionId: string,
  unconfirmed: readonly string[],
  /**
   * Commits like a download (bytes + row + ledger row, strict durability); returns the ids of copies that
   * arrived damaged and were not stored.
   */
  commit: (batch: DownloadedMessage[]) => Promise<readonly string[]>,
  standing: StoreStanding,
  signal?: AbortSignal,
): Promise<RestoreOutcome> {
  if (unconfirmed.length === 0 && standing !== 'reset') return { standing, restored: 0 }
  const rows = await ledgerRows(store.durable, accountId, unconfirmed)
  const missing = unconfirmed.filter((_, i) => rows[i] === undefined)
  let restored = 0
  const notStored = new Set<string>()
  for (let at = 0; at < missing.length; at += RESTORE_BATCH) {
    const ids = missing.slice(at, at + RESTORE_BATCH)
    const received: DownloadedMessage[] = []
    let parts: Uint8Array[] = []
    let current = ''
    await core.call(
      'pop3.spooled',
      { sessionId, ids },
      {
        ...(signal ? { signal } : {}),
        onChunk: (chunk) => {
          if (chunk.id !== current) {
            parts = []
            current = chunk.id
          }
          parts.push(chunk.bytes)
          if (!chunk.end) return
          const size = parts.reduce((sum, p) => sum + p.byteLength, 0)
          if (chunk.size !== size) {
            throw new MailError(
              'INTERNAL',
              'A saved copy of a message arrived incomplete. It will be tried again.',
            )
          }
          const raw = new Uint8Array(size)
          let o = 0
          for (const p of parts) {
            raw.set(p, o)
            o += p.byteLength
          }
          received.push({ id: chunk.id, raw, size, sha256: chunk.sha256 ?? null, full: true })
          parts = []
          current = ''
        },
      },
    )
    const damaged = await commit(received)
    for (const id of damaged) notStored.add(id)
    restored += received.length - damaged.length
  }
  // Everything else named is in the ledger now (restored above, or it was there): durably, so confirm it.
  // A copy that arrived damaged stays unconfirmed: core keeps it, and the next check restores it again.
  const { standing: after } = await core.call('pop3.confirm', {
    sessionId,
    ids: unconfirmed.filter((id) => !notStored.has(id)),
  })
  return { standing: after, restored }
}
