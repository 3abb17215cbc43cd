import type { MailStore } from '../../store/mail-db'
import type { FolderRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'

/**
 * Set (in syncState) while a folder has rows whose snippet was not fetched yet. Versions before the single
 * header pass stored rows without snippets and filled them in a second phase; a store left by such a pass
 * that died in between still carries the key, and `fillSnippets` fills in what is missing and clears it.
 * Folder actions carry the key along when they move a folder.
 */
export const snippetsPendingKey = (folderId: string): string => `imap-snippets-pending:${folderId}`

/** UIDs per `imap.snippets` call (the contract's limit is 100,000). */
const CALL_MAX_UIDS = 50_000

/** UIDs of the folder's rows with an empty snippet, newest first (after a pass that died mid-way). */
async function uidsWithoutSnippet(store: MailStore, folder: FolderRow): Promise<number[]> {
  const rows = await store.fast.messages
    .where('[folderId+uid]')
    .between([folder.id, 1], [folder.id, Infinity])
    .filter((m) => m.snippet === '')
    .toArray()
  return rows.map((m) => m.uid!).sort((a, b) => b - a)
}

/**
 * The snippets of rows stored without them (by an older version's header pass), newest first, in batches;
 * each batch is one transaction that changes nothing but those rows' `snippet`. `uids` limits it to those
 * UIDs (an empty list: nothing is missing, just clear the mark); without them every row with an empty snippet
 * is asked for. Returns how many rows got a snippet entry. Does nothing unless the folder is marked pending.
 */
export async function fillSnippets(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  uids?: readonly number[],
  signal?: AbortSignal,
): Promise<number> {
  const { fast } = store
  const key = snippetsPendingKey(folder.id)
  if (!(await fast.syncState.get(key))) return 0
  const current = await fast.folders.get(folder.id)
  const wanted = uids ?? (current ? await uidsWithoutSnippet(store, current) : [])
  if (!current || current.uidValidity === null || wanted.length === 0) {
    await fast.syncState.delete(key)
    return 0
  }
  let filled = 0
  let pending: Promise<void> = Promise.resolve()
  let writeError: unknown
  let uidValidityChanged = false
  for (let i = 0; i < wanted.length && !uidValidityChanged && writeError === undefined; i += CALL_MAX_UIDS) {
    const result = await core
      .call(
        'imap.snippets',
        {
          accountId: current.accountId,
          folder: current.path,
          uidValidity: current.uidValidity,
          uids: wanted.slice(i, i + CALL_MAX_UIDS),
        },
        {
          ...(signal ? { signal } : {}),
          onChunk: ({ snippets }) => {
            if (snippets.length === 0) return
            pending = pending.then(async () => {
              if (writeError !== undefined) return
              const byUid = new Map(snippets.map((s) => [s.uid, s.snippet]))
              const keys = snippets.map((s) => [current.id, s.uid] as [string, number])
              try {
                filled += await fast.transaction('rw', fast.messages, () =>
                  fast.messages
                    .where('[folderId+uid]')
                    .anyOf(keys)
                    .modify((row) => {
                      row.snippet = byUid.get(row.uid ?? -1) ?? row.snippet
                    }),
                )
              } catch (error) {
                writeError = error
              }
            })
          },
        },
      )
      .finally(() => pending)
    uidValidityChanged = result.uidValidityChanged
  }
  if (writeError !== undefined) throw writeError
  // A UIDVALIDITY change: the next pass rebuilds the folder (and fetches its snippets again).
  if (!uidValidityChanged) await fast.syncState.delete(key)
  return filled
}
