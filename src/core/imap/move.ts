import type { ImapFlow } from 'imapflow'
import { featuresOf } from './capabilities'
import { partitionUids, type ActionUids } from './existing-uids'
import type { NotApplied } from './types'
import { toSequenceSet } from './uid-set'
import { withFolder } from './with-folder'

/** A move that reached at least one message. */
export interface Moved extends ActionUids {
  applied: true
  destination: string
  /** [source UID, destination UID] pairs from COPYUID (RFC 4315 §3); null when the server sent none. */
  uidMap: [number, number][] | null
  destinationUidValidity: number | null
  /**
   * False only on a server with neither MOVE nor UIDPLUS: the originals are copied and marked \Deleted but
   * left in place, because a plain EXPUNGE would also remove other \Deleted mail the user still has.
   */
  expunged: boolean
}

export type MoveResult = Moved | (NotApplied & ActionUids)

/**
 * Moves messages to `destination`: `UID MOVE` (RFC 6851) when offered, else `UID COPY` + `+FLAGS (\Deleted)` +
 * `UID EXPUNGE` of exactly those UIDs (RFC 4315 §2.1). Never a plain EXPUNGE. Replaying a move whose messages
 * already left the folder returns `{ applied: false, reason: 'gone' }`, so an offline queue can retry safely.
 *
 * @throws MailError NOT_FOUND when either folder does not exist; NETWORK, TIMEOUT, SERVER_ERROR.
 */
export async function moveMessages(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  destination: string,
): Promise<MoveResult> {
  return withFolder(client, folder, { operation: 'move' }, async () => {
    const split = await partitionUids(client, uids)
    if (split.uids.length === 0) return { applied: false, reason: 'gone', ...split }
    const range = toSequenceSet(split.uids)
    const features = featuresOf(client)
    let expunged = true
    const copied = features.move
      ? await client.messageMove(range, destination, { uid: true })
      : await client.messageCopy(range, destination, { uid: true })
    if (copied === false) throw new Error(`moving to ${destination} was refused`)
    if (!features.move) {
      await client.messageFlagsAdd(range, ['\\Deleted'], { uid: true, silent: true })
      // imapflow's messageDelete sends UID EXPUNGE only with UIDPLUS and a plain EXPUNGE otherwise; we only
      // call it when the UID form is guaranteed.
      if (features.uidplus) await client.messageDelete(range, { uid: true })
      else expunged = false
    }
    return {
      applied: true,
      ...split,
      destination: copied.destination,
      uidMap: copied.uidMap ? [...copied.uidMap.entries()].sort((a, b) => a[0] - b[0]) : null,
      destinationUidValidity: copied.uidValidity === undefined ? null : Number(copied.uidValidity),
      expunged,
    }
  })
}
