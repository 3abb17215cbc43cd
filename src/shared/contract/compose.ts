import { z } from 'zod'
import { method, type EventMap, type MethodMap } from './define'

const accountFolder = { accountId: z.string().min(1), folder: z.string().min(1) }
/** `<local@domain>` as RFC 5322 §3.6.4 writes msg-id (brackets included). */
export const messageIdSchema = z
  .string()
  .max(250)
  .regex(/^<[^<>\s]+@[^<>\s]+>$/)

export const mailboxSchema = z.object({
  name: z.string().max(500).default(''),
  /** addr-spec; may hold non-ASCII (RFC 6531) when the server offers SMTPUTF8. */
  address: z.string().min(3).max(320),
})
export type Mailbox = z.infer<typeof mailboxSchema>

/** A To/Cc/Bcc entry: one mailbox, or an RFC 5322 §3.4 group (`Team: a@x, b@y;`, members may be empty). */
export const addressEntrySchema = z.union([
  mailboxSchema,
  z.object({ group: z.string().min(1).max(500), members: z.array(mailboxSchema).max(1000) }),
])
export type AddressEntry = z.infer<typeof addressEntrySchema>

export const outgoingAttachmentSchema = z.object({
  filename: z.string().min(1).max(1000),
  contentType: z.string().min(3).max(200),
  content: z.instanceof(Uint8Array),
  /** A forwarded message travels as message/rfc822 with its bytes untouched (RFC 2046 §5.2.1). */
  /** A picture the HTML shows as `cid:<contentId>` (RFC 2392): sent inline, in multipart/related. */
  contentId: z
    .string()
    .min(1)
    .max(250)
    .regex(/^[^<>\s]+$/)
    .optional(),
})
export type OutgoingAttachment = z.infer<typeof outgoingAttachmentSchema>

/** Everything a message is made of; core turns it into RFC 5322 bytes with nodemailer's MailComposer. */
export const outgoingMessageSchema = z.object({
  /** Fixed by the caller before the first try, so a retry after a crash can be recognised. */
  messageId: messageIdSchema,
  /** Milliseconds since the epoch: fixed too, so every build of the same draft has the same Date. */
  date: z.number(),
  from: mailboxSchema,
  to: z.array(addressEntrySchema).max(1000).default([]),
  cc: z.array(addressEntrySchema).max(1000).default([]),
  bcc: z.array(addressEntrySchema).max(1000).default([]),
  subject: z.string().max(4000).default(''),
  text: z.string(),
  /** Sanitized HTML; null for a plain-text message. */
  html: z.string().nullable().default(null),
  inReplyTo: messageIdSchema.nullable().default(null),
  references: z.array(messageIdSchema).max(500).default([]),
  attachments: z.array(outgoingAttachmentSchema).max(500).default([]),
})
export type OutgoingMessage = z.input<typeof outgoingMessageSchema>
export type ParsedOutgoingMessage = z.output<typeof outgoingMessageSchema>

/**
 * The "compose" service: building messages and keeping copies of them on the account's IMAP server
 * (Sent, Drafts). Every call is idempotent by Message-ID so the outbox and the draft sync can replay it.
 */
export const composeMethods = {
  /**
   * Builds the RFC 5322 bytes (MIME by MailComposer: RFC 2047 names and subject, RFC 2231 filenames,
   * multipart/alternative text + HTML). `keepBcc` keeps the Bcc header: true for the Sent copy and drafts,
   * false (default) for the bytes that go to the server (RFC 5322 §3.6.3).
   */
  'compose.build': method({
    params: z.object({ message: outgoingMessageSchema, keepBcc: z.boolean().default(false) }),
    result: z.object({
      raw: z.instanceof(Uint8Array),
      /** Every addr-spec the envelope needs (To, Cc, Bcc, group members), de-duplicated. */
      recipients: z.array(z.string()),
    }),
  }),
  /**
   * APPENDs a sent message to `folder` with \Seen, unless a message with that Message-ID is already there
   * (a replay, or a server that files sent mail itself): `stored: 'exists'`.
   */
  'compose.store-sent': method({
    params: z.object({ ...accountFolder, raw: z.instanceof(Uint8Array), messageId: messageIdSchema }),
    result: z.object({ stored: z.enum(['appended', 'exists']), uid: z.int().min(1).nullable() }),
  }),
  /**
   * Replaces the server copy of a draft: APPENDs `raw` with \Draft \Seen, then removes every OTHER copy
   * with the same Message-ID (older saves). A crash in between leaves two copies, which the next save removes.
   */
  'compose.save-draft': method({
    params: z.object({ ...accountFolder, raw: z.instanceof(Uint8Array), messageId: messageIdSchema }),
    result: z.object({ uid: z.int().min(1).nullable(), removed: z.int().min(0) }),
  }),
  /** Removes every copy of a draft (it was sent or discarded). `removed: 0` when there was none. */
  'compose.remove-draft': method({
    params: z.object({ ...accountFolder, messageId: messageIdSchema }),
    result: z.object({ removed: z.int().min(0) }),
  }),
} satisfies MethodMap

export const composeEvents = {} satisfies EventMap
