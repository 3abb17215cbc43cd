import { parseMessage, type ParsedMessage } from '../parse-message'
import {
  DISPLAY_LIMITS,
  preflight,
  reasonOfError,
  type DisplayLimits,
  type LimitReason,
} from './display-limits'

export type ParseOutcome = { kind: 'ok'; message: ParsedMessage } | { kind: 'limited'; reason: LimitReason }

/**
 * The display parse with every limit applied: the preflight, postal-mime's own depth and header limits,
 * and the part count and HTML size after the parse. Never throws; runs in the parse worker.
 */
export async function parseWithLimits(
  raw: Uint8Array,
  limits: DisplayLimits = DISPLAY_LIMITS,
): Promise<ParseOutcome> {
  const early = preflight(raw, limits)
  if (early) return { kind: 'limited', reason: early }
  let message: ParsedMessage
  try {
    message = await parseMessage(raw, {
      maxNestingDepth: limits.maxDepth,
      maxHeadersSize: limits.maxHeaderBytes,
      maxRfc822NestingDepth: limits.maxRfc822Depth,
    })
  } catch (error) {
    return { kind: 'limited', reason: reasonOfError(error) }
  }
  if (message.attachments.length > limits.maxParts) {
    return {
      kind: 'limited',
      reason: { code: 'too-many-parts', message: `The message has more than ${limits.maxParts} MIME parts.` },
    }
  }
  if (message.html !== null && message.html.length > limits.maxHtmlChars) {
    return {
      kind: 'limited',
      reason: {
        code: 'html-too-large',
        message: `The message's HTML is ${(message.html.length / 1e6).toFixed(1)} million characters, more than the reading pane sanitizes.`,
      },
    }
  }
  if (!message.html && !message.text?.trim() && message.attachments.length === 0) {
    // Nothing the parser recognised (a multipart without a boundary, RFC 2046 §5.1.1): rather than an empty
    // pane, the body as the plain text it is. Shown as text, so nothing in it can be markup.
    message = { ...message, text: bodyAsText(raw, limits.rawPreviewBytes) }
  }
  return { kind: 'ok', message }
}

/** The bytes after the header block (CRLF or bare LF), decoded as UTF-8. */
function bodyAsText(raw: Uint8Array, maxBytes: number): string {
  const text = new TextDecoder('latin1').decode(raw.subarray(0, Math.min(raw.byteLength, 4 * 1024 * 1024)))
  const m = /\r?\n\r?\n/.exec(text)
  const start = m ? m.index + m[0].length : raw.byteLength
  return new TextDecoder('utf-8').decode(raw.subarray(start, start + maxBytes))
}
