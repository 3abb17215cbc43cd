/**
 * Plain, serializable types of the IMAP layer. They cross the RPC boundary as they are, so nothing here
 * holds a bigint, a Set or a Map: mod-sequences (63-bit, RFC 7162 §3) travel as decimal strings.
 */

/** How the connection is protected. `none` needs `allowPlaintext: true` on the account. */
export type ImapTlsMode = 'implicit' | 'starttls' | 'none'

/** Timeouts in milliseconds; each bounds one phase, none of them the whole session. */
export interface ImapTimeouts {
  /** DNS + TCP + TLS handshake (implicit TLS). Default 15 s. */
  connect?: number
  /** From TCP connect to the server greeting. Default 15 s. */
  greeting?: number
  /** Inactivity while a command waits for its answer (also STARTTLS, LOGIN). Default 60 s. */
  socket?: number
}

/** What it takes to open one IMAP connection for an account. */
export interface ImapAccountConfig {
  host: string
  port: number
  tls: ImapTlsMode
  username: string
  password: string
  /** Extra trusted CA certificates (PEM), added to Node's default roots, never replacing verification. */
  ca?: string[]
  /** The user explicitly allowed a cleartext connection for this account (DESIGN.md: TLS by default). */
  allowPlaintext?: boolean
  timeouts?: ImapTimeouts
}

/** RFC 6154 special-use attributes we act on, plus INBOX. */
export type SpecialUse =
  '\\Inbox' | '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged'

/** One mailbox as LIST + STATUS describe it. */
export interface FolderInfo {
  /** Full path as the server names it (UTF-8, decoded from modified UTF-7). */
  path: string
  /** Last path segment. */
  name: string
  /** Hierarchy delimiter, `null` for a flat namespace. */
  delimiter: string | null
  /** Path of the parent folder, `null` at the top level. */
  parentPath: string | null
  specialUse: SpecialUse | null
  /** Where specialUse came from: the server (RFC 6154 / XLIST) or a guess from a common folder name. */
  specialUseSource: 'server' | 'name' | null
  subscribed: boolean
  /** Mailbox attributes as listed (`\Noselect`, `\HasChildren`, …). */
  flags: string[]
  /** False for `\Noselect` / `\NonExistent` containers (RFC 9051 §7.3.1). */
  selectable: boolean
  /** STATUS of a selectable folder; null for containers or when the server refused STATUS. */
  status: FolderStatus | null
}

export interface FolderStatus {
  messages: number
  unseen: number
  uidNext: number
  uidValidity: number
  /** Decimal string; absent when the server has no CONDSTORE for this mailbox. */
  highestModseq?: string
}

export interface Address {
  name: string
  address: string
}

/** What the message list needs about one message, from one FETCH round trip per batch (+ snippets). */
export interface HeaderRecord {
  uid: number
  flags: string[]
  /** INTERNALDATE as ISO 8601. */
  internalDate: string
  size: number
  /** Date header as ISO 8601, null when missing or unparseable. */
  date: string | null
  subject: string
  from: Address[]
  sender: Address[]
  replyTo: Address[]
  to: Address[]
  cc: Address[]
  bcc: Address[]
  /** With angle brackets, as in the header; null when the message has none. */
  messageId: string | null
  inReplyTo: string | null
  /** Message-IDs of the References header, oldest first. */
  references: string[]
  /** List-Id value without the angle brackets' surroundings (RFC 2919), e.g. `dev.lists.example`. */
  listId: string | null
  hasAttachments: boolean
  /** Up to ~200 characters of the first text part, whitespace collapsed; null when not fetched. */
  snippet: string | null
  /** Decimal string; absent without CONDSTORE. */
  modseq?: string
}

/** A value, not an exception: the server no longer has what the action was about. */
export interface NotApplied {
  applied: false
  reason: 'gone' | 'exists'
}
