import type { ImapFlow } from 'imapflow'
import type { NotApplied } from './types'
import { withClient } from './with-folder'

/** A folder action that changed something on the server. */
export interface FolderApplied {
  applied: true
  path: string
}

export type FolderActionResult = FolderApplied | NotApplied

/** Whether a folder exists: STATUS answers NO [NONEXISTENT] for a missing one (RFC 9051 §6.3.11). */
async function exists(client: ImapFlow, path: string): Promise<boolean> {
  return (await client.status(path, { uidNext: true }).catch(() => false)) !== false
}

/**
 * Creates a folder (and subscribes it). Creating one that already exists is not an error:
 * `{ applied: false, reason: 'exists' }`, so replaying the action is harmless.
 */
export function createFolder(client: ImapFlow, path: string): Promise<FolderActionResult> {
  return withClient(client, `createFolder ${path}`, async () => {
    const res = await client.mailboxCreate(path)
    return res.created ? { applied: true, path: res.path } : { applied: false, reason: 'exists' }
  })
}

/**
 * Renames a folder. When the source is gone and the target exists, the rename already happened (another device,
 * or our own replay): `{ applied: false, reason: 'gone' }`.
 *
 * @throws MailError NOT_FOUND when neither exists; SERVER_ERROR when the server refuses (e.g. INBOX).
 */
export function renameFolder(client: ImapFlow, from: string, to: string): Promise<FolderActionResult> {
  return withClient(client, `renameFolder ${from}`, async () => {
    if (!(await exists(client, from)) && (await exists(client, to))) return { applied: false, reason: 'gone' }
    const res = await client.mailboxRename(from, to)
    return { applied: true, path: res.newPath }
  })
}

/** Deletes a folder; an already deleted one gives `{ applied: false, reason: 'gone' }`. */
export function deleteFolder(client: ImapFlow, path: string): Promise<FolderActionResult> {
  return withClient(client, `deleteFolder ${path}`, async () => {
    if (!(await exists(client, path))) return { applied: false, reason: 'gone' }
    // Deleting the selected folder would leave the session in a dead SELECTED state; close it first.
    if (client.mailbox !== false && client.mailbox.path === path) await client.mailboxClose()
    const res = await client.mailboxDelete(path)
    return { applied: true, path: res.path }
  })
}
