/**
 * Remote references in CSS, for the sanitizer's "block remote content" rule. A `url(...)` regex alone misses
 * `@import "//host/x.css"` (a plain string), `image-set("…")`, and CSS escapes such as `\75 rl(` for
 * `url(` (CSS Syntax §4.3.7): the e2e hostile corpus showed all three reaching the network layer, stopped
 * only by the frame's CSP. Escapes are decoded first, then every remote `url()`, every quoted remote string
 * and every `@import` is removed; what stays cannot name another host.
 */
const ESCAPE = /\\([0-9a-f]{1,6})[ \t\r\n\f]?|\\([^\r\n\f0-9a-f])/gi
const REMOTE_URL = /url\(\s*(['"]?)\s*(?:[a-z][a-z0-9+.-]*:)?\/\/[^)]*\)/gi
const REMOTE_STRING = /(['"])\s*(?:[a-z][a-z0-9+.-]*:)?\/\/.*?\1/gi
const IMPORT = /@import[^;]*;?/gi

export function stripRemoteCss(css: string): { css: string; count: number } {
  let count = 0
  const decoded = css.replace(ESCAPE, (_m, hex: string | undefined, ch: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff) || 0xfffd) : ch!,
  )
  const out = decoded
    .replace(IMPORT, () => {
      count++
      return ''
    })
    .replace(REMOTE_URL, () => {
      count++
      return 'none'
    })
    .replace(REMOTE_STRING, () => {
      count++
      return "''"
    })
  // Decoding can turn `\3c /style\3e` into `</style>`; written back into a <style> element and serialized
  // into the frame's srcdoc, that would end the element there. `<` has no meaning in CSS outside strings
  // and comments, and `\3c ` is the same character inside them.
  return { css: count > 0 ? out.replace(/</g, '\\3c ') : css, count }
}
