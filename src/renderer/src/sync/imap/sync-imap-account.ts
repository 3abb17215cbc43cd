import type { AccountConfig, BodyPolicy } from '../../../../shared/model/account'
import type { MailStore } from '../../store/mail-db'
import { folderId } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { inAny, queuedFolderPaths } from '../actions/imap-folder-actions'
import { bodiesComplete, prefetchFolderBodies, readBodiesComplete, type BodiesComplete } from './fetch-bodies'
import { folderRowFrom, sameFolderRow } from './folder-rows'
import { passMark } from './pass-timeline'
import { syncFolderChanges, unchangedSince } from './sync-folder-changes'
import { dropFolderMessages, syncFolderHeaders } from './sync-folder-headers'
import { deleteMessages, folderMessageIds, messageTables } from '../../store/messages'

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
  /**
   * The account's `readBodiesComplete` records, when the caller read them already: read before the pass's
   * first status write, they need not wait for the window's reads that the write waits for.
   */
  bodyRecords?: Map<string, BodiesComplete>,
): Promise<AccountSyncReport> {
  const accountId = account.id
  const { folders } = await core.call('imap.folders', { accountId }, signal ? { signal } : {})
  passMark('imap.folders answered')
  const { fast } = store
  const [cached, queue] = await fast.transaction('r', fast.folders, fast.pendingActions, () =>
    Promise.all([
      fast.folders.where('accountId').equals(accountId).toArray(),
      // Folder actions the user took while this pass ran wait in the queue: the listing predates them.
      fast.pendingActions.where('accountId').equals(accountId).toArray(),
    ]),
  )
  const existing = new Map(cached.map((f) => [f.id, f]))
  passMark('folders + queue read')
  const delimiter = folders.find((f) => f.delimiter !== null)?.delimiter ?? '/'
  const { kept, hidden } = queuedFolderPaths(queue, delimiter)
  const listed = folders.filter((info) => !inAny(info.path, hidden, delimiter))
  const rows = listed.map((info) =>
    folderRowFrom(accountId, info, existing.get(folderId(accountId, info.path))),
  )
  const gone = [...existing.values()].filter(
    (f) => !f.local && !rows.some((r) => r.id === f.id) && !inAny(f.path, kept, delimiter),
  )
  // Only rows that differ are written: an equal write still waits for the window's reads of the table and
  // makes every window read its folder list again.
  const changed = rows.filter((r) => !sameFolderRow(r, existing.get(r.id)))
  if (changed.length > 0 || gone.length > 0) {
    await fast.transaction('rw', [fast.folders, ...messageTables(fast), fast.bodies], async () => {
      await fast.folders.bulkPut(changed)
      for (const folder of gone) {
        const ids = await folderMessageIds(fast, folder.id)
        await fast.bodies.bulkDelete(ids)
        await deleteMessages(fast, ids)
        await fast.folders.delete(folder.id)
      }
    })
  }
  passMark('folder rows written')
  const report: AccountSyncReport = { folders: rows.length, added: 0, rebuilt: [], bodies: 0 }
  const listedRows = new Map(rows.map((r) => [r.id, r]))
  let untouched = true
  for (const info of listed) {
    if (!info.selectable) continue
    signal?.throwIfAborted()
    const id = folderId(accountId, info.path)
    // The row as stored just above: only this pass moves a folder's sync state, and it has not reached this
    // folder yet, so when STATUS proves the folder unchanged there is nothing to read or do.
    const listedRow = listedRows.get(id)
    if (listedRow?.uidValidity != null && unchangedSince(listedRow, info.status)) {
      passMark(`${info.path}: unchanged`)
      continue
    }
    untouched = false
    const row = await fast.folders.get(id)
    if (!row) continue
    passMark(`${info.path}: row read`)
    if (row.uidValidity !== null) {
      const diff = await syncFolderChanges(store, core, row, info.status, signal)
      passMark(`${info.path}: ${diff ? 'changes synced' : 'unchanged'}`)
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
    // Every folder unchanged: the rows written (or found equal) above are the stored ones.
    const synced = untouched
      ? [...new Map([...existing, ...listedRows]).values()].filter((f) => !gone.includes(f))
      : await fast.folders.where('accountId').equals(accountId).toArray()
    const wanted = synced.filter((f) => f.selectable && f.specialUse !== 'trash' && f.specialUse !== 'junk')
    // INBOX first: it is what people open first when they are offline.
    wanted.sort((a, b) => Number(b.specialUse === 'inbox') - Number(a.specialUse === 'inbox'))
    const complete = bodyRecords ?? (await readBodiesComplete(fast, accountId))
    passMark('body records read')
    for (const folder of wanted) {
      if (bodiesComplete(folder, since, complete.get(folder.id))) continue
      report.bodies += await prefetchFolderBodies(store, core, folder, since, signal)
      passMark(`${folder.path}: bodies checked`)
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
