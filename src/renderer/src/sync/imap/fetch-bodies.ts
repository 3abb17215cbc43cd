import type { MailStore } from '../../store/mail-db'
import type { FolderRow, MessageRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'

/** Messages per `imap.bodies` call: big enough to pipeline, small enough that a cancel stops soon. */
const BATCH = 50

/**
 * Downloads the raw source of these messages (all in one folder) into `bodies`, marking each row 'full'.
 * Each message is stored as it arrives; UIDs the server no longer has are skipped (the next folder sync
 * removes their rows).
 */
export async function fetchBodies(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  messages: readonly MessageRow[],
  signal?: AbortSignal,
): Promise<number> {
  const byUid = new Map(messages.filter((m) => m.uid !== null && m.id !== undefined).map((m) => [m.uid!, m]))
  const uids = [...byUid.keys()]
  let stored = 0
  for (let i = 0; i < uids.length; i += BATCH) {
    signal?.throwIfAborted()
    let pending: Promise<void> = Promise.resolve()
    await core.call(
      'imap.bodies',
      { accountId: folder.accountId, folder: folder.path, uids: uids.slice(i, i + BATCH) },
      {
        ...(signal ? { signal } : {}),
        onChunk: ({ uid, raw }) => {
          const row = byUid.get(uid)
          if (!row?.id) return
          const id = row.id
          pending = pending.then(() =>
            store.fast.transaction('rw', store.fast.bodies, store.fast.messages, async () => {
              await store.fast.bodies.put({ messageId: id, raw, storedAt: Date.now() })
              await store.fast.messages.update(id, { bodyState: 'full' })
              stored++
            }),
          )
        },
      },
    )
    await pending
  }
  return stored
}

/**
 * The account's offline policy (DESIGN.md: "headers first then bodies, recent first"): bodies of messages
 * newer than `sinceMs` (or all with 0) that are not stored yet, newest first.
 */
export async function prefetchFolderBodies(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  sinceMs: number,
  signal?: AbortSignal,
): Promise<number> {
  const missing = await store.fast.messages
    .where('[folderId+date]')
    .between([folder.id, sinceMs], [folder.id, Infinity])
    .reverse()
    .filter((m) => m.bodyState !== 'full')
    .toArray()
  return missing.length === 0 ? 0 : fetchBodies(store, core, folder, missing, signal)
}
