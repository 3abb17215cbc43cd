/**
 * A new Message-ID (RFC 5322 §3.6.4): a random UUID left of the "@", the sender's domain right of it, so
 * it is unique worldwide without revealing anything about the machine. A domain that is not plain ASCII
 * (or no domain) falls back to `harbor.invalid` (RFC 2606), which still makes a valid, unique id.
 */
export function newMessageId(fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@')
  const domain = at > 0 ? fromAddress.slice(at + 1).toLowerCase() : ''
  const safe = /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : 'harbor.invalid'
  return `<${globalThis.crypto.randomUUID()}@${safe}>`
}
