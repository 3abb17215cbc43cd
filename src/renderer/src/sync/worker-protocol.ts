import type { MailErrorData } from '../../../shared/errors'

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
  { type: 'connect'; endpoint: CoreEndpoint } | { type: 'ping'; id: number; text: string }

/** Sync worker → UI. */
export type FromWorker =
  | {
      type: 'core-state'
      state: 'connecting' | 'connected' | 'disconnected'
      info?: CoreInfo
      error?: MailErrorData
    }
  | { type: 'role'; role: 'writer' | 'reader' }
  | { type: 'pong'; id: number; text: string; roundTripMs: number }
  | { type: 'ping-failed'; id: number; error: MailErrorData }
