import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { lendThreadCache, type FolderThreadCache } from '../../store/list-bucket-middleware'
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

/**
 * Stores one batch idempotently: a UID already cached in this folder (a batch fetched again after a crash
 * or a dropped connection) updates its row instead of adding a duplicate. With `threads`, the folder's thread
 * rows are kept from that cache instead of being read row by row (see FolderThreadCache).
 */
export async function storeHeaderBatch(
  store: MailStore,
  folder: FolderRow,
  headers: HeaderRecordWire[],
  threads?: FolderThreadCache,
): Promise<number> {
  if (headers.length === 0) return 0
  const { fast } = store
  return fast.transaction('rw', fast.messages, async (tx) => {
    if (threads) lendThreadCache(tx.idbtrans, threads)
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
