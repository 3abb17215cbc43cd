import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { idleSpan } from '../engine/idle-timeline'
import { epochNow } from '../engine/step-timeline'
import { messagesFromUid } from '../../store/messages'

/**
 * Set (in syncState) while a folder has rows whose snippet was not fetched yet: the header pass writes rows
 * without snippets (fetching them with the headers tripled the pass) and `fillSnippets` fetches them
 * afterwards, in the background, into the `snippets` table. The mark survives a crash or a pass that cut
 * the filling short, so the next run finishes it. Folder actions carry it along when they move a folder.
 */
export const snippetsPendingKey = (folderId: string): string => `imap-snippets-pending:${folderId}`

/**
 * Rows at or above `fromUid` may lack a snippet; `token` tells a mark set again (by a later header pass)
 * from the one a fill started with, so the fill only clears what it covered. Marks written by older
 * versions (before this shape) count as "the whole folder".
 */
interface SnippetsPending {
  fromUid: number
  token: string
}

function pendingOf(value: unknown): SnippetsPending {
  const v = value as Partial<SnippetsPending> | null | undefined
  return {
    fromUid: typeof v?.fromUid === 'number' ? v.fromUid : 1,
    token: typeof v?.token === 'string' ? v.token : 'old',
  }
}

/** Marks a folder's rows from `fromUid` up as waiting for snippets (before their headers are written). */
export async function markSnippetsPending(
  store: MailStore,
  folderId: string,
  fromUid: number,
): Promise<void> {
  const { fast } = store
  const key = snippetsPendingKey(folderId)
  await fast.transaction('rw', fast.syncState, async () => {
    const old = await fast.syncState.get(key)
    const from = old ? Math.min(pendingOf(old.value).fromUid, fromUid) : fromUid
    await fast.syncState.put({ key, value: { fromUid: from, token: crypto.randomUUID() } })
  })
}

/** The folders with a pending mark, by id. */
export async function foldersWithPendingSnippets(store: MailStore): Promise<string[]> {
  const keys = await store.fast.syncState.where('key').startsWith(snippetsPendingKey('')).primaryKeys()
  return keys.map((k) => String(k).slice(snippetsPendingKey('').length))
}

/** UIDs per `imap.snippets` call (the contract's limit is 100,000). */
const CALL_MAX_UIDS = 50_000

/**
 * Rows read per look for rows without a snippet. One read of a 10k-row folder (a cursor, for its filter)
 * took 0.7-2.6 s under load, and every store read of a Send/Receive pressed meanwhile ended only after it
 * (bench/imap-resync-profile.ts --during-background); a chunk read in one request takes a few ms.
 */
const SCAN_CHUNK = 1_000

/**
 * UID → message id of the folder's rows from `fromUid` up with no snippet anywhere yet, newest first. Reads
 * in chunks, and stops between them (throws) when `signal` aborts: a pass's reads wait for one chunk at most.
 */
export async function rowsWithoutSnippet(
  store: MailStore,
  folder: FolderRow,
  fromUid: number,
  signal?: AbortSignal,
  chunk = SCAN_CHUNK,
): Promise<Map<number, number>> {
  const { fast } = store
  const missing: MessageRow[] = []
  for (let from = fromUid; ;) {
    signal?.throwIfAborted()
    const rows = await messagesFromUid(fast, folder.id, from, chunk)
    const empty = rows.filter((m) => m.snippet === '')
    const filled = await fast.snippets.bulkGet(empty.map((r) => r.id!))
    empty.forEach((r, i) => filled[i] === undefined && missing.push(r))
    if (rows.length < chunk) break
    from = rows.at(-1)!.uid! + 1
  }
  const out = new Map<number, number>()
  missing.sort((a, b) => b.uid! - a.uid!).forEach((r) => out.set(r.uid!, r.id!))
  return out
}

/**
 * Fetches the snippets a folder's pending mark covers, newest first, into `snippets` (one small write per
 * batch; the message rows are not touched). Clears the mark when done, unless a header pass set it again
 * meanwhile. Returns how many snippets were stored; does nothing without a mark. Stops early (the mark
 * stays) when `signal` aborts: a sync pass wants the connection.
 */
export async function fillSnippets(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  signal?: AbortSignal,
): Promise<number> {
  const { fast } = store
  const key = snippetsPendingKey(folder.id)
  const mark = await fast.syncState.get(key)
  if (!mark) return 0
  const pending = pendingOf(mark.value)
  const clear = (): Promise<void> =>
    fast.transaction('rw', fast.syncState, async () => {
      const now = await fast.syncState.get(key)
      if (now && pendingOf(now.value).token === pending.token) await fast.syncState.delete(key)
    })
  const current = await fast.folders.get(folder.id)
  const readStart = epochNow()
  const wanted = current ? await rowsWithoutSnippet(store, current, pending.fromUid, signal) : new Map()
  idleSpan('snippets: rows without one read', readStart, wanted.size)
  if (!current || current.uidValidity === null || wanted.size === 0) {
    await clear()
    return 0
  }
  const uids = [...wanted.keys()]
  let filled = 0
  let pendingWrite: Promise<void> = Promise.resolve()
  let writeError: unknown
  let uidValidityChanged = false
  for (let i = 0; i < uids.length && !uidValidityChanged && writeError === undefined; i += CALL_MAX_UIDS) {
    signal?.throwIfAborted()
    const callStart = epochNow()
    const result = await core
      .call(
        'imap.snippets',
        {
          accountId: current.accountId,
          folder: current.path,
          uidValidity: current.uidValidity,
          uids: uids.slice(i, i + CALL_MAX_UIDS),
        },
        {
          ...(signal ? { signal } : {}),
          onChunk: ({ snippets }) => {
            const rows = snippets.flatMap((s) => {
              const id = wanted.get(s.uid)
              return id === undefined ? [] : [{ id, text: s.snippet }]
            })
            if (rows.length === 0) return
            pendingWrite = pendingWrite.then(async () => {
              if (writeError !== undefined) return
              try {
                const start = epochNow()
                await fast.snippets.bulkPut(rows)
                idleSpan('snippets', start, rows.length)
                filled += rows.length
              } catch (error) {
                writeError = error
              }
            })
          },
        },
      )
      .finally(() => {
        idleSpan('snippets: imap.snippets call', callStart, Math.min(CALL_MAX_UIDS, uids.length - i))
        return pendingWrite
      })
    uidValidityChanged = result.uidValidityChanged
  }
  if (writeError !== undefined) throw writeError
  // A UIDVALIDITY change: the next pass rebuilds the folder (and marks it again).
  if (!uidValidityChanged) await clear()
  return filled
}
