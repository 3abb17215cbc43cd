export interface DisplayLimits {
  readonly maxBytes: number
  readonly maxDepth: number
  readonly maxParts: number
  readonly maxHeaderBytes: number
  readonly maxRfc822Depth: number
  readonly maxHtmlChars: number
  readonly parseTimeoutMs: number
  readonly rawPreviewBytes: number
}

/**
 * Limits of the reading pane's parser. Every message is written by a stranger (DESIGN.md, "Showing hostile
 * mail safely"): a MIME tree can be nested or split without bound, a header can be megabytes, an HTML part
 * can take the sanitizer seconds. A message beyond a limit is still stored untouched and is shown as its
 * header, a notice and, on request, its raw source as plain text.
 *
 * All of it runs in a dedicated Worker (parse-in-worker.ts), so the limits protect memory and the user's
 * patience, not the UI thread; the time limit catches what the others miss (pathological inputs nobody
 * thought of) by terminating the worker. e2e/hostile-mail.e2e.ts opens the whole hostile corpus on the
 * 2-core dev VM: median ~100 ms from key press to body, ~2 s for the 21 MiB message (download included),
 * no UI-thread task over ~150 ms.
 */
export const DISPLAY_LIMITS: DisplayLimits = {
  /** Raw message size the pane parses; bigger mail (rare: servers cap at 25–50 MB) is shown as source. */
  maxBytes: 48 * 1024 * 1024,
  /** multipart nesting (postal-mime's maxNestingDepth); real mail rarely goes beyond 5. */
  maxDepth: 32,
  /** MIME parts (delimiter lines of declared boundaries, and attachments after the parse). */
  maxParts: 1000,
  /** All header blocks of the message together (postal-mime's maxHeadersSize); holds a 1 MiB line. */
  maxHeaderBytes: 2 * 1024 * 1024,
  /** Nested message/rfc822 parsed inline; deeper ones stay attachments. */
  maxRfc822Depth: 4,
  /**
   * HTML handed to DOMPurify, which needs the page's DOM and so runs on the UI thread. Measured by
   * e2e/sanitize-corpus.e2e.ts (2 M characters of newsletter-like HTML): 1.8–2.2 s on the 2-core dev VM
   * under load, 2.7–6.2 s with the machine saturated. That is a long stall at the limit; newsletters are
   * 50–300 KB (a tenth of it or less), so the limit is kept for now and the number printed on every run.
   */
  maxHtmlChars: 2_000_000,
  /** Wall-clock time for one parse in the worker before it is terminated. */
  parseTimeoutMs: 10_000,
  /** How much of the raw source the "view source" panel shows. */
  rawPreviewBytes: 512 * 1024,
}

/** A reason shown to the user; `code` is for tests and logs. */
export interface LimitReason {
  code:
    | 'too-large'
    | 'too-deep'
    | 'too-many-parts'
    | 'header-too-large'
    | 'html-too-large'
    | 'timeout'
    | 'malformed'
  message: string
}

const MB = 1024 * 1024

export function tooLarge(bytes: number, limits: DisplayLimits = DISPLAY_LIMITS): LimitReason {
  return {
    code: 'too-large',
    message: `The message is ${(bytes / MB).toFixed(1)} MB, more than the ${limits.maxBytes / MB} MB the reading pane shows.`,
  }
}

/**
 * A cheap look at the raw bytes before the parser sees them: the size, and the number of delimiter lines of
 * every boundary the message declares (RFC 2046 §5.1.1), which bounds its parts and nesting from above. Linear
 * in the size; it never builds a tree.
 */
export function preflight(raw: Uint8Array, limits: DisplayLimits = DISPLAY_LIMITS): LimitReason | null {
  if (raw.byteLength > limits.maxBytes) return tooLarge(raw.byteLength, limits)
  // latin1 maps each byte to one UTF-16 unit: offsets match and nothing can fail to decode.
  const text = new TextDecoder('latin1').decode(raw)
  const boundaries = new Set<string>()
  for (const m of text.matchAll(/boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi)) {
    boundaries.add((m[1] ?? m[2])!)
    if (boundaries.size > limits.maxDepth) {
      return {
        code: 'too-deep',
        message: `The message declares more than ${limits.maxDepth} nested MIME levels.`,
      }
    }
  }
  let delimiters = 0
  for (const b of boundaries) {
    const needle = `\n--${b}`
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      if (++delimiters > limits.maxParts + boundaries.size) {
        return { code: 'too-many-parts', message: `The message has more than ${limits.maxParts} MIME parts.` }
      }
    }
  }
  return null
}

/** Maps an error thrown by postal-mime to what the user is told. */
export function reasonOfError(error: unknown): LimitReason {
  const text = error instanceof Error ? error.message : String(error)
  if (/nesting depth/i.test(text)) {
    return { code: 'too-deep', message: 'The message is nested deeper than the reading pane follows.' }
  }
  if (/header size/i.test(text)) {
    return {
      code: 'header-too-large',
      message: 'The message headers are larger than the reading pane reads.',
    }
  }
  return { code: 'malformed', message: 'The message is malformed and could not be read.' }
}
