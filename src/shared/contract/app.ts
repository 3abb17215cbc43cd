import { z } from 'zod'
import { method, type EventMap, type MethodMap } from './define'

export const coreModeSchema = z.enum(['electron', 'web', 'test'])
export type CoreMode = z.infer<typeof coreModeSchema>

/** The "app" service: handshake and liveness. Every client calls `app.hello` first. */
export const appMethods = {
  /**
   * Handshake. The caller names itself (for core's logs) and learns which core it talks to.
   * @returns the core build version, the wire protocol version (compare with `PROTOCOL_VERSION`), the
   *   platform core runs on (`process.platform`) and whether core runs under Electron, the web host or tests.
   * @example const hello = await rpc.call('app.hello', { client: 'sync-worker' })
   */
  'app.hello': method({
    params: z.object({ client: z.string().min(1).max(200) }),
    result: z.object({
      coreVersion: z.string(),
      protocolVersion: z.int().min(1),
      platform: z.string(),
      mode: coreModeSchema,
    }),
  }),
  /**
   * Returns its input unchanged: a cheap round trip for connection checks.
   * @throws INVALID_PARAMS when `text` is longer than 10,000 characters.
   */
  'app.echo': method({
    params: z.object({ text: z.string().max(10_000) }),
    result: z.object({ text: z.string() }),
  }),
} satisfies MethodMap

export const appEvents = {
  /** Core's lifecycle: `ready` is sent to each new connection, `stopping` to all before core shuts down. */
  'core.status': z.object({ state: z.enum(['ready', 'stopping']), at: z.number() }),
} satisfies EventMap
