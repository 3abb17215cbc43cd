import DOMPurify from 'dompurify'
import { stripRemoteCss } from './safety/css-remote'

export interface SafeHtml {
  /** The whole srcdoc document, CSP included. */
  document: string
  /** Real link targets; the document's links point at `linkUrl(i, nonce)` instead. */
  links: string[]
  /** How many remote resources (images, CSS backgrounds) the message asks for. */
  remoteCount: number
  /** Remote picture addresses of `<img src>`: what core may fetch once the user consents. */
  remoteImageUrls: string[]
  nonce: string
}

/**
 * Links are rewritten to hosts under .invalid (RFC 2606: never resolves). A click makes the sandboxed frame
 * navigate there; the app's CSP (frame-src blob:) blocks that navigation and reports it to the page as a
 * securitypolicyviolation whose blockedURI carries the host, i.e. the link's number. That is how the page
 * learns about a click inside a frame that may run no script and shares no origin with it. Should the CSP
 * ever allow the navigation, it still goes nowhere.
 */
export const LINK_HOST_SUFFIX = '.link.harbor.invalid'

export function linkUrl(index: number, nonce: string): string {
  return `https://l${index}-${nonce}${LINK_HOST_SUFFIX}/`
}

/** The link number from a CSP report's blockedURI, if it is one of ours for this nonce. */
export function linkIndexFromBlockedUri(blockedUri: string, nonce: string): number | null {
  const match = /^https:\/\/l(\d+)-([a-z0-9]+)\.link\.harbor\.invalid(?:[/:]|$)/.exec(blockedUri)
  return match && match[2] === nonce ? Number(match[1]) : null
}

const REMOTE = /^\s*(https?:)?\/\//i

/**
 * The frame never loads anything from the network, consent or not: pictures the user allowed arrive as
 * data: URLs fetched by core (see `remote.fetchImage`), so `img-src data:` is all it needs.
 */
function frameCsp(): string {
  return [
    "default-src 'none'",
    'img-src data:',
    "style-src 'unsafe-inline'",
    "font-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ')
}

const FRAME_STYLE = `
  html { color-scheme: light; }
  body { margin: 16px; font: 14px/1.5 "Segoe UI", system-ui, -apple-system, sans-serif; color: #242424;
         background: #fff; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  img[data-blocked] { display: none; }
  pre { white-space: pre-wrap; }
  a { color: #0f6cbd; }
  blockquote { border-left: 3px solid #d1d1d1; margin: 0 0 0 4px; padding-left: 12px; color: #424242; }
`

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .replace(/[^a-z0-9]/g, '')
}

/**
 * Sanitizes a message's HTML with DOMPurify and wraps it in a document for `<iframe sandbox srcdoc>`:
 * no script, no forms, no embedded frames; cid: images become data: URLs; remote pictures are removed unless
 * `remoteImages` holds their bytes (as data: URLs core fetched on the user's consent); other remote content
 * (CSS backgrounds, srcset, fonts) is always removed. The frame's CSP blocks the network as well, so the two
 * guards fail independently.
 */
export function sanitizeMessageHtml(
  html: string,
  options: { remoteImages: ReadonlyMap<string, string>; cidUrls: Map<string, string> },
): SafeHtml {
  const nonce = randomNonce()
  const links: string[] = []
  let remoteCount = 0
  const remoteImageUrls = new Set<string>()
  const purify = DOMPurify()
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A' && node.hasAttribute('href')) {
      const href = node.getAttribute('href') ?? ''
      if (href.startsWith('#')) {
        node.removeAttribute('href')
      } else {
        node.setAttribute('href', linkUrl(links.length, nonce))
        // Hovering shows the real target (the status bubble would show the rewritten one).
        node.setAttribute('title', href)
        links.push(href)
      }
      node.removeAttribute('target')
      node.removeAttribute('ping')
    }
    for (const attr of ['src', 'background', 'poster']) {
      const value = node.getAttribute(attr)
      if (value === null) continue
      if (value.toLowerCase().startsWith('cid:')) {
        const url = options.cidUrls.get(value.slice(4).replace(/^<|>$/g, ''))
        if (url) node.setAttribute(attr, url)
        else node.removeAttribute(attr)
      } else if (REMOTE.test(value)) {
        remoteCount++
        const url = value.trim().startsWith('//') ? `https:${value.trim()}` : value.trim()
        const fetched = node.nodeName === 'IMG' && attr === 'src' ? options.remoteImages.get(url) : undefined
        if (node.nodeName === 'IMG' && attr === 'src') remoteImageUrls.add(url)
        if (fetched) {
          node.setAttribute(attr, fetched)
        } else {
          node.removeAttribute(attr)
          node.setAttribute('data-blocked', '')
        }
      }
    }
    if (node.hasAttribute('srcset')) {
      remoteCount++
      node.removeAttribute('srcset')
    }
    const style = node.getAttribute('style')
    const stripped = style ? stripRemoteCss(style) : null
    if (style && stripped && stripped.count > 0) {
      remoteCount++
      node.setAttribute('style', stripped.css)
    }
  })
  purify.addHook('uponSanitizeElement', (node, data) => {
    const stripped = data.tagName === 'style' && node.textContent ? stripRemoteCss(node.textContent) : null
    if (stripped && stripped.count > 0) {
      remoteCount++
      node.textContent = stripped.css
    }
  })
  const body = purify.sanitize(html, {
    FORBID_TAGS: [
      'form',
      'input',
      'button',
      'select',
      'textarea',
      'base',
      'meta',
      'link',
      'iframe',
      'frame',
      'object',
      'embed',
    ],
    FORBID_ATTR: ['action', 'formaction', 'ping'],
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ADD_ATTR: ['target'],
    FORCE_BODY: true,
  })
  const document = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${frameCsp()}"><style>${FRAME_STYLE}</style></head><body>${body}</body></html>`
  return { document, links, remoteCount, remoteImageUrls: [...remoteImageUrls], nonce }
}
