import { addressParser } from 'postal-mime'
import type { ComposeAddress, RecipientEntry } from '../../store/compose-rows'

/**
 * To/Cc/Bcc as the user types them, read with postal-mime's address parser (already the reading pane's MIME
 * parser: RFC 5322 §3.4 mailboxes and groups, quoted strings, comments, RFC 2047 encoded-words) plus three
 * repairs it does not make:
 * - `Doe, Jane <jane@x>`: an unquoted comma in a display name (invalid per RFC 5322, but what people type)
 *   is joined back into one name, as Outlook does;
 * - a quoted local part (`"john..doe"@x`) that is not a dot-atom is quoted again, or RCPT TO would carry
 *   an invalid address (RFC 5321 §4.1.2);
 * - non-ASCII addresses stay as typed (RFC 6531); whether the server can take them is core's check.
 */

export interface ParsedRecipients {
  entries: RecipientEntry[]
  /** Pieces that are not addresses, to show the user. */
  invalid: string[]
}

const ATEXT = "[\\p{L}\\p{N}!#$%&'*+\\-/=?^_`{|}~]"
const DOT_ATOM = new RegExp(`^${ATEXT}+(\\.${ATEXT}+)*$`, 'u')
const DOMAIN =
  /^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)+$|^\[[^\]\s]+\]$/u

/** `local@domain` with the local part quoted when it is not a dot-atom; null when it is no address. */
export function normalizeAddress(address: string): string | null {
  const at = address.lastIndexOf('@')
  if (at <= 0 || at === address.length - 1) return null
  let local = address.slice(0, at)
  const domain = address.slice(at + 1)
  if (!DOMAIN.test(domain)) return null
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2)
    local = local.slice(1, -1).replace(/\\(.)/g, '$1')
  if (!DOT_ATOM.test(local)) {
    if (/[\r\n]/.test(local)) return null
    local = `"${local.replace(/(["\\])/g, '\\$1')}"`
  }
  return `${local}@${domain}`
}

interface RawMailbox {
  name?: string
  address?: string
  group?: RawMailbox[]
}

function toMailboxes(raw: readonly RawMailbox[], invalid: string[]): ComposeAddress[] {
  const out: ComposeAddress[] = []
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i]!
    const next = raw[i + 1]
    // "Doe, Jane <j@x>" arrives as { name: 'Doe' } then { name: 'Jane', address: 'j@x' }.
    if (!item.address && item.name && next?.address && next.name && !next.group) {
      next.name = `${item.name}, ${next.name}`
      continue
    }
    const address = item.address ? normalizeAddress(item.address) : null
    if (address === null) {
      const shown = [item.name, item.address].filter(Boolean).join(' ')
      if (shown.trim()) invalid.push(shown.trim())
      continue
    }
    out.push({ name: (item.name ?? '').trim(), address })
  }
  return out
}

export function parseRecipients(text: string): ParsedRecipients {
  const invalid: string[] = []
  const entries: RecipientEntry[] = []
  if (!text.trim()) return { entries, invalid }
  const raw = addressParser(text) as RawMailbox[]
  let run: RawMailbox[] = []
  const flush = (): void => {
    entries.push(...toMailboxes(run, invalid))
    run = []
  }
  for (const item of raw) {
    if (item.group) {
      flush()
      entries.push({ group: (item.name ?? '').trim() || 'Group', members: toMailboxes(item.group, invalid) })
    } else {
      run.push({ ...item })
    }
  }
  flush()
  return { entries, invalid }
}

/** A display name as RFC 5322 §3.2.5 phrase: quoted when it holds specials such as a comma or a dot. */
export function formatName(name: string): string {
  if (/^[\p{L}\p{N}!#$%&'*+\-/=?^_`{|}~ ]+$/u.test(name)) return name
  return `"${name.replace(/(["\\])/g, '\\$1')}"`
}

export function formatMailbox(m: ComposeAddress): string {
  return m.name ? `${formatName(m.name)} <${m.address}>` : m.address
}

/** The field text for entries (the inverse of parseRecipients for what it accepted). */
export function formatRecipients(entries: readonly RecipientEntry[]): string {
  return entries
    .map((e) =>
      'group' in e ? `${formatName(e.group)}: ${e.members.map(formatMailbox).join(', ')};` : formatMailbox(e),
    )
    .join(', ')
}

export function flattenRecipients(entries: readonly RecipientEntry[]): ComposeAddress[] {
  return entries.flatMap((e) => ('group' in e ? e.members : [e]))
}

/** True when the part before the @ holds non-ASCII (RFC 6531): only a server with SMTPUTF8 can carry it. */
export function hasInternationalLocalPart(address: string): boolean {
  return /\P{ASCII}/u.test(address.slice(0, Math.max(0, address.lastIndexOf('@'))))
}
