import { Dexie, type BulkError } from 'dexie'
import type { HeaderRecordWire } from '../../../../shared/model/imap'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import { headerToRow } from './header-to-row'

/**
 * The cached rows of these UIDs. A header batch is a run of neighbouring UIDs, so one index range read covers
 * it; a sparse set (a few new UIDs far apart) is looked up key by key, so a wide range never reads unrelated
 * rows.
 */
async function cachedRows(
  store: MailStore,
  folder: FolderRow,
  headers: HeaderRecordWire[],
): Promise<MessageRow[]> {
  const uids = headers.map((h) => h.uid)
  // A loop, not Math.min(...uids): a diff may carry more new UIDs than a call can take arguments.
  let low = Infinity
  let high = -Infinity
  for (const uid of uids) {
    low = Math.min(low, uid)
    high = Math.max(high, uid)
  }
  const index = store.fast.messages.where('[folderId+uid]')
  if (high - low < 2 * uids.length) {
    const wanted = new Set(uids)
    const inRange = await index.between([folder.id, low], [folder.id, high], true, true).toArray()
    return inRange.filter((m) => m.uid !== null && wanted.has(m.uid))
  }
  return index.anyOf(uids.map((uid) => [folder.id, uid])).toArray()
}

/** True when the folder has no cached IMAP row (a first sync): its batches can skip the lookup. */
export async function folderHasNoUids(store: MailStore, folder: FolderRow): Promise<boolean> {
  const first = await store.fast.messages
    .where('[folderId+uid]')
    .between([folder.id, Dexie.minKey], [folder.id, Dexie.maxKey])
    .first()
  return first === undefined
}

/** A write refused by a unique index, alone or as one of a bulk operation's failures. */
function isConstraintError(error: unknown): boolean {
  if (error instanceof Dexie.BulkError) {
    return (error as BulkError).failures.some((e) => e.name === 'ConstraintError')
  }
  return error instanceof Error && error.name === 'ConstraintError'
}

/**
 * Stores one batch idempotently: a UID already cached in this folder (a batch fetched again after a crash
 * or a dropped connection) updates its row instead of adding a duplicate. With `assumeNew` (the folder had
 * no cached UID when the pass began) the rows are added without reading first: in Chromium a read in the
 * write transaction about doubled its cost (bench/idb-write-cost.ts). Should a UID be there after all, the
 * unique [folderId+uid] index refuses the whole transaction and the batch is stored the careful way.
 */
export async function storeHeaderBatch(
  store: MailStore,
  folder: FolderRow,
  headers: HeaderRecordWire[],
  opts: { assumeNew?: boolean } = {},
): Promise<number> {
  if (headers.length === 0) return 0
  const { fast } = store
  if (opts.assumeNew) {
    const rows = headers.map((h) => headerToRow(h, folder.accountId, folder.id))
    try {
      await fast.transaction('rw', fast.messages, () => fast.messages.bulkAdd(rows))
      return rows.length
    } catch (error) {
      if (!isConstraintError(error)) throw error
    }
  }
  return fast.transaction('rw', fast.messages, async () => {
    const existing = await cachedRows(store, folder, headers)
    const byUid = new Map(existing.map((m) => [m.uid, m]))
    const rows: MessageRow[] = headers.map((h) => {
      const row = headerToRow(h, folder.accountId, folder.id)
      const old = byUid.get(h.uid)
      // Keep what only the cache knows (its id, whether the body is stored), and a snippet already filled in
      // when the batch came without snippets.
      if (!old) return row
      return { ...row, id: old.id, bodyState: old.bodyState, snippet: h.snippet ?? old.snippet }
    })
    await fast.messages.bulkPut(rows)
    return rows.length - byUid.size
  })
}
