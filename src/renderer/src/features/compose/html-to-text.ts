/**
 * The text/plain alternative of the composer's HTML (RFC 2046 §5.1.4: the same content, simplest first).
 * The editor produces a small, sanitized set of tags, so one pass over tags and text is enough and keeps
 * this testable without a DOM: blocks become lines (paragraphs get a blank line), list items get "• ",
 * blockquotes get ">" per level (the RFC 3676 quoting readers know), links keep their target in <…>.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const hex = code[1] === 'x' || code[1] === 'X'
      const n = hex ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole
    }
    return ENTITIES[code.toLowerCase()] ?? whole
  })
}

const BLOCK = new Set(['div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'tr', 'table', 'pre'])
const PARAGRAPH = new Set(['p'])

export function htmlToText(html: string): string {
  const lines: string[] = []
  let line = ''
  let depth = 0
  let link: { href: string; text: string } | null = null
  const prefix = (): string => (depth > 0 ? `${'>'.repeat(depth)} ` : '')
  const flush = (force = false): void => {
    // RFC 3676 §4.3: the signature separator is exactly "-- " (dash dash space); keep its space.
    const collapsed = line.replace(/[ \t\u00a0]+/g, ' ').trim()
    const text = collapsed === '--' ? '-- ' : collapsed
    if (text || force) lines.push(depth > 0 ? (prefix() + text).trimEnd() : text)
    line = ''
  }
  const blank = (): void => {
    flush()
    if (lines.length > 0 && lines.at(-1) !== '' && lines.at(-1) !== prefix().trim())
      lines.push(prefix().trim())
  }
  const tokens = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|([^<]+)/gi)
  for (const [, closing, rawName, attrs, text] of tokens) {
    if (text !== undefined) {
      const decoded = decodeEntities(text.replace(/\s+/g, ' '))
      if (link) link.text += decoded
      else line += decoded
      continue
    }
    const name = (rawName ?? '').toLowerCase()
    if (name === 'br') flush(true)
    else if (name === 'a' && !closing) {
      const href = /href\s*=\s*"([^"]*)"/i.exec(attrs ?? '')?.[1]
      link = href === undefined ? null : { href: decodeEntities(href), text: '' }
    } else if (name === 'a' && closing && link) {
      const { href, text: label } = link
      link = null
      line +=
        label.trim() === href || href.startsWith('mailto:') || !label.trim() ? label : `${label} <${href}>`
    } else if (name === 'blockquote') {
      blank()
      depth = closing ? Math.max(0, depth - 1) : depth + 1
    } else if (PARAGRAPH.has(name)) {
      if (closing) blank()
      else flush()
    } else if (BLOCK.has(name)) {
      flush()
      if (name === 'li' && !closing) line = '• '
      if ((name === 'ul' || name === 'ol') && closing) blank()
    }
  }
  flush()
  while (lines.length > 0 && /^>*$/.test(lines.at(-1)!)) lines.pop()
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
