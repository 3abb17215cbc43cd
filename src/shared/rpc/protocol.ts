import { z } from 'zod'
import { ERROR_CODES, MailError, type MailErrorData } from '../errors'

/**
 * Bumped on any incompatible change to the envelope or to the meaning of an existing method. Core reports it
 * in `app.hello` so a stale renderer build can tell the user to reload instead of failing in odd ways.
 */
export const PROTOCOL_VERSION = 1

/** Request ids are chosen by the caller and are only unique per connection and direction. */
export const requestIdSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER)

export const mailErrorDataSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
})

export const requestMessageSchema = z.object({
  t: z.literal('req'),
  id: requestIdSchema,
  method: z.string().min(1).max(200),
  params: z.unknown(),
})

export const resultMessageSchema = z.object({
  t: z.literal('res'),
  id: requestIdSchema,
  ok: z.literal(true),
  result: z.unknown(),
})

export const errorMessageSchema = z.object({
  t: z.literal('res'),
  id: requestIdSchema,
  ok: z.literal(false),
  error: mailErrorDataSchema,
})

export const chunkMessageSchema = z.object({
  t: z.literal('chunk'),
  id: requestIdSchema,
  data: z.unknown(),
})

export const cancelMessageSchema = z.object({
  t: z.literal('cancel'),
  id: requestIdSchema,
})

export const eventMessageSchema = z.object({
  t: z.literal('evt'),
  name: z.string().min(1).max(200),
  data: z.unknown(),
})

export const rpcMessageSchema = z.union([
  requestMessageSchema,
  resultMessageSchema,
  errorMessageSchema,
  chunkMessageSchema,
  cancelMessageSchema,
  eventMessageSchema,
])

export type RequestMessage = z.infer<typeof requestMessageSchema>
export type ResultMessage = z.infer<typeof resultMessageSchema>
export type ErrorMessage = z.infer<typeof errorMessageSchema>
export type ChunkMessage = z.infer<typeof chunkMessageSchema>
export type CancelMessage = z.infer<typeof cancelMessageSchema>
export type EventMessage = z.infer<typeof eventMessageSchema>
export type RpcMessage = z.infer<typeof rpcMessageSchema>

export type EnvelopeResult =
  { ok: true; message: RpcMessage } | { ok: false; error: MailError; requestId: number | undefined }

/**
 * Validates the envelope only (payloads are checked later against the contract). When the message is broken
 * but still looks like a request with a usable id, that id is returned so the peer can be told what went
 * wrong instead of waiting for its timeout.
 */
export function parseEnvelope(raw: unknown): EnvelopeResult {
  const parsed = schemaFor(raw).safeParse(raw)
  if (parsed.success) return { ok: true, message: parsed.data }
  const detail = describeBadEnvelope(raw, parsed.error)
  return {
    ok: false,
    error: new MailError(
      'BAD_MESSAGE',
      'The mail engine received a message it could not understand.',
      detail,
    ),
    requestId: recoverRequestId(raw),
  }
}

/**
 * The one schema an envelope can match, picked by its `t` (and `ok`): the same checks as `rpcMessageSchema`,
 * without trying (and building errors for) every other member of the union first. That was most of the
 * envelope's cost per message, paid for every chunk of a download.
 */
function schemaFor(raw: unknown): z.ZodType<RpcMessage> {
  if (typeof raw !== 'object' || raw === null) return rpcMessageSchema
  switch (Reflect.get(raw, 't')) {
    case 'req':
      return requestMessageSchema
    case 'res':
      return Reflect.get(raw, 'ok') === false ? errorMessageSchema : resultMessageSchema
    case 'chunk':
      return chunkMessageSchema
    case 'cancel':
      return cancelMessageSchema
    case 'evt':
      return eventMessageSchema
    default:
      return rpcMessageSchema
  }
}

function recoverRequestId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const t: unknown = Reflect.get(raw, 't')
  if (t !== 'req') return undefined
  const id = requestIdSchema.safeParse(Reflect.get(raw, 'id'))
  return id.success ? id.data : undefined
}

function describeBadEnvelope(raw: unknown, error: z.ZodError): string {
  if (raw instanceof UndecodableMessage) return `undecodable message: ${raw.reason}`
  if (typeof raw !== 'object' || raw === null) return `envelope is ${raw === null ? 'null' : typeof raw}`
  const t: unknown = Reflect.get(raw, 't')
  if (typeof t !== 'string' || !['req', 'res', 'chunk', 'cancel', 'evt'].includes(t)) {
    return `unknown envelope type ${JSON.stringify(typeof t === 'string' ? t.slice(0, 40) : typeof t)}`
  }
  return `invalid ${t} envelope: ${summarizeZodError(error)}`
}

/**
 * Issue paths and messages only: zod's messages name the expected type, never the offending value, so a
 * password in bad params cannot leak into logs or error details this way.
 */
export function summarizeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ')
}

/** Delivered by a transport in place of a frame it could not decode, so the peer can report it like any other bad message. */
export class UndecodableMessage {
  constructor(readonly reason: string) {}
}

export function errorMessage(id: number, error: MailErrorData): ErrorMessage {
  return { t: 'res', id, ok: false, error }
}
