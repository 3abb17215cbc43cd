import type { HeaderRecordWire } from '../../../../shared/model/imap'
import { lendThreadCache, type FolderThreadCache } from '../../store/derived-rows'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import { headerToRow } from './header-to-row'
import { messageTables, messagesByUids, putMessages } from '../../store/messages'

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
  return fast.transaction('rw', [...messageTables(fast)], async (tx) => {
    if (threads) lendThreadCache(tx.idbtrans, threads)
    // A header batch is a run of neighbouring UIDs: messagesByUids reads it as one index range.
    const existing = await messagesByUids(
      fast,
      folder.id,
      headers.map((h) => h.uid),
    )
    const byUid = new Map(existing.map((m) => [m.uid, m]))
    const rows: MessageRow[] = headers.map((h) => {
      const row = headerToRow(h, folder.accountId, folder.id)
      const old = byUid.get(h.uid)
      // Keep what only the cache knows (its id, whether and where the body is stored), and a snippet already
      // filled in when the batch came without snippets.
      if (!old) return row
      const kept = { ...row, id: old.id, bodyState: old.bodyState, snippet: h.snippet ?? old.snippet }
      return old.body ? { ...kept, body: old.body } : kept
    })
    await putMessages(fast, rows)
    return rows.length - byUid.size
  })
}
