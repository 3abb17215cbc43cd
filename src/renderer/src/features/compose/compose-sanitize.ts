import DOMPurify from 'dompurify'

/**
 * What the composer's HTML may contain: text formatting, lists, quotes, links and tables (quoted mail). No
 * scripts, forms, frames, styles that load anything, or remote images (they would be fetched when the
 * draft is shown and tell the sender it was opened): a picture stays only as `cid:`, one of the draft's own
 * parts. Used on paste, on quoted originals and before saving.
 */
const ALLOWED_TAGS = [
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'p',
  'div',
  'span',
  'br',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'h1',
  'h2',
  'h3',
  'h4',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'sub',
  'sup',
  'img',
]
const ALLOWED_ATTR = ['href', 'type', 'class', 'colspan', 'rowspan', 'src', 'alt', 'width', 'height']

export function sanitizeComposeHtml(html: string): string {
  const purify = DOMPurify()
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href') ?? ''
      if (!/^(https?:|mailto:)/i.test(href)) node.removeAttribute('href')
    }
    if (node.nodeName === 'IMG' && !/^cid:/i.test(node.getAttribute('src') ?? '')) node.remove()
  })
  return purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false })
}
