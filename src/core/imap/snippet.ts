import type { ImapFlow } from 'imapflow'
import { TextDecoder } from 'node:util'
import type { SnippetPart } from './header-record'
import { toSequenceSet } from './uid-set'

/** Bytes fetched per message: enough for ~200 characters even in 3-byte UTF-8 or base64-inflated text. */
export const SNIPPET_BYTES = 640
export const SNIPPET_CHARS = 200

/** Decodes a prefix of base64 (cut anywhere) by dropping the incomplete last quantum. */
function decodeBase64Prefix(raw: Buffer): Buffer {
  const clean = raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '')
  return Buffer.from(clean.slice(0, clean.length - (clean.length % 4)), 'base64')
}

/** Decodes a prefix of quoted-printable (RFC 2045 §6.7), dropping an escape cut in half at the end. */
function decodeQpPrefix(raw: Buffer): Buffer {
  const text = raw
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=[0-9A-Fa-f]?$/, '')
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const hex = c === 0x3d ? text.slice(i + 1, i + 3) : ''
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else bytes.push(c & 0xff)
  }
  return Buffer.from(bytes)
}

function decodeCharset(bytes: Buffer, charset: string): string {
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset.toLowerCase())
  } catch {
    decoder = new TextDecoder('utf-8')
  }
  // A prefix may end inside a multi-byte character: the decoder turns that into U+FFFD, which we drop.
  return decoder.decode(bytes).replace(/\uFFFD+$/, '')
}

/** Turns the first bytes of a text part into one line of at most SNIPPET_CHARS characters. */
export function snippetFromBytes(raw: Buffer, part: SnippetPart, alreadyDecoded: boolean): string {
  const bytes = alreadyDecoded
    ? raw
    : part.encoding === 'base64'
      ? decodeBase64Prefix(raw)
      : part.encoding === 'quoted-printable'
        ? decodeQpPrefix(raw)
        : raw
  let text = decodeCharset(bytes, part.charset)
  if (part.type === 'text/html') {
    text = text
      .replace(/<(style|script|head)[\s\S]*?(<\/\1>|$)/gi, ' ')
      .replace(/<[^>]*>?/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
  }
  // Quoted lines of a reply say nothing new; a snippet shows what this message adds.
  const lines = text.split(/\r?\n/).filter((l) => !l.trimStart().startsWith('>'))
  return [...lines.join(' ').replace(/\s+/g, ' ').trim()].slice(0, SNIPPET_CHARS).join('')
}

/**
 * Fetches the first SNIPPET_BYTES of each message's text part: `BINARY.PEEK[<part>]<0.n>` where the server
 * decodes the transfer encoding (RFC 3516), else `BODY.PEEK[…]`. PEEK: never sets \Seen (RFC 9051 §6.4.5).
 * Messages are grouped by part number (usually `1`, `1.1`, `1.1.1`), so a batch costs a few pipelined
 * FETCHes, not one per message. Resolves uid → snippet.
 */
export async function fetchSnippets(
  client: ImapFlow,
  parts: ReadonlyMap<number, SnippetPart>,
  binary: boolean,
): Promise<Map<number, string>> {
  const byPart = new Map<string, number[]>()
  for (const [uid, p] of parts) {
    const uids = byPart.get(p.part)
    if (uids) uids.push(uid)
    else byPart.set(p.part, [uid])
  }
  const out = new Map<number, string>()
  for (const [section, uids] of byPart) {
    const query = { uid: true, bodyParts: [{ key: section, start: 0, maxLength: SNIPPET_BYTES }] }
    for await (const msg of client.fetch(toSequenceSet(uids), query, { uid: true, binary })) {
      const part = parts.get(msg.uid)
      if (!part || !msg.bodyParts) continue
      const [key, raw] = [...msg.bodyParts][0] ?? []
      if (key === undefined || raw === undefined) continue
      out.set(msg.uid, snippetFromBytes(raw, part, msg.binaryParts?.has(key) === true))
    }
  }
  return out
}
