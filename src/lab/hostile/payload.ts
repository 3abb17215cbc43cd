import type { HostileContext } from './types'

export const pad2 = (n: number): string => String(n).padStart(2, '0')

/** The body text a test looks for once a case is shown. */
export const markerOf = (id: number): string => `HOSTILE-CASE-${pad2(id)} visible`

/** What a script leaves behind if it ever runs; none of these may be found after opening the corpus. */
export const EXECUTED_PREFIX = 'EXECUTED-'
export const EXECUTED_STORAGE_KEY = 'hostile-executed'

/**
 * JavaScript that every active-content case tries to run: it marks the title, `window.name`, the app
 * origin's localStorage (reachable only if the code escaped the opaque-origin sandbox), the body text,
 * and calls the canary over fetch and an image. The marker is assembled at run time (`'EXEC'+'UTED-07'`),
 * so script source shown as inert text (a sanitizer leaving `ipt>…` of a split tag) never contains it:
 * `EXECUTED-07` anywhere means the code ran. Single-quoted strings only, so it fits a double-quoted HTML
 * attribute and a `javascript:` URL unchanged.
 */
export function execPayload(ctx: HostileContext, id: number, where: string): string {
  const url = `${ctx.canary}/exec-${pad2(id)}-${where}`
  return (
    `var t='${EXECUTED_PREFIX.slice(0, 4)}'+'${EXECUTED_PREFIX.slice(4)}${pad2(id)}';` +
    `document.title=t;window.name=t;` +
    `try{localStorage.setItem('${EXECUTED_STORAGE_KEY}',t)}catch(e){}` +
    `try{top.document.title=t}catch(e){}` +
    `document.body&&document.body.append(t);` +
    `fetch('${url}').catch(function(){});new Image().src='${url}-img'`
  )
}

/** A URL on the canary for a remote reference (image, CSS, font, frame…) of a case. */
export function canaryUrl(ctx: HostileContext, id: number, what: string): string {
  return `${ctx.canary}/case-${pad2(id)}-${what}`
}
