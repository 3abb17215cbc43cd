/**
 * The one thing the preload script gives the renderer: a way to receive the core's MessagePort.
 * Channel names are a closed list; the preload refuses anything else.
 */
export const REQUEST_CORE_PORT_CHANNEL = 'harbor:request-core-port'
export const CORE_PORT_CHANNEL = 'harbor:core-port'
/** window.postMessage tag used to move the port from the isolated preload world into the page. */
export const CORE_PORT_MESSAGE = 'harbor:core-port'
/** invoke(name, bytes) → true when saved, false when the user cancelled the dialog. */
export const SAVE_FILE_CHANNEL = 'harbor:save-file'

/** The renderer asks main to show a new-mail notification (the OS's, through Electron's Notification). */
export const NOTIFY_CHANNEL = 'harbor:notify'

export interface DesktopNotice {
  title: string
  body: string
}

/** Main shows at most this much of a notice: it is a summary, never a message body. */
export const NOTICE_MAX_TITLE = 200
export const NOTICE_MAX_BODY = 500

export interface HarborBridge {
  readonly platform: string
  readonly isElectron: true
  /** Asks main for a fresh core port; it arrives as a window 'message' event tagged CORE_PORT_MESSAGE. */
  requestCorePort(): void
  /** Shows a desktop notification from main (no permission prompt: the app is installed by the user). */
  notify(notice: DesktopNotice): void
  /** Shows a save dialog proposing `fileName` and writes `bytes` there; false when the user cancelled. */
  saveFile?(fileName: string, bytes: Uint8Array): Promise<boolean>
}
