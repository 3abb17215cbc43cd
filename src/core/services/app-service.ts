import type { CoreMode } from '../../shared/contract'
import { PROTOCOL_VERSION } from '../../shared/rpc/protocol'
import type { HandlerMap } from '../rpc/server'

export interface AppServiceInfo {
  version: string
  mode: CoreMode
}

export type AppHandlers = Pick<HandlerMap, 'app.hello' | 'app.echo'>

/** Handshake and liveness; see `appMethods` in the contract. */
export function createAppHandlers(info: AppServiceInfo): AppHandlers {
  return {
    'app.hello': async () => ({
      coreVersion: info.version,
      protocolVersion: PROTOCOL_VERSION,
      platform: process.platform,
      mode: info.mode,
    }),
    'app.echo': async ({ text }) => ({ text }),
  }
}
