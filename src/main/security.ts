import { app, session, shell, type WebContents, type WebFrameMain } from 'electron'
import { APP_SECURITY_HEADERS } from '../shared/security/content-security-policy'
import { APP_ORIGIN } from './app-protocol'

/** Only these schemes may leave the app, and only to the system browser / mail handler. */
const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:'])

export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return EXTERNAL_SCHEMES.has(url.protocol) && (url.protocol === 'mailto:' || url.hostname !== '')
  } catch {
    return false
  }
}

/** What a message frame may show: its srcdoc document (about:srcdoc), or the blank page before it. */
export function isMessageFrameDocument(url: string): boolean {
  return url === 'about:srcdoc' || url === 'about:blank'
}

/**
 * A request from a message frame (any subframe: the app makes no others) may only be for inline data.
 * The app-wide rule below already cancels remote URLs; this one also keeps mail from probing the app's own
 * files (a relative `<img src>` in a srcdoc resolves against app://) and holds if that rule ever widens.
 */
export function isAllowedFromMessageFrame(url: string): boolean {
  return /^data:/i.test(url)
}

/** True for a subframe; a frame already gone counts as one (the stricter rule). */
function fromSubframe(frame: WebFrameMain | null | undefined): boolean {
  try {
    return Boolean(frame?.parent)
  } catch {
    return true
  }
}

function hardenWebContents(contents: WebContents, shellOrigin: string): void {
  // The shell is a single-page app: any navigation away from it is either a bug or an attack.
  const isShell = (url: string): boolean => url.startsWith(`${shellOrigin}/`)
  contents.on('will-navigate', (event, url) => {
    if (!isShell(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isShell(url)) event.preventDefault()
  })
  // will-navigate covers the main frame only. The only subframes the app makes are message frames
  // (srcdoc, sandboxed): they may load their document and nothing else — a link, a meta refresh or a form
  // in mail must not take one anywhere, even if the frame's CSP or the sanitizer were to miss it.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame && !isMessageFrameDocument(details.url)) details.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // New windows are never opened; links meant for the outside go to the system browser. The UI shows the
    // real link target before it asks for this (DESIGN.md, "Showing hostile mail safely").
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

/**
 * Applies the app-wide rules before any window exists. `devServerOrigin` is set only under `electron-vite dev`,
 * where the renderer comes from Vite's loopback dev server instead of app://.
 */
export function installSecurityPolicy(devServerOrigin?: string): void {
  const shellOrigin = devServerOrigin ?? APP_ORIGIN
  const devHost = devServerOrigin === undefined ? undefined : new URL(devServerOrigin).host
  // Vite's dev server also speaks ws:// (hot reload) on the same host and port.
  const isDevServerUrl = (url: string): boolean =>
    devHost !== undefined && /^(https?|wss?):/.test(url) && new URL(url).host === devHost
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, ...toHeaderLists(APP_SECURITY_HEADERS) } })
  })
  // Nothing in the renderer may reach the network: mail traffic belongs to the core. Only our own protocol
  // and in-memory URLs load; everything else (remote images in a message, trackers, fonts) is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    if (fromSubframe(details.frame)) {
      callback({ cancel: !isAllowedFromMessageFrame(details.url) })
      return
    }
    const allowed = /^(app|blob|data|devtools):/.test(details.url) || isDevServerUrl(details.url)
    callback({ cancel: !allowed })
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shellOrigin))
}

function toHeaderLists(headers: Readonly<Record<string, string>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]))
}
