import { z } from 'zod'
import { ERROR_CODES } from '../errors'
import { method, type EventMap, type MethodMap } from './define'

export const DEBUG_BYTES_MAX = 64 * 1024 * 1024
export const DEBUG_BYTES_DEFAULT_CHUNK = 256 * 1024

/**
 * Diagnostics service, not a product feature: it exists so tests (unit and e2e) and support sessions can
 * exercise streaming, cancellation, large bodies and error mapping end to end through the real transports.
 * Nothing in the UI may depend on it.
 */
export const debugMethods = {
  /**
   * Counts from 1 to `to`, sending each step as a chunk `{ i }`, optionally waiting `delayMs` between steps,
   * then broadcasts `debug.tick { n }` and resolves with `{ total }`.
   * @throws CANCELLED when the caller aborts; core stops counting at once.
   */
  'debug.count': method({
    params: z.object({
      to: z.int().min(0).max(100_000),
      delayMs: z.int().min(0).max(10_000).optional(),
    }),
    result: z.object({ total: z.int() }),
    chunk: z.object({ i: z.int() }),
  }),
  /**
   * Streams `size` random bytes in chunks of `chunkSize` (default 256 KiB) and resolves with the size and the
   * SHA-256 (lowercase hex) of everything sent, so the caller can prove nothing was lost, reordered or
   * inflated on the way.
   */
  'debug.bytes': method({
    params: z.object({
      size: z.int().min(0).max(DEBUG_BYTES_MAX),
      chunkSize: z
        .int()
        .min(1024)
        .max(8 * 1024 * 1024)
        .optional(),
    }),
    result: z.object({ size: z.int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    chunk: z.instanceof(Uint8Array),
  }),
  /**
   * Always fails: with a MailError of the given code, or for `'crash'` with a plain Error, which must reach the
   * caller as INTERNAL with a generic message.
   */
  'debug.fail': method({
    params: z.object({ code: z.union([z.enum(ERROR_CODES), z.literal('crash')]) }),
    result: z.never(),
  }),
} satisfies MethodMap

export const debugEvents = {
  /** Sent to every connection when a `debug.count` finishes; `n` is how far it counted. */
  'debug.tick': z.object({ n: z.int() }),
} satisfies EventMap
