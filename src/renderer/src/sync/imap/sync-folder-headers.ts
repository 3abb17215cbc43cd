import { closeThreadCache, readThreadCache } from '../../store/derived-rows'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow } from '../../store/rows'
import type { HeaderRecordWire } from '../../../../shared/model/imap'
import type { CoreApi } from '../engine/core-api'
import type { ServerFolderStatus } from './sync-folder-changes'
import { markSnippetsPending } from './fill-snippets'
import { storeHeaderBatch } from './store-header-batch'
import { deleteMessages, folderMessageIds, messageTables, newestByUid } from '../../store/messages'

/** At most this many rows in one write transaction (a first pass's batches are 1000). */
const MAX_ROWS_PER_WRITE = 2000

export interface FolderSyncResult {
  added: number
  rebuilt: boolean
}

/**
 * Throws away a folder's cached messages when the server's UIDVALIDITY changed (RFC 9051 §2.3.1.1: the
 * old UIDs mean nothing any more). Bodies go too; queued user actions are kept (they are replayed by
 * Message-ID rules in the action queue, not by UID).
 */
export async function dropFolderMessages(store: MailStore, folder: FolderRow): Promise<void> {
  const { fast } = store
  await fast.transaction('rw', [...messageTables(fast), fast.bodies], async () => {
    const ids = await folderMessageIds(fast, folder.id)
    await fast.bodies.bulkDelete(ids)
    await deleteMessages(fast, ids)
  })
}

/**
 * New mail of one folder into the cache, newest first: a folder seen for the first time (or rebuilt) gets
 * every header, newest batch first so the list fills from the top; a known one only what is above the
 * cached UIDNEXT. The folder's sync state moves only after every batch is stored. Rows are written once,
 * without snippets: fetching those with the headers made core's part of the pass 2-3× longer, and filling
 * them into the rows afterwards rewrote every row and its index entries (bench/idb-write-cost.ts). The
 * folder is marked instead, and `fillSnippets` fetches them in the background into their own table.
 */
export async function syncFolderHeaders(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  server: ServerFolderStatus | null,
  signal?: AbortSignal,
): Promise<FolderSyncResult> {
  const known = folder.uidValidity
  const minUid = known !== null && folder.uidNext !== null ? folder.uidNext : undefined
  if (minUid !== undefined && server !== null && server.uidValidity === known && server.uidNext <= minUid) {
    return { added: 0, rebuilt: false } // nothing new: STATUS already told us, no SELECT needed
  }
  const serverUidNext = server?.uidNext ?? null
  let added = 0
  let rebuilt = false
  let writeError: unknown
  // Chunks that came while the previous write was committing go into the next transaction together: the
  // store is slower than the wire, and each transaction pays its own round trips and commit.
  const queued: HeaderRecordWire[][] = []
  let writing: Promise<void> | undefined
  const writeQueued = async (): Promise<void> => {
    for (;;) {
      const headers: HeaderRecordWire[] = []
      while (queued.length > 0 && headers.length + queued[0]!.length <= MAX_ROWS_PER_WRITE) {
        headers.push(...queued.shift()!)
      }
      if (headers.length === 0 && queued.length > 0) headers.push(...queued.shift()!)
      // Set synchronously with the check: a chunk arriving after it starts a new writer.
      if (headers.length === 0 || writeError !== undefined) return void (writing = undefined)
      added += await storeHeaderBatch(store, folder, headers, threads).catch((error: unknown) => {
        writeError = error
        return 0
      })
    }
  }
  await markSnippetsPending(store, folder.id, minUid ?? 1)
  // A folder fetched whole (first seen or rebuilt) gets many batches: its thread rows are read once (usually
  // there are none) and kept in memory for the pass, instead of each batch reading a row per thread.
  const threads = known === null ? await readThreadCache(store.fast.threadDays, folder.id) : undefined
  const result = await core
    .call(
      'imap.headers',
      {
        accountId: folder.accountId,
        folder: folder.path,
        ...(known === null ? {} : { uidValidity: known }),
        ...(minUid === undefined ? {} : { minUid }),
        snippets: false,
      },
      {
        ...(signal ? { signal } : {}),
        // Batches are written in order while the next ones are still on the wire.
        onChunk: (chunk) => {
          if (chunk.uidValidityChanged) rebuilt = true
          queued.push(chunk.headers)
          writing ??= writeQueued()
        },
      },
    )
    .finally(() => writing)
    .finally(() => threads && closeThreadCache(threads))
  if (writeError !== undefined) throw writeError
  if (rebuilt && known === null) {
    throw new Error('the server reported a UIDVALIDITY change for a folder fetched without one')
  }
  if (rebuilt) {
    await dropFolderMessages(store, folder)
    const reset: FolderRow = { ...folder, uidValidity: null, uidNext: null, highestModseq: null }
    await store.fast.folders.put(reset)
    const again = await syncFolderHeaders(store, core, reset, server, signal)
    return { ...again, rebuilt: true }
  }
  const newest = await newestByUid(store.fast, folder.id)
  const uidNext = Math.max(serverUidNext ?? 0, (newest?.uid ?? 0) + 1, folder.uidNext ?? 0)
  // STATUS's HIGHESTMODSEQ was read before the fetch: anything that changed since has a higher mod-sequence,
  // so the next pass asks for exactly that (CONDSTORE/QRESYNC) instead of every message's flags.
  const modseq = server?.uidValidity === result.uidValidity ? server.highestModseq : undefined
  // The count comes from the same STATUS as the mod-sequence, read before the fetch: an expunge since then
  // makes the next STATUS differ from it, so that pass compares the folder.
  const exists = server?.uidValidity === result.uidValidity ? server.messages : undefined
  await store.fast.folders.update(folder.id, {
    uidValidity: result.uidValidity,
    uidNext,
    ...(known === null && modseq !== undefined ? { highestModseq: modseq } : {}),
    ...(known === null ? { syncedExists: exists ?? null } : {}),
    syncedAt: Date.now(),
  })
  return { added, rebuilt }
}
