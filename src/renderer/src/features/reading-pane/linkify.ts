export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

// http(s) URLs, www. hosts and mailto:; trailing punctuation is usually sentence, not URL.
const URL_RE = /\b(?:https?:\/\/|www\.|mailto:)[^\s<>"']+/gi
const TRAILING = /[.,;:!?)\]}>'"]+$/

/** Splits plain-text mail into text and detected links; rendering stays React text (no HTML involved). */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0]
    const trail = TRAILING.exec(url)?.[0] ?? ''
    // Keep a closing parenthesis that belongs to the URL (Wikipedia style).
    if (trail.startsWith(')') && url.includes('(')) url = url.slice(0, url.length - trail.length + 1)
    else url = url.slice(0, url.length - trail.length)
    const start = match.index
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) })
    const href = url.toLowerCase().startsWith('www.') ? `https://${url}` : url
    parts.push({ kind: 'link', text: url, href })
    last = start + url.length
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) })
  return parts
}

/** Only these open outside; anything else (javascript:, file:, data:, custom schemes) is refused. */
export function isOpenableLink(href: string): boolean {
  try {
    const url = new URL(href)
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:'
  } catch {
    return false
  }
}
