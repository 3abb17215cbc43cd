/**
 * Row types of the local cache. IndexedDB cannot index booleans, so flags the list filters on are 0 | 1.
 * Everything here is plain data (structured-cloneable): no classes, no Dates.
 */
import type { BodyRef } from './bodies/body-files'

export type AccountKind = 'imap' | 'pop3'

export interface AccountRow {
  id: string
  kind: AccountKind
  name: string
  email: string
  /** Order in the folder pane. */
  position: number
}

/** RFC 6154 special-use roles, plus INBOX. */
export type SpecialUse = 'inbox' | 'drafts' | 'sent' | 'trash' | 'junk' | 'archive' | 'all' | 'flagged'

export interface FolderRow {
  /** `folderId(accountId, path)`. */
  id: string
  accountId: string
  path: string
  name: string
  delimiter: string | null
  parentPath: string | null
  specialUse: SpecialUse | null
  /** True for folders that exist only here (POP3 accounts, local archives). */
  local: boolean
  /** False for IMAP containers (\Noselect) that hold folders but no messages. */
  selectable: boolean
  uidValidity: number | null
  /** CONDSTORE mod-sequences are 63-bit (RFC 7162 §3.1.1): kept as a decimal string, never a lossy number. */
  highestModseq: string | null
  uidNext: number | null
  total: number
  unread: number
  syncedAt: number | null
  /**
   * The server's message count (EXISTS) at the moment the cache last completed this folder, in step with
   * `uidNext` and `highestModseq`; unlike `total`, which every listing overwrites. STATUS only proves a
   * folder unchanged when its count still equals this: a server whose HIGHESTMODSEQ does not rise on
   * expunge would otherwise hide the expunge. Absent on rows written before it existed (then the folder is
   * compared once).
   */
  syncedExists?: number | null
}

export interface AddressRow {
  name: string
  address: string
}

export interface MessageRow {
  id?: number
  accountId: string
  folderId: string
  /** IMAP UID in `folderId` under the folder's current UIDVALIDITY; null for local-only messages. */
  uid: number | null
  /** The POP3 UIDL this message was downloaded as, if any. */
  uidl: string | null
  messageId: string | null
  threadId: string
  /** Milliseconds since the epoch. */
  date: number
  from: AddressRow[]
  to: AddressRow[]
  cc: AddressRow[]
  subject: string
  /** '' until known: an IMAP header pass leaves it empty and its snippet lands in `snippets` later. */
  snippet: string
  flags: string[]
  unread: 0 | 1
  flagged: 0 | 1
  size: number
  hasAttachments: 0 | 1
  /**
   * 'none': only headers (IMAP, body not fetched yet); 'full': raw bytes stored (`body`, else `bodies`); 'headers-only': a POP3
   * message above the account's size limit, with its TOP bytes (header + first lines) stored until
   * the user opens it (schema version 2).
   */
  bodyState: 'none' | 'full' | 'headers-only'
  /**
   * Where the raw bytes are in the body files (store/bodies/body-store.ts). Absent for bytes stored before
   * those files: those are in `bodies`.
   */
  body?: BodyRef
  /**
   * Where a message the user moved offline came from, until the server has done the move: if the server
   * refuses it, the message goes back there. Absent for messages the server already placed.
   */
  origin?: { folderId: string; uid: number }
  /**
   * The words of subject, sender and recipients (`searchWordsOf`), for the multi-entry search index of schema
   * versions 4 and 5. Rows written since version 6 do not carry it: their words are in `messageWords`
   * (search-index.ts). Older rows keep it unused.
   */
  searchWords?: string[]
}

/**
 * The snippet of a message whose row was written without one (an IMAP folder's header pass), filled in by a
 * background pass (schema version 7). `id` is the message's id; `text` is '' for a message without text.
 */
export interface SnippetRow {
  id: number
  text: string
}

export interface BodyRow {
  messageId: number
  /** The raw RFC 5322 bytes as received: the source of truth for display, export and re-parsing. */
  raw: Uint8Array
  storedAt: number
}

export type PendingActionKind = 'imap' | 'append'

export interface PendingActionRow {
  id?: number
  accountId: string
  /** Which replayer owns it; the payload's shape depends on it ('imap': an ImapAction; 'append': an AppendAction). */
  kind: PendingActionKind
  payload: unknown
  /** Local message ids the action concerns, to put things right when the server refuses it. */
  messageIds: number[]
  /**
   * For an action on messages whose earlier move is still queued: where each message is on the server.
   * Their UIDs change when that move reaches the server, so the replayer updates these as moves settle and
   * acts on wherever the messages are by then; the payload's own folder and UIDs are ignored.
   */
  refs?: { path: string; uid: number }[]
  createdAt: number
  attempts: number
  lastError: string | null
}

/**
 * What a POP3 account has downloaded, by UIDL. A row is written in the same strict-durability transaction as
 * the message bytes, and only rows present here may ever be DELE'd on the server.
 */
export interface Pop3LedgerRow {
  accountId: string
  uidl: string
  messageId: number
  storedAt: number
  deletedFromServerAt: number | null
  /** The complete message is in `bodies` (false while only TOP headers are stored). Only then may it be DELE'd. */
  fullStored: boolean
  /**
   * When the user deleted the local copy for good (from Trash). The ledger row stays, so the message is
   * never downloaded again; under 'delete-when-deleted-locally' it is then DELE'd from the server.
   */
  deletedLocallyAt: number | null
  /** sha256 (hex) of the stored bytes as core computed them while reading them from the server. */
  sha256: string | null
}

export interface SyncStateRow {
  key: string
  value: unknown
}

const SEP = '\u0000'

/** Folder ids join account and path with NUL, which neither can contain. */
export function folderId(accountId: string, path: string): string {
  return `${accountId}${SEP}${path}`
}

/** A folder made here (by the user, or a local folder of a POP3 account): empty, never synced. */
export function newFolderRow(
  f: Pick<FolderRow, 'accountId' | 'path' | 'name' | 'delimiter' | 'parentPath' | 'specialUse' | 'local'>,
): FolderRow {
  return {
    id: folderId(f.accountId, f.path),
    ...f,
    selectable: true,
    uidValidity: null,
    highestModseq: null,
    uidNext: null,
    total: 0,
    unread: 0,
    syncedAt: null,
  }
}
