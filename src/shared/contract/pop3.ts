import { z } from 'zod'
import { method, type EventMap, type MethodMap } from './define'

const sessionId = z.string().min(1).max(64)
const messageNumber = z.int().min(1)
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)
const ledgerId = z.string().min(1).max(200)
const storeId = z.string().min(8).max(64)
const storeStandingSchema = z.enum(['known', 'reset', 'unknown'])

/** One message of the maildrop as listed in this session. */
export const pop3ListingEntrySchema = z.object({
  /** Message number: valid in this session only (RFC 1939 §5). */
  n: messageNumber,
  /** Octets as the server counts them (CRLF line ends, before dot-stuffing). */
  size: z.int().min(0),
  /**
   * What identifies the message across sessions: its UIDL (RFC 1939 §7), or, on servers without UIDL,
   * `#hdr:<sha256 of the TOP n 0 header block>:<size>` (see `idKind`).
   */
  id: ledgerId,
})
export type Pop3ListingEntry = z.infer<typeof pop3ListingEntrySchema>

/**
 * The "pop3" service. It is session-shaped on purpose: the worker stores each message durably between
 * RETR and DELE, so the order "bytes committed, then DELE, then QUIT" holds across the RPC. A session
 * belongs to the RPC connection that opened it; when that connection closes (worker or browser killed),
 * core drops the socket WITHOUT QUIT, so nothing marked for deletion is deleted (RFC 1939 §6).
 */
export const pop3Methods = {
  /**
   * Logs in to a POP3 account (TLS policy and password from core) and returns a session id. Opening a
   * second session for the same account on the same connection drops the first (without QUIT).
   * @throws AUTH_FAILED, MAILBOX_LOCKED (another client holds the maildrop), TLS_REQUIRED, TLS_UNTRUSTED,
   * TIMEOUT, NETWORK, NOT_FOUND (no such POP3 account) …
   */
  'pop3.open': method({
    params: z.object({
      accountId: z.string().min(1),
      /**
       * The identity of the store the caller writes to (a random id created with the database). Core allows
       * DELE only for the identity it trusts for this account; without one, this session may not DELE.
       */
      store: storeId.optional(),
    }),
    result: z.object({
      sessionId,
      /** CAPA names after login (RFC 2449 §5), e.g. TOP, UIDL, PIPELINING. */
      capabilities: z.array(z.string()),
      /** False when the server lacks UIDL: ids are then header hashes (weaker, see `pop3.list`). */
      uidl: z.boolean(),
      /** What core's safety copy says about the caller's store (src/core/pop3/NO-LOSS.md). */
      spool: z.object({
        /**
         * known: DELE allowed. reset: a different store than the one core trusts (the store was reset or
         * replaced); DELE is refused until `unconfirmed` is restored and confirmed (automatic when no copy
         * was ever dropped) or the user accepts it (`pop3.acceptStore`). unknown: no `store` was given.
         */
        standing: storeStandingSchema,
        /** Messages removed from the server that core holds a copy of and this store has not confirmed. */
        unconfirmed: z.array(ledgerId),
        /** Copies core dropped after its grace period: what a reset store could not get back. */
        dropped: z.int().min(0),
        /**
         * When core first saw this store as reset: while it is, and also in the one open that found it reset
         * and trusted it at once (nothing was ever removed from the server) so the user can be told.
         */
        resetAt: z.int().nullable(),
      }),
    }),
  }),
  /**
   * Streams core's safety copies of messages (to restore a store that lost them), one or more chunks per
   * message like `pop3.retr`, keyed by ledger id. Needs no server round trip.
   */
  'pop3.spooled': method({
    params: z.object({ sessionId, ids: z.array(ledgerId).min(1).max(10_000) }),
    chunk: z.object({
      id: ledgerId,
      bytes: z.instanceof(Uint8Array),
      end: z.boolean(),
      size: z.int().min(0).optional(),
      sha256: sha256Hex.optional(),
    }),
    result: z.object({ count: z.int().min(0) }),
  }),
  /**
   * The caller's store holds these messages durably (committed with strict durability). Returns the
   * store's standing afterwards: a reset store that now holds every copy becomes trusted, unless copies
   * were dropped earlier (then only the user can accept it).
   */
  'pop3.confirm': method({
    params: z.object({ sessionId, ids: z.array(ledgerId).max(100_000) }),
    result: z.object({ standing: storeStandingSchema }),
  }),
  /** The user accepts a reset store after being told what could not be restored; DELE resumes for it. */
  'pop3.acceptStore': method({
    params: z.object({ accountId: z.string().min(1), store: storeId }),
    result: z.object({ ok: z.literal(true) }),
  }),
  /**
   * The maildrop: LIST + UIDL, or LIST + TOP n 0 per message on servers without UIDL. Ids repeated in one
   * listing (only possible with header hashes) get `#2`, `#3` … appended in message-number order.
   */
  'pop3.list': method({
    params: z.object({
      sessionId,
      /**
       * false: on a server with UIDL, sizes are left out and no LIST is sent (a check that finds nothing new
       * needs none; ask `pop3.sizes` for the new messages). Without UIDL sizes always come: the ids need them.
       */
      sizes: z.boolean().optional(),
    }),
    result: z.object({
      idKind: z.enum(['uidl', 'header-hash']),
      messages: z.array(pop3ListingEntrySchema.partial({ size: true })),
    }),
  }),
  /** Sizes (LIST, RFC 1939 §5) of these messages of the session; one LIST for many, `LIST n` for a few. */
  'pop3.sizes': method({
    params: z.object({ sessionId, ns: z.array(messageNumber).min(1).max(1_000_000) }),
    result: z.object({ sizes: z.array(z.object({ n: messageNumber, size: z.int().min(0) })) }),
  }),
  /**
   * RETR of several messages, one after the other, streamed: each message arrives as one or more chunks
   * (at most 256 KiB each) in order; the last chunk of a message has `end: true` with its total size and
   * sha256. A message whose `end` chunk did not arrive is incomplete and must be thrown away.
   */
  'pop3.retr': method({
    params: z.object({ sessionId, ns: z.array(messageNumber).min(1).max(1000) }),
    chunk: z.object({
      n: messageNumber,
      bytes: z.instanceof(Uint8Array),
      end: z.boolean(),
      /** Only with `end`. */
      size: z.int().min(0).optional(),
      sha256: sha256Hex.optional(),
    }),
    result: z.object({ count: z.int().min(0), bytes: z.int().min(0) }),
  }),
  /** TOP n lines (RFC 1939 §7): the header block plus the first `lines` body lines, one chunk per message. */
  'pop3.top': method({
    params: z.object({ sessionId, ns: z.array(messageNumber).min(1).max(1000), lines: z.int().min(0) }),
    chunk: z.object({ n: messageNumber, bytes: z.instanceof(Uint8Array) }),
    result: z.object({ count: z.int().min(0) }),
  }),
  /**
   * Marks messages for deletion. Nothing is deleted until `pop3.quit` (RFC 1939 §6). Core first makes a
   * durable copy of each message in `ns` (from this session's RETR, else a new RETR), so a store that loses
   * it later can get it back; `discarded` are messages the user deleted for good, which get no copy.
   * @throws STORE_RESET when the session's store is not the one core trusts (nothing is marked).
   */
  'pop3.dele': method({
    params: z.object({
      sessionId,
      ns: z.array(messageNumber).max(100_000),
      /**
       * The caller's ledger id of each message in `ns` (same order), under which core files its copy and
       * names it in `unconfirmed` later; it differs from the listing's id for a header hash seen again
       * (`<id>~2`). Defaults to the listing's ids.
       */
      ids: z.array(ledgerId).max(100_000).optional(),
      discarded: z.array(messageNumber).max(100_000).optional(),
    }),
    result: z.object({ marked: z.int().min(0) }),
  }),
  /**
   * QUIT: the server enters the UPDATE state and removes the marked messages; the only call that deletes.
   * @throws SERVER_ERROR when the server answers -ERR: treat every DELE of the session as not done.
   */
  'pop3.quit': method({
    params: z.object({ sessionId }),
    result: z.object({ ok: z.literal(true) }),
  }),
  /** Drops the session without QUIT: every DELE mark is forgotten. Idempotent. */
  'pop3.close': method({
    params: z.object({ sessionId }),
    result: z.object({ closed: z.boolean() }),
  }),
} satisfies MethodMap

export const pop3Events = {} satisfies EventMap
