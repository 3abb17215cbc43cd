import type { ParsedMessage } from './parse-message'

/** Inline images (cid:) as data: URLs: the only image source the frame's CSP allows without consent. */
const MAX_INLINE_IMAGE = 5 * 1024 * 1024

/** Content-ID → data: URL for every inline image of a message that is small enough to embed. */
export function inlineImageUrls(message: ParsedMessage): Map<string, string> {
  const map = new Map<string, string>()
  for (const a of message.attachments) {
    if (!a.contentId || !a.mimeType.startsWith('image/') || a.size > MAX_INLINE_IMAGE) continue
    let binary = ''
    for (let i = 0; i < a.content.length; i += 0x8000) {
      binary += String.fromCharCode(...a.content.subarray(i, i + 0x8000))
    }
    map.set(a.contentId, `data:${a.mimeType};base64,${btoa(binary)}`)
  }
  return map
}
