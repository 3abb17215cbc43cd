import type { ImapFlow } from 'imapflow'
import { featuresOf } from './capabilities'
import { partitionUids, type ActionUids } from './existing-uids'
import { folderWithUse, listFolders } from './list-folders'
import { moveMessages, type MoveResult } from './move'
import type { NotApplied } from './types'
import { toSequenceSet } from './uid-set'
import { withFolder } from './with-folder'

export interface DeleteOptions {
  /** Path of the Trash folder when the caller knows it; otherwise found by special use (RFC 6154 \Trash). */
  trash?: string
}

/** Deleted for good (expunged in Trash, or in an account without Trash). */
export interface Expunged extends ActionUids {
  applied: true
  destination: null
  /** False when the server lacks UIDPLUS: the messages are marked \Deleted but left for the user's next expunge. */
  expunged: boolean
}

export type DeleteResult = MoveResult | Expunged | (NotApplied & ActionUids)

/**
 * Deletes messages the way users expect: moved to Trash; when they already are in Trash (or there is no
 * Trash), flagged \Deleted and removed with `UID EXPUNGE` of exactly those UIDs (RFC 4315 §2.1), never a
 * plain EXPUNGE that would also remove other \Deleted mail. Already-gone messages → `{ applied: false }`.
 */
export async function deleteMessages(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  opts: DeleteOptions = {},
): Promise<DeleteResult> {
  const trash = opts.trash ?? folderWithUse(await listFolders(client), '\\Trash')
  if (trash !== null && trash !== folder) return moveMessages(client, folder, uids, trash)
  return expungeMessages(client, folder, uids)
}

/** Flags messages \Deleted and expunges exactly them (UIDPLUS); see deleteMessages. */
export async function expungeMessages(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
): Promise<DeleteResult> {
  return withFolder(client, folder, { operation: 'expunge' }, async () => {
    const split = await partitionUids(client, uids)
    if (split.uids.length === 0) return { applied: false, reason: 'gone', ...split }
    const range = toSequenceSet(split.uids)
    await client.messageFlagsAdd(range, ['\\Deleted'], { uid: true, silent: true })
    const uidplus = featuresOf(client).uidplus
    if (uidplus) await client.messageDelete(range, { uid: true })
    return { applied: true, ...split, destination: null, expunged: uidplus }
  })
}
