import { cleanDisplayText, hasHiddenCharacters } from './display-text'

export interface Mailbox {
  name: string
  address: string
}

export type SenderWarning =
  /** The display name shows an address (or a full mailbox) other than the real one. */
  | { kind: 'name-shows-address'; shown: string; real: string }
  /** The domain uses non-ASCII characters or punycode: possibly a lookalike (IDN homograph, UTS #39). */
  | { kind: 'lookalike-domain'; address: string; ascii: string }
  /** Replies would go somewhere other than the sender. */
  | { kind: 'reply-to-differs'; replyTo: string }
  /** The name carried control or bidi characters, removed from what is shown. */
  | { kind: 'hidden-characters' }

/**
 * Anything that looks like an address inside a display name. The name is NFKC-normalised first, so the
 * fullwidth ＠ (U+FF20) and small ﹫ (U+FE6B) count as "@", as they do to a reader.
 */
const ADDRESS_IN_TEXT = /[^\s<>"'@(),;:]+@[^\s<>"'@(),;:]+\.[^\s<>"'@(),;:.]{2,}/u

function normalise(text: string): string {
  return cleanDisplayText(text.normalize('NFKC')).toLowerCase()
}

/** The address a display name shows, when it shows one that is not the real address. */
export function addressShownInName(name: string, address: string): string | null {
  const shown = ADDRESS_IN_TEXT.exec(normalise(name))?.[0]
  if (shown === undefined) return null
  return shown === address.trim().toLowerCase() ? null : shown
}

/**
 * The ASCII (punycode, RFC 3492/5891) form of an address's domain, or null when the domain is plain ASCII
 * without `xn--` labels. The WHATWG URL parser does the IDNA mapping, in the page and in Node alike.
 */
export function lookalikeDomain(address: string): string | null {
  const at = address.lastIndexOf('@')
  const domain = at < 0 ? '' : address.slice(at + 1).trim()
  if (domain === '') return null
  const ascii = /^[\x21-\x7e]+$/.test(domain)
  if (ascii && !/(^|\.)xn--/i.test(domain)) return null
  try {
    return new URL(`http://${domain}/`).hostname
  } catch {
    return domain.replace(/[^\x21-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
  }
}

/** Everything worth flagging about who a message claims to be from and where replies go. */
export function senderWarnings(from: readonly Mailbox[], replyTo: readonly Mailbox[]): SenderWarning[] {
  const out: SenderWarning[] = []
  const sender = from[0]
  if (!sender) return out
  const shown = addressShownInName(sender.name, sender.address)
  if (shown !== null) out.push({ kind: 'name-shows-address', shown, real: sender.address })
  const ascii = lookalikeDomain(sender.address)
  if (ascii !== null) {
    out.push({
      kind: 'lookalike-domain',
      address: sender.address,
      ascii: `${sender.address.split('@')[0]}@${ascii}`,
    })
  }
  if (hasHiddenCharacters(sender.name)) out.push({ kind: 'hidden-characters' })
  const senders = new Set(from.map((f) => f.address.trim().toLowerCase()))
  const elsewhere = replyTo.find((r) => r.address !== '' && !senders.has(r.address.trim().toLowerCase()))
  if (elsewhere) out.push({ kind: 'reply-to-differs', replyTo: elsewhere.address })
  return out
}
