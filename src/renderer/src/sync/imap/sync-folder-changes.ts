import type { ResultOf } from '../../../../shared/contract'
import type { MailStore } from '../../store/mail-db'
import type { FolderRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { storeHeaderBatch } from './store-header-batch'
import {
  deleteMessages,
  folderUids,
  messageIdsByUids,
  messageTables,
  messagesAtUids,
  putMessages,
} from '../../store/messages'

export type FolderDiff = ResultOf<'imap.sync-folder'>

export interface ServerFolderStatus {
  uidValidity: number
  uidNext: number
  highestModseq?: string
  messages?: number
}

/**
 * True when STATUS proves nothing changed since the cached state: same UIDVALIDITY and UIDNEXT (no new
 * mail), on CONDSTORE servers the same HIGHESTMODSEQ (no flag change, no expunge), and the same message
 * count as when the folder was last synced. RFC 7162 makes an expunge raise HIGHESTMODSEQ only for QRESYNC
 * servers, so on a CONDSTORE-only server the count is what reveals it. Without a mod-sequence or a
 * recorded count nothing can be proven, so the folder is compared.
 */
export function unchangedSince(folder: FolderRow, server: ServerFolderStatus | null): boolean {
  return (
    server !== null &&
    folder.uidValidity === server.uidValidity &&
    folder.uidNext !== null &&
    server.uidNext <= folder.uidNext &&
    folder.highestModseq !== null &&
    server.highestModseq === folder.highestModseq &&
    typeof folder.syncedExists === 'number' &&
    server.messages === folder.syncedExists
  )
}

/** Applies a diff to the cache in one transaction: new rows, flag updates, expunged rows gone. */
export async function applyFolderDiff(store: MailStore, folder: FolderRow, diff: FolderDiff): Promise<void> {
  const { fast } = store
  await storeHeaderBatch(store, folder, diff.newMessages)
  await fast.transaction('rw', [...messageTables(fast), fast.bodies, fast.folders], async () => {
    if (diff.vanished.length > 0) {
      const ids = await messageIdsByUids(fast, folder.id, diff.vanished)
      await fast.bodies.bulkDelete(ids)
      await deleteMessages(fast, ids)
    }
    if (diff.flagChanges.length > 0) {
      const byUid = new Map(diff.flagChanges.map((c) => [c.uid, c.flags]))
      const rows = await messagesAtUids(
        fast,
        folder.id,
        diff.flagChanges.map((c) => c.uid),
      )
      const updated = rows.map((row) => {
        const flags = byUid.get(row.uid ?? -1) ?? row.flags
        return {
          ...row,
          flags,
          unread: flags.includes('\\Seen') ? (0 as const) : (1 as const),
          flagged: flags.includes('\\Flagged') ? (1 as const) : (0 as const),
        }
      })
      await putMessages(fast, updated)
    }
    await fast.folders.update(folder.id, {
      uidNext: diff.uidNext,
      highestModseq: diff.highestModseq ?? null,
      total: diff.exists,
      syncedExists: diff.exists,
      syncedAt: Date.now(),
    })
  })
}

/** Brings a cached folder up to date; returns the diff, or undefined when STATUS proved nothing changed. */
export async function syncFolderChanges(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  server: ServerFolderStatus | null,
  signal?: AbortSignal,
): Promise<FolderDiff | undefined> {
  if (folder.uidValidity === null) throw new Error(`${folder.path} has no cached state to compare with`)
  if (unchangedSince(folder, server)) return undefined
  const knownUids = await folderUids(store.fast, folder.id)
  const diff = await core.call(
    'imap.sync-folder',
    {
      accountId: folder.accountId,
      folder: folder.path,
      local: {
        uidValidity: folder.uidValidity,
        ...(folder.highestModseq === null ? {} : { highestModseq: folder.highestModseq }),
        ...(folder.uidNext === null ? {} : { uidNext: folder.uidNext }),
        knownUids,
      },
    },
    signal ? { signal } : {},
  )
  if (!diff.uidValidityChanged) await applyFolderDiff(store, folder, diff)
  return diff
}
