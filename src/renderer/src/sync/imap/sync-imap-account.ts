import type { AccountConfig, BodyPolicy } from '../../../../shared/model/account'
import type { MailStore } from '../../store/mail-db'
import { folderId } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { inAny, queuedFolderPaths } from '../actions/imap-folder-actions'
import { prefetchFolderBodies } from './fetch-bodies'
import { folderRowFrom } from './folder-rows'
import { syncFolderChanges } from './sync-folder-changes'
import { dropFolderMessages, syncFolderHeaders } from './sync-folder-headers'

export interface AccountSyncReport {
  folders: number
  added: number
  rebuilt: string[]
  bodies: number
}

/**
 * One pass over an IMAP account: the folder list (INBOX first, as the server service orders it), then each
 * selectable folder's new headers. Folders gone from the server are removed with their cached messages.
 */
export async function syncImapAccount(
  store: MailStore,
  core: CoreApi,
  account: Extract<AccountConfig, { kind: 'imap' }>,
  signal?: AbortSignal,
): Promise<AccountSyncReport> {
  const accountId = account.id
  const { folders } = await core.call('imap.folders', { accountId }, signal ? { signal } : {})
  const { fast } = store
  const existing = new Map(
    (await fast.folders.where('accountId').equals(accountId).toArray()).map((f) => [f.id, f]),
  )
  // Folder actions the user took while this pass ran wait in the queue: the listing predates them.
  const queue = await fast.pendingActions.where('accountId').equals(accountId).toArray()
  const delimiter = folders.find((f) => f.delimiter !== null)?.delimiter ?? '/'
  const { kept, hidden } = queuedFolderPaths(queue, delimiter)
  const listed = folders.filter((info) => !inAny(info.path, hidden, delimiter))
  const rows = listed.map((info) =>
    folderRowFrom(accountId, info, existing.get(folderId(accountId, info.path))),
  )
  const gone = [...existing.values()].filter(
    (f) => !f.local && !rows.some((r) => r.id === f.id) && !inAny(f.path, kept, delimiter),
  )
  await fast.transaction('rw', fast.folders, fast.messages, fast.bodies, async () => {
    await fast.folders.bulkPut(rows)
    for (const folder of gone) {
      const ids = (await fast.messages.where('folderId').equals(folder.id).primaryKeys()) as number[]
      await fast.bodies.bulkDelete(ids)
      await fast.messages.bulkDelete(ids)
      await fast.folders.delete(folder.id)
    }
  })
  const report: AccountSyncReport = { folders: rows.length, added: 0, rebuilt: [], bodies: 0 }
  for (const info of listed) {
    if (!info.selectable) continue
    signal?.throwIfAborted()
    const row = await fast.folders.get(folderId(accountId, info.path))
    if (!row) continue
    if (row.uidValidity !== null) {
      const diff = await syncFolderChanges(store, core, row, info.status, signal)
      if (!diff?.uidValidityChanged) {
        report.added += diff?.newMessages.length ?? 0
        continue
      }
      // RFC 9051 §2.3.1.1: the cached UIDs mean nothing now; refetch the folder from scratch.
      await dropFolderMessages(store, row)
      report.rebuilt.push(info.path)
    }
    const fresh = { ...row, uidValidity: null, uidNext: null, highestModseq: null }
    const result = await syncFolderHeaders(store, core, fresh, info.status, signal)
    report.added += result.added
    if (result.rebuilt && !report.rebuilt.includes(info.path)) report.rebuilt.push(info.path)
  }
  // Snippets of the headers fetched here come after the pass, in the background (SyncEngine).
  // Bodies after every folder's headers: the list is complete first, then mail becomes readable offline.
  const since = bodiesSince(account.bodyPolicy)
  if (since !== undefined) {
    const synced = await fast.folders.where('accountId').equals(accountId).toArray()
    // INBOX first: it is what people open first when they are offline.
    synced.sort((a, b) => Number(b.specialUse === 'inbox') - Number(a.specialUse === 'inbox'))
    for (const folder of synced) {
      if (!folder.selectable || folder.specialUse === 'trash' || folder.specialUse === 'junk') continue
      report.bodies += await prefetchFolderBodies(store, core, folder, since, signal)
    }
  }
  return report
}

/** Messages dated at or after this are kept offline; undefined: bodies only when opened. */
function bodiesSince(policy: BodyPolicy): number | undefined {
  if (policy.kind === 'on-open') return undefined
  if (policy.kind === 'all') return 0
  return Date.now() - policy.days * 86_400_000
}
