import type { z } from 'zod'
import { accountsEvents, accountsMethods } from './accounts'
import { appEvents, appMethods } from './app'
import { composeEvents, composeMethods } from './compose'
import { debugEvents, debugMethods } from './debug'
import { imapEvents, imapMethods } from './imap'
import { pop3Events, pop3Methods } from './pop3'
import { remoteEvents, remoteMethods } from './remote'
import { smtpEvents, smtpMethods } from './smtp'
import type { MethodSpec } from './define'

export { coreModeSchema, type CoreMode } from './app'
export { DEBUG_BYTES_DEFAULT_CHUNK, DEBUG_BYTES_MAX } from './debug'
export { REMOTE_IMAGE_MAX_BYTES } from './remote'

/**
 * The whole RPC surface between core and its clients (the renderer's sync worker, tests). Both sides validate
 * every payload against it: params and results, stream chunks and events. One file per service; method names
 * are `<service>.<verb>`.
 */
export const contract = {
  methods: {
    ...appMethods,
    ...debugMethods,
    ...accountsMethods,
    ...imapMethods,
    ...pop3Methods,
    ...smtpMethods,
    ...composeMethods,
    ...remoteMethods,
  },
  events: {
    ...appEvents,
    ...debugEvents,
    ...accountsEvents,
    ...imapEvents,
    ...pop3Events,
    ...smtpEvents,
    ...composeEvents,
    ...remoteEvents,
  },
} as const

type Methods = typeof contract.methods
type Events = typeof contract.events

export type MethodName = keyof Methods & string
export type EventName = keyof Events & string

/** What a caller passes (before zod defaults/transforms are applied). */
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>
/** What a handler receives, after validation. */
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>
/** `never` for methods that do not stream. */
export type ChunkOf<M extends MethodName> = Methods[M] extends { chunk: infer C extends z.ZodType }
  ? z.output<C>
  : never
export type EventData<E extends EventName> = z.output<Events[E]>

/** Own-property lookups only: a method name like `toString` or `__proto__` must never resolve to something. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract.methods, name)
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(contract.events, name)
}

export function methodSpec<M extends MethodName>(name: M): Methods[M] {
  return contract.methods[name]
}

export function eventSchema<E extends EventName>(name: E): Events[E] {
  return contract.events[name]
}

/** The chunk schema of a method, or undefined when it does not stream. */
export function chunkSchemaOf(name: MethodName): z.ZodType | undefined {
  const spec: MethodSpec = contract.methods[name]
  return spec.chunk
}
