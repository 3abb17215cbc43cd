/** Small HTML helpers of the composer. Everything user-typed that goes into HTML passes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The signature block: the "-- " line of RFC 3676 §4.3, then the signature's lines. Empty for none. */
export function signatureHtml(signature: string): string {
  const clean = signature.trim()
  if (!clean) return ''
  return `<p class="signature">-- <br>${clean.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`
}
