import type { EventName, MethodName } from '../../../shared/contract'
import type { MailErrorData } from '../../../shared/errors'
import type { WorkerCommand } from './commands'

/** How the worker reaches the core: the Electron app hands a MessagePort, the web host a WebSocket URL. */
export type CoreEndpoint =
  { kind: 'port'; port: MessagePort } | { kind: 'websocket'; url: string; token: string }

export interface CoreInfo {
  coreVersion: string
  protocolVersion: number
  platform: string
  mode: 'electron' | 'web' | 'test'
}

/** UI → sync worker. */
export type ToWorker =
  | { type: 'connect'; endpoint: CoreEndpoint }
  /** Relayed to core as is; the worker validates it against the contract like any other call. */
  | { type: 'core-call'; id: number; method: MethodName; params: unknown }
  | { type: 'core-cancel'; id: number }
  | { type: 'command'; id: number; command: WorkerCommand }
  /** The user stopped a long command (an import); it ends early with what it did so far. */
  | { type: 'command-cancel'; id: number }

/** Sync worker → UI. */
export type FromWorker =
  | {
      type: 'core-state'
      state: 'connecting' | 'connected' | 'disconnected'
      info?: CoreInfo
      error?: MailErrorData
    }
  | { type: 'role'; role: 'writer' | 'reader' }
  /** The store had no room for a sync's writes (the error), or has taken them again (null). */
  | { type: 'store-full'; error: MailErrorData | null }
  | { type: 'core-result'; id: number; ok: true; result: unknown }
  | { type: 'core-result'; id: number; ok: false; error: MailErrorData }
  | { type: 'core-event'; name: EventName; data: unknown }
  /** A long command's progress (an import): as often as it has news, for the UI to show. */
  | { type: 'command-progress'; id: number; progress: unknown }
  | { type: 'command-result'; id: number; ok: true; result: unknown }
  | { type: 'command-result'; id: number; ok: false; error: MailErrorData }
