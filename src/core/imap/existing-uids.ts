import type { ImapFlow } from 'imapflow'
import { parseSequenceSet, toSequenceSet } from './uid-set'

/**
 * Which of `uids` still exist in the selected folder: `UID SEARCH UID <set>` (one round trip). Actions use it
 * to tell "done" from "already gone", because a UID STORE/COPY/MOVE on a missing UID is not an error in IMAP
 * (RFC 9051 §6.4.9: a UID that does not exist is silently ignored).
 */
export async function existingUids(client: ImapFlow, uids: readonly number[]): Promise<number[]> {
  if (uids.length === 0) return []
  const query = { uid: toSequenceSet(uids) }
  const found = client.capabilities.has('ESEARCH')
    ? await client.search(query, { uid: true, returnOptions: ['ALL'] })
    : await client.search(query, { uid: true })
  if (found === false || found === undefined) throw new Error('UID SEARCH failed')
  const present = new Set(Array.isArray(found) ? found : parseSequenceSet(found.all ?? ''))
  return uids.filter((u) => present.has(u))
}

/** The part of an action's outcome that says which messages it touched. */
export interface ActionUids {
  /** UIDs the action was applied to. */
  uids: number[]
  /** UIDs that were already gone from the folder (expunged or moved by another device). */
  gone: number[]
}

/** Splits requested UIDs into those present and those gone. */
export async function partitionUids(client: ImapFlow, uids: readonly number[]): Promise<ActionUids> {
  const unique = [...new Set(uids)]
  // A session keeps seeing messages another session expunged until the server reports the expunge (RFC 9051
  // §7.5.1); NOOP lets it do so now, so a message deleted elsewhere counts as gone rather than present.
  await client.noop()
  const present = await existingUids(client, unique)
  const set = new Set(present)
  return { uids: present, gone: unique.filter((u) => !set.has(u)) }
}
