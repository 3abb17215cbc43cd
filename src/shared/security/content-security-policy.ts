/**
 * The app shell's Content-Security-Policy, served by both hosts (Electron's app:// protocol and the web host)
 * so the renderer runs under the same rules everywhere.
 *
 * - No inline or remote script: only the bundle from our own origin.
 * - style-src needs 'unsafe-inline' because Fluent UI (Griffel) inserts its atomic CSS rules at run time;
 *   styles cannot execute code, and message HTML never shares this document (it lives in a sandboxed frame).
 * - connect-src 'self' covers the web host's same-origin WebSocket (CSP3 lets 'self' match ws: on the same
 *   host and port); nothing else may be contacted from the UI: all network traffic belongs to the core.
 * - frame-src blob: is for the sandboxed message frame that later work renders mail into.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  'frame-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers every response of the app shell carries, besides the CSP. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()',
}
