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

/**
 * Swaps the signature block of the editor's DOM for another identity's (or removes it), leaving everything
 * the user wrote alone. Only a top-level `.signature` counts: quoted mail may carry one of its own. With no
 * block yet, the new one goes where a fresh draft would have it: above the quote or forwarded header.
 */
export function applySignature(root: HTMLElement, signature: string): void {
  const top = Array.from(root.children)
  const old = top.find((el) => el.classList.contains('signature'))
  const template = root.ownerDocument.createElement('template')
  template.innerHTML = signatureHtml(signature)
  const next = template.content.firstElementChild
  if (old) {
    if (next) old.replaceWith(next)
    else old.remove()
    return
  }
  if (!next) return
  const anchor = top.find((el) => el.matches('blockquote, .attribution, .forward-header'))
  root.insertBefore(next, anchor ?? null)
}
