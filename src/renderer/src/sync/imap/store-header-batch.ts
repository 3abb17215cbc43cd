import type { HeaderRecordWire } from '../../../../shared/model/imap'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import { headerToRow } from './header-to-row'

/**
 * Stores one batch idempotently: a UID already cached in this folder (a batch fetched again after a crash
 * or a dropped connection) updates its row instead of adding a duplicate.
 */
export async function storeHeaderBatch(
  store: MailStore,
  folder: FolderRow,
  headers: HeaderRecordWire[],
): Promise<number> {
  if (headers.length === 0) return 0
  const { fast } = store
  return fast.transaction('rw', fast.messages, async () => {
    const keys = headers.map((h) => [folder.id, h.uid] as [string, number])
    const existing = await fast.messages.where('[folderId+uid]').anyOf(keys).toArray()
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
    return rows.length - existing.length
  })
}
