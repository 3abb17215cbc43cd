/**
 * Pictures inside a message's text: `<img src="cid:…">` pointing at a MIME part by its Content-ID (RFC 2392).
 * The composer keeps such parts with the draft; what decides whether one is still wanted is whether the
 * text still shows it.
 */

/** The Content-ID a `cid:` URL names (percent-decoded, as RFC 2392 says), or null for any other URL. */
export function contentIdOf(url: string): string | null {
  if (!/^cid:/i.test(url)) return null
  const raw = url.slice(4)
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw // not percent-encoded after all: the raw text is the Content-ID
  }
}

/** The Content-IDs the HTML refers to (`src` attributes with `cid:` URLs). */
export function referencedContentIds(html: string): Set<string> {
  const ids = new Set<string>()
  for (const m of html.matchAll(/\bsrc\s*=\s*(?:"(cid:[^"]*)"|'(cid:[^']*)'|(cid:[^\s>]+))/gi)) {
    ids.add(contentIdOf(m[1] ?? m[2] ?? m[3] ?? '')!)
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
