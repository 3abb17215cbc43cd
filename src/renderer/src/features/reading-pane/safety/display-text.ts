/**
 * Characters that change how text looks without being seen: C0/C1 controls (a NUL or CR/LF hidden in an
 * RFC 2047 encoded word), bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: the
 * "Trojan Source" class, CVE-2021-42574, and the right-to-left-override file-name trick), marks and
 * zero-width characters.
 */
const HIDDEN_CLASS =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff'
const BIDI_CLASS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069'

const HIDDEN = new RegExp(`[${HIDDEN_CLASS}]`)
const HIDDEN_ALL = new RegExp(`[${HIDDEN_CLASS}]`, 'g')
const BIDI = new RegExp(`[${BIDI_CLASS}]`)
const LINE_BREAKS = /[\t\r\n\u2028\u2029]+/g

/** True when the text holds a control, bidi or invisible character (line breaks and tabs aside). */
export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text)
}

/** True when the text holds a bidirectional override, embedding, isolate or mark. */
export function hasBidiControls(text: string): boolean {
  return BIDI.test(text)
}

/** Removes every hidden character (line breaks and tabs are kept: callers decide). */
export function stripHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_ALL, '')
}

/** A header value (name, subject) as one line of what it really says: hidden characters dropped. */
export function cleanDisplayText(text: string, maxLength = 2000): string {
  const cleaned = stripHiddenCharacters(text.replace(LINE_BREAKS, ' '))
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned
}

/** Shows where hidden characters were, for a tooltip: `invoice[U+202E]fdp.exe`. */
export function revealHiddenCharacters(text: string): string {
  return text.replace(
    new RegExp(`[${HIDDEN_CLASS}\\t\\r\\n]`, 'g'),
    (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  )
}
