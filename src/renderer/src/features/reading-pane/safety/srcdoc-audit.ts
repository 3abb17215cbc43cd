/**
 * A second, independent look at a finished frame document: the srcdoc string is parsed again the way the
 * frame will parse it, and everything that could run or reach the network is listed. DOMPurify checks its
 * own DOM; what the frame receives is that DOM serialized and re-parsed, and every hook that edits the DOM
 * after DOMPurify looked at it (links, remote CSS) sits between the two. This check sees the final string.
 */

/** Elements that run code, load a document or a plugin, submit, or change the document's base or policy. */
const ACTIVE_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'fencedframe',
  'form',
  'base',
  'link',
  'noscript',
])

/** Attributes that hold a URL the browser may load or navigate to. */
const URL_ATTRIBUTES = new Set([
  'href',
  'xlink:href',
  'src',
  'action',
  'formaction',
  'background',
  'poster',
  'data',
  'codebase',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
])

const SCRIPT_URL = /^(?:javascript|vbscript|livescript):/i
const REMOTE_CSS = /url\s*\(\s*['"]?\s*(?:[a-z][a-z0-9+.-]*:)?\/\/|@import/i
// Controls and whitespace the URL parser drops before it reads the scheme (WHATWG URL: C0 and space).
// eslint-disable-next-line no-control-regex
const URL_NOISE = /[\u0000-\u0020\u007f]/g

export interface AuditOptions {
  /** Remote images and CSS are allowed (the user chose to show them): only code and frames count. */
  allowRemote: boolean
}

/**
 * What in `srcdoc` could run or leak: an empty list means nothing. `DOMParser` parses with scripting
 * disabled, as the sandboxed frame does, so both build the same tree (noscript content included).
 */
export function auditSrcdoc(srcdoc: string, options: AuditOptions): string[] {
  const findings: string[] = []
  const doc = new DOMParser().parseFromString(srcdoc, 'text/html')
  const metas = doc.querySelectorAll('meta')
  // Exactly the two the sanitizer writes itself: the charset and the frame's CSP, first in <head>.
  if (metas.length !== 2 || metas[0]?.getAttribute('charset') !== 'utf-8') {
    findings.push(`meta: ${metas.length} meta elements instead of the frame's own two`)
  }
  const styles = doc.querySelectorAll('style')
  const visit = (root: ParentNode): void => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const name = el.localName
      if (ACTIVE_ELEMENTS.has(name)) findings.push(`element <${name}>`)
      if (name === 'meta' && el.closest('body')) findings.push('element <meta> in the body')
      for (const attr of Array.from(el.attributes)) {
        const attrName = attr.name.toLowerCase()
        if (attrName.startsWith('on')) findings.push(`<${name} ${attr.name}>`)
        if (attrName === 'srcdoc') findings.push(`<${name} srcdoc>`)
        const value = attr.value.replace(URL_NOISE, '')
        if (URL_ATTRIBUTES.has(attrName) || attrName.endsWith(':href')) {
          if (SCRIPT_URL.test(value)) findings.push(`<${name} ${attr.name}="${value.slice(0, 40)}">`)
          // An image, SVG included, runs no script and loads nothing (SVG as an image is scripting-disabled).
          const image = name === 'img' && attrName === 'src' && /^data:image\//i.test(value)
          if (/^data:/i.test(value) && !image) {
            findings.push(`<${name} ${attr.name}="${value.slice(0, 40)}"> (data: other than an image)`)
          }
        }
        if (!options.allowRemote) {
          if (
            (attrName === 'src' || attrName === 'background' || attrName === 'poster') &&
            /^\/\/|^https?:/i.test(value)
          ) {
            findings.push(`<${name} ${attr.name}> remote`)
          }
          if (attrName === 'srcset' || attrName === 'imagesrcset') findings.push(`<${name} ${attr.name}>`)
          if (attrName === 'style' && REMOTE_CSS.test(attr.value)) findings.push(`<${name} style> remote CSS`)
        }
      }
      if (name === 'template') visit((el as HTMLTemplateElement).content)
    }
  }
  visit(doc)
  if (!options.allowRemote) {
    for (const style of Array.from(styles)) {
      if (REMOTE_CSS.test(style.textContent ?? '')) findings.push('<style> with remote CSS')
    }
  }
  return findings
}
