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
  return { kind: 'ok', message }
}
