/**
 * Rows of the compose feature (schema version 3): drafts the user is writing and the outbox of messages
 * on their way out. Plain structured-cloneable data, like every row.
 */
import type { MailErrorData } from '../../../shared/errors'
import type { RejectedRecipient } from '../../../shared/contract/smtp'

export interface ComposeAddress {
  name: string
  address: string
}

/** A To/Cc/Bcc entry: one mailbox or an RFC 5322 §3.4 group. */
export type RecipientEntry = ComposeAddress | { group: string; members: ComposeAddress[] }

export interface DraftAttachment {
  /** Stable within the draft (React keys, removal). */
  id: string
  filename: string
  contentType: string
  size: number
  content: Uint8Array<ArrayBuffer>
  /**
   * Set for a picture shown inside the text (`<img src="cid:…">`, RFC 2392): sent in multipart/related, not
   * listed as an attachment, and dropped when the text no longer shows it.
   */
  contentId?: string
}

export type ComposeKind = 'new' | 'reply' | 'reply-all' | 'forward' | 'forward-attachment'

/** What the composer edits; saved locally within seconds and mirrored to the IMAP Drafts folder. */
export interface DraftContent {
  id: string
  accountId: string
  /** Fixed when the draft is created: every server copy and the sent message carry it (RFC 5322 §3.6.4). */
  messageId: string
  from: ComposeAddress
  to: RecipientEntry[]
  cc: RecipientEntry[]
  bcc: RecipientEntry[]
  subject: string
  /** Sanitized HTML of the editor. */
  html: string
  /** The plain-text alternative generated from it. */
  text: string
  attachments: DraftAttachment[]
  inReplyTo: string | null
  references: string[]
  /** The local message this answers or forwards: flagged \Answered / $Forwarded once sent. */
  source: { kind: ComposeKind; messageId: number } | null
  createdAt: number
}

export interface DraftRow extends DraftContent {
  updatedAt: number
  /** Bumped by every local save; the server copy is current when `serverRevision` equals it. */
  revision: number
  serverRevision: number
  /** The Drafts folder a copy was saved to, so a discard or send can remove it there. */
  serverFolder: string | null
  /** Discarded by the user; kept until the server copy is gone too. */
  discarded: boolean
}

/**
 * See the state machine in sync/outbox/outbox-state.ts. 'failed' and 'unknown' wait for the user.
 */
export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown'

export interface OutboxRow {
  id: string
  accountId: string
  messageId: string
  createdAt: number
  updatedAt: number
  state: OutboxState
  /** Within 'sending': 'connecting' until the app told core to finish DATA, then 'committing'. */
  phase: 'connecting' | 'committing' | null
  attempts: number
  nextAttemptAt: number
  /** The exact bytes every try sends (no Bcc header), fixed when queued. */
  raw: Uint8Array<ArrayBuffer>
  /** The Sent copy when it differs (it keeps Bcc); null = same as `raw`. */
  sentCopy: Uint8Array<ArrayBuffer> | null
  envelope: { from: string; to: string[] }
  subject: string
  /** The draft it was made from, to hand back to the composer when the user wants to edit it. */
  draft: DraftContent
  /** Where the draft's server copy lives, removed after sending. */
  draftFolder: string | null
  lastError: MailErrorData | null
  accepted: string[]
  rejected: RejectedRecipient[]
  sentAt: number | null
  /** Work after a successful send, each done exactly once. */
  followUp: { sentCopy: 'pending' | 'done' | 'skipped'; draftRemoved: boolean; sourceFlagged: boolean }
}
