const EMAIL_IN_TEXT = /[^\s<>"'@]+@[^\s<>"'@]+\.[a-z]{2,}/i

/**
 * True when a display name shows an e-mail address other than the real one: "support@bank.example"
 * <crook@evil.example> is the classic phishing disguise (DESIGN.md asks to flag it).
 */
export function nameHidesAddress(name: string, address: string): boolean {
  const shown = EMAIL_IN_TEXT.exec(name)?.[0]
  return shown !== undefined && shown.toLowerCase() !== address.toLowerCase()
}
