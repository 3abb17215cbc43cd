import { z } from 'zod'

/** How a connection is secured. 'none' is only ever used when the account explicitly allows plaintext. */
export const tlsModeSchema = z.enum(['implicit', 'starttls', 'none'])
export type TlsMode = z.infer<typeof tlsModeSchema>

export const serverSettingsSchema = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.int().min(1).max(65_535),
  tls: tlsModeSchema,
  username: z.string().min(1).max(320),
  /** Must be true for `tls: 'none'`: the user accepted that the password crosses the network unencrypted. */
  allowPlaintext: z.boolean().default(false),
})
export type ServerSettings = z.infer<typeof serverSettingsSchema>

/** What happens to mail on a POP3 server after it is downloaded (the three policies Outlook users know). */
export const pop3RetentionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('leave') }),
  z.object({ kind: z.literal('delete-after-days'), days: z.int().min(0).max(3650) }),
  z.object({ kind: z.literal('delete-when-deleted-locally') }),
])
export type Pop3Retention = z.infer<typeof pop3RetentionSchema>

/** Which IMAP message bodies are kept offline. */
export const bodyPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('on-open') }),
  z.object({ kind: z.literal('recent-days'), days: z.int().min(1).max(3650) }),
  z.object({ kind: z.literal('all') }),
])
export type BodyPolicy = z.infer<typeof bodyPolicySchema>

/** RFC 3676 §4.3 signatures are short; this also keeps accounts.json small. */
const signatureSchema = z.string().max(10_000).default('')

/**
 * An extra address the user sends from with this account (an alias the server accepts for them), with the
 * name and signature that go with it. The account's own address is the first identity and is not listed.
 */
export const sendingIdentitySchema = z.object({
  address: z.string().trim().min(3).max(320),
  name: z.string().max(200).default(''),
  signature: signatureSchema,
})
export type SendingIdentity = z.infer<typeof sendingIdentitySchema>

const commonAccountFields = {
  id: z.string().min(1).max(64),
  /** What the folder pane shows, e.g. "Work". */
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().min(3).max(320),
  displayName: z.string().max(200).default(''),
  incoming: serverSettingsSchema,
  smtp: serverSettingsSchema.nullable(),
  /**
   * Extra CA certificates (PEM) this account trusts besides the system's: for self-hosted servers and the
   * mail lab. Certificates are still verified; nothing here turns verification off.
   */
  trustedCaPem: z.string().max(65_536).nullable().default(null),
  /** Plain text put under new mail sent from `email`; empty for none. */
  signature: signatureSchema,
  /** Aliases, in the order the composer's From list shows them. */
  identities: z.array(sendingIdentitySchema).max(50).default([]),
}

export const accountConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    ...commonAccountFields,
    kind: z.literal('imap'),
    bodyPolicy: bodyPolicySchema.default({ kind: 'recent-days', days: 30 }),
  }),
  z.object({
    ...commonAccountFields,
    kind: z.literal('pop3'),
    retention: pop3RetentionSchema.default({ kind: 'leave' }),
    /** Messages above this size are downloaded as headers (TOP) until the user opens them; null = no limit. */
    maxFullDownloadBytes: z.int().min(1024).nullable().default(null),
  }),
])
export type AccountConfig = z.infer<typeof accountConfigSchema>
export type AccountConfigInput = z.input<typeof accountConfigSchema>

/** An account as given to `accounts.add`: everything but the id, which core assigns. */
export const newAccountSchema = z.discriminatedUnion('kind', [
  accountConfigSchema.options[0].omit({ id: true }),
  accountConfigSchema.options[1].omit({ id: true }),
])
export type NewAccount = z.input<typeof newAccountSchema>

export const accountSecretsSchema = z.object({
  incomingPassword: z.string().min(1).max(4096),
  /** Omitted when the SMTP server uses the same password. */
  smtpPassword: z.string().min(1).max(4096).optional(),
})
export type AccountSecrets = z.infer<typeof accountSecretsSchema>
