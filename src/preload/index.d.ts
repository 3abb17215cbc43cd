import type { HarborBridge } from '../shared/bridge'

declare global {
  interface Window {
    /** Present only inside the Electron app; the web host has no bridge and uses a WebSocket instead. */
    harbor?: HarborBridge
  }
}
