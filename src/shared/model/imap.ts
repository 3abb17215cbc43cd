import { z } from 'zod'

/**
 * Wire shapes of the IMAP service. They mirror src/core/imap/types.ts (the core side is type-checked against
 * these through the handler map). Mod-sequences are decimal strings: they are 63-bit (RFC 7162 §3).
 */
export const specialUseSchema = z.enum([
  '\\Inbox',
  '\\Sent',
  '\\Drafts',
  '\\Trash',
  '\\Junk',
  '\\Archive',
  '\\All',
  '\\Flagged',
])

export const folderStatusSchema = z.object({
  messages: z.int().min(0),
  unseen: z.int().min(0),
  uidNext: z.int().min(0),
  uidValidity: z.number(),
  highestModseq: z.string().optional(),
})

export const folderInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  delimiter: z.string().nullable(),
  parentPath: z.string().nullable(),
  specialUse: specialUseSchema.nullable(),
  specialUseSource: z.enum(['server', 'name']).nullable(),
  subscribed: z.boolean(),
  flags: z.array(z.string()),
  selectable: z.boolean(),
  status: folderStatusSchema.nullable(),
})
export type FolderInfoWire = z.infer<typeof folderInfoSchema>

export const addressSchema = z.object({ name: z.string(), address: z.string() })

export const headerRecordSchema = z.object({
  uid: z.int().min(1),
  flags: z.array(z.string()),
  internalDate: z.string(),
  size: z.int().min(0),
  date: z.string().nullable(),
  subject: z.string(),
  from: z.array(addressSchema),
  sender: z.array(addressSchema),
  replyTo: z.array(addressSchema),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  bcc: z.array(addressSchema),
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  listId: z.string().nullable(),
  hasAttachments: z.boolean(),
  snippet: z.string().nullable(),
  modseq: z.string().optional(),
})
export type HeaderRecordWire = z.infer<typeof headerRecordSchema>
