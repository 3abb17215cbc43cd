/**
 * The one thing the preload script gives the renderer: a way to receive the core's MessagePort.
 * Channel names are a closed list; the preload refuses anything else.
 */
export const REQUEST_CORE_PORT_CHANNEL = 'harbor:request-core-port'
export const CORE_PORT_CHANNEL = 'harbor:core-port'
/** window.postMessage tag used to move the port from the isolated preload world into the page. */
export const CORE_PORT_MESSAGE = 'harbor:core-port'

export interface HarborBridge {
  readonly platform: string
  readonly isElectron: true
  /** Asks main for a fresh core port; it arrives as a window 'message' event tagged CORE_PORT_MESSAGE. */
  requestCorePort(): void
}
