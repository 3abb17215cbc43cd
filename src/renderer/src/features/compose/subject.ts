/**
 * Reply and forward subjects without piling up prefixes. RFC 5322 §3.6.5 suggests one "Re: "; real mail
 * also carries localized prefixes (AW:, SV:, WG:, Antw:, Fwd:, Fw:, TR:, RV:), counters ("Re[2]:") and
 * mixtures of them. All leading prefixes are removed before ours is added.
 */
const PREFIX = /^\s*(re|aw|sv|antw|vs|ref|fwd?|wg|tr|rv|enc|doorst)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*/i

/** The subject with every leading reply/forward prefix removed. */
export function baseSubject(subject: string): string {
  let s = subject
  for (let i = 0; i < 20; i++) {
    const next = s.replace(PREFIX, '')
    if (next === s) break
    s = next
  }
  return s.trim()
}

export function replySubject(subject: string): string {
  return `Re: ${baseSubject(subject)}`.trimEnd()
}

export function forwardSubject(subject: string): string {
  return `Fwd: ${baseSubject(subject)}`.trimEnd()
}
