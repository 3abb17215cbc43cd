import { z } from 'zod'
import { method, type EventMap, type MethodMap } from './define'

const accountId = z.string().min(1)
/**
 * An addr-spec as it goes into MAIL FROM / RCPT TO (RFC 5321 §4.1.2): a dot-atom or a quoted-string local
 * part (`"john doe"@example.org` is valid and may hold spaces); non-ASCII only with SMTPUTF8.
 */
const envelopeAddress = z
  .string()
  .min(3)
  .max(320)
  .regex(/^(?:"(?:[^"\\\r\n]|\\[^\r\n])*"|[^\s<>"@\r\n]+)@[^\s<>\r\n@]+$/)

/** One recipient the server refused at RCPT TO, kept so the user sees exactly who did not get the mail. */
export const rejectedRecipientSchema = z.object({
  address: z.string(),
  code: z.enum(['RECIPIENT_REJECTED', 'RELAY_DENIED']),
  /** The server's reply, e.g. `550 5.1.1 <x@y>: Recipient address rejected: User unknown`. */
  response: z.string(),
})
export type RejectedRecipient = z.infer<typeof rejectedRecipientSchema>

export const smtpLimitsSchema = z.object({
  /** The EHLO SIZE value (RFC 1870); null when the server announced none (or SIZE 0: no fixed limit). */
  maxSize: z.int().min(1).nullable(),
  /** RFC 6531: the server takes non-ASCII addresses and UTF-8 headers. */
  smtpUtf8: z.boolean(),
  eightBitMime: z.boolean(),
})
export type SmtpLimits = z.infer<typeof smtpLimitsSchema>

/**
 * The "smtp" service: submission through the account's outgoing server (nodemailer). Core holds the password
 * and the TLS policy; the caller hands over finished RFC 5322 bytes (see `compose.build`) so a retry sends the
 * very same message, Message-ID included.
 */
export const smtpMethods = {
  /**
   * Connects, reads EHLO, authenticates and disconnects: what the composer needs to warn before sending.
   * Cached by core for a few minutes per account.
   * @throws AUTH_FAILED, TLS_UNTRUSTED, TLS_REQUIRED, TIMEOUT, NETWORK, NOT_FOUND (no outgoing server)
   */
  'smtp.limits': method({
    params: z.object({ accountId, refresh: z.boolean().default(false) }),
    result: smtpLimitsSchema,
  }),
  /**
   * Sends `raw` to the envelope recipients. With `hold: true` the send is two-phase, for the outbox's
   * exactly-once rule: once the server has accepted the envelope and received every byte of the message,
   * core streams one `ready` chunk and WAITS, holding back the final "." of DATA (RFC 5321 §4.1.1.4) until
   * `smtp.commit` names the ticket. Until then nothing can be delivered: if the caller cancels, its connection
   * closes, or no commit arrives within a minute, core drops the SMTP connection and the server discards
   * the half-received message.
   *
   * Recipients refused at RCPT come back in `rejected` when at least one was accepted; when all are refused
   * the call fails with RECIPIENT_REJECTED or RELAY_DENIED (detail: one server reply per line).
   * @throws AUTH_FAILED, RECIPIENT_REJECTED, RELAY_DENIED, MESSAGE_TOO_LARGE (the server's 552),
   * TLS_UNTRUSTED, TLS_REQUIRED, TIMEOUT, NETWORK, CONNECTION_REFUSED, CAPABILITY_MISSING (a non-ASCII address
   * and no SMTPUTF8), SERVER_ERROR (detail starts with the reply code; 4xx means "try again later")
   */
  'smtp.send': method({
    params: z.object({
      accountId,
      raw: z.instanceof(Uint8Array),
      envelope: z.object({ from: envelopeAddress, to: z.array(envelopeAddress).min(1).max(1000) }),
      hold: z.boolean().default(false),
    }),
    chunk: z.object({ phase: z.literal('ready'), ticket: z.string().min(16).max(64) }),
    result: z.object({
      accepted: z.array(z.string()),
      rejected: z.array(rejectedRecipientSchema),
      /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4F1…`. */
      response: z.string(),
      limits: smtpLimitsSchema,
    }),
  }),
  /** Lets a held `smtp.send` write the final "." of DATA. `committed: false` when that send is gone. */
  'smtp.commit': method({
    params: z.object({ ticket: z.string().min(16).max(64) }),
    result: z.object({ committed: z.boolean() }),
  }),
} satisfies MethodMap

export const smtpEvents = {} satisfies EventMap
