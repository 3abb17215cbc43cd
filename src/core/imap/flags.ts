import type { ImapFlow } from 'imapflow'
import { partitionUids, type ActionUids } from './existing-uids'
import type { NotApplied } from './types'
import { toSequenceSet } from './uid-set'
import { withFolder } from './with-folder'

/** An action that reached at least one message. */
export interface Applied extends ActionUids {
  applied: true
}

/** What a message action returns: applied to the messages still there, or nothing left to apply it to. */
export type ActionResult = Applied | (NotApplied & ActionUids)

type StoreMode = 'set' | 'add' | 'remove'

async function store(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  flags: readonly string[],
  mode: StoreMode,
): Promise<ActionResult> {
  return withFolder(client, folder, { operation: `${mode}Flags` }, async () => {
    const split = await partitionUids(client, uids)
    if (split.uids.length === 0) return { applied: false, reason: 'gone', ...split }
    const range = toSequenceSet(split.uids)
    // UID STORE … FLAGS.SILENT (RFC 9051 §6.4.6): setting a flag that is already set is a no-op, so
    // replaying the same action after a reconnect leaves the same state: these actions are idempotent.
    const list = [...flags]
    const ok =
      mode === 'set'
        ? await client.messageFlagsSet(range, list, { uid: true, silent: true })
        : mode === 'add'
          ? await client.messageFlagsAdd(range, list, { uid: true, silent: true })
          : await client.messageFlagsRemove(range, list, { uid: true, silent: true })
    if (!ok && list.length > 0) throw new Error(`STORE ${mode} ${list.join(' ')} was refused`)
    return { applied: true, ...split }
  })
}

/**
 * Replaces the flags of messages (`UID STORE … FLAGS`).
 * @returns `{ applied: false, reason: 'gone' }` when none of the UIDs exists any more; `gone` lists the
 *   UIDs that were missing in either case.
 */
export function setFlags(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<ActionResult> {
  return store(client, folder, uids, flags, 'set')
}

/** Adds flags (`UID STORE … +FLAGS`), e.g. `['\\Seen']` to mark read. Idempotent. See setFlags for the result. */
export function addFlags(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<ActionResult> {
  return store(client, folder, uids, flags, 'add')
}

/** Removes flags (`UID STORE … -FLAGS`). Idempotent. See setFlags for the result. */
export function removeFlags(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<ActionResult> {
  return store(client, folder, uids, flags, 'remove')
}
