import type { ArchiveCommand } from './archive/archive-commands'
import type { ComposeCommand } from './outbox/compose-worker'

/**
 * What the UI asks the sync worker to do. Every action is applied to the store at once (so the UI reacts
 * instantly, online or not), queued, and replayed to the server by the sync engine.
 */
export type WorkerCommand =
  /** Sync one account now (F9 / Send-Receive), or all when no id is given. */
  | { kind: 'sync-now'; accountId?: string }
  /** Add/remove IMAP-style flags (\Seen, \Flagged, \Answered …) on messages. */
  | { kind: 'set-flags'; messageIds: number[]; add: string[]; remove: string[] }
  | { kind: 'move'; messageIds: number[]; toFolderId: string }
  /** A copy in another folder, of this or another account (to an IMAP folder: APPEND, queued). */
  | { kind: 'copy'; messageIds: number[]; toFolderId: string }
  /** To the account's Trash; from Trash (or Junk), deleted for good. */
  | { kind: 'delete'; messageIds: number[] }
  | { kind: 'archive'; messageIds: number[] }
  /** Makes sure the message's raw bytes are in `bodies` (downloads them if needed); resolves when stored. */
  | { kind: 'load-body'; messageId: number }
  | { kind: 'create-folder'; accountId: string; parentPath: string | null; name: string }
  /** With `newParentPath`, the folder also moves under that folder (null: to the top level). */
  | { kind: 'rename-folder'; folderId: string; newName: string; newParentPath?: string | null }
  | { kind: 'delete-folder'; folderId: string }
  | { kind: 'empty-folder'; folderId: string }
  // Import and export of mbox and .eml (sync/archive).
  | ArchiveCommand
  // Compose (issue 7): drafts and the outbox, handled by sync/outbox/compose-worker.ts.
  | ComposeCommand
  /**
   * POP3: the user accepts this store after a reset core could not fully undo (src/core/pop3/NO-LOSS.md);
   * core resumes deleting from the server for it, and the account is checked at once.
   */
  | { kind: 'accept-store'; accountId: string }
  /** Closes the notice of a store reset that is resolved. */
  | { kind: 'dismiss-store-reset'; accountId: string }
  /** After the user removed an account (and confirmed losing its local-only mail): delete its local data. */
  | { kind: 'forget-account'; accountId: string }
  /**
   * Gives back the room that deleted mail holds in the body files now, not at the next idle time
   * (store/bodies/compact-bodies.ts); resolves with `{ freedBytes }`.
   */
  | { kind: 'compact-bodies' }
