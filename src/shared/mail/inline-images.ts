/**
 * Pictures inside a message's text: `<img src="cid:…">` pointing at a MIME part by its Content-ID (RFC 2392).
 * The composer keeps such parts with the draft; what decides whether one is still wanted is whether the
 * text still shows it.
 */

/** The Content-IDs the HTML refers to (`cid:` URLs, percent-decoded as RFC 2392 says). */
export function referencedContentIds(html: string): Set<string> {
  const ids = new Set<string>()
  for (const m of html.matchAll(/\bsrc\s*=\s*(?:"cid:([^"]*)"|'cid:([^']*)'|cid:([^\s>]+))/gi)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? ''
    try {
      ids.add(decodeURIComponent(raw))
    } catch {
      ids.add(raw)
    }
  }
  return ids
}

/** Attachments without the inline pictures the text no longer shows (the user deleted them in the editor). */
export function withoutUnusedInline<T extends { contentId?: string }>(
  html: string,
  attachments: readonly T[],
): T[] {
  const used = referencedContentIds(html)
  return attachments.filter((a) => a.contentId === undefined || used.has(a.contentId))
}
