import type { AccountConfig, NewAccount, ServerSettings, TlsMode } from '../../../../shared/model/account'
import {
  defaultPort,
  emailDomain,
  type ProviderServer,
  type SuggestedSettings,
} from '../../../../shared/providers'

export type IncomingKind = 'imap' | 'pop3'

export interface ServerForm {
  host: string
  port: string
  tls: TlsMode
  username: string
  allowPlaintext: boolean
}

export interface AccountForm {
  kind: IncomingKind
  email: string
  displayName: string
  /** The folder pane's label. */
  name: string
  password: string
  incoming: ServerForm
  smtp: ServerForm
  smtpSamePassword: boolean
  smtpPassword: string
  trustedCaPem: string
}

export const EMPTY_SERVER: ServerForm = {
  host: '',
  port: '',
  tls: 'implicit',
  username: '',
  allowPlaintext: false,
}

export function emptyForm(): AccountForm {
  return {
    kind: 'imap',
    email: '',
    displayName: '',
    name: '',
    password: '',
    incoming: EMPTY_SERVER,
    smtp: EMPTY_SERVER,
    smtpSamePassword: true,
    smtpPassword: '',
    trustedCaPem: '',
  }
}

function serverForm(s: ProviderServer, username: string): ServerForm {
  return { host: s.host, port: String(s.port), tls: s.tls, username, allowPlaintext: false }
}

/** The settings step's starting point: the provider's (or guessed) servers, the address as username. */
export function applySuggestion(form: AccountForm, suggestion: SuggestedSettings): AccountForm {
  const email = form.email.trim()
  const kind: IncomingKind = form.kind === 'pop3' && suggestion.provider?.pop3 !== null ? 'pop3' : 'imap'
  return {
    ...form,
    email,
    kind,
    // Outlook names accounts by their address: two accounts at one provider stay distinguishable.
    name: form.name || email,
    incoming: serverForm(kind === 'imap' ? suggestion.imap : suggestion.pop3, email),
    smtp: serverForm(suggestion.smtp, email),
  }
}

/** IMAP ↔ POP3: move the port along when it was the other protocol's default, keep what the user typed. */
export function switchKind(
  form: AccountForm,
  kind: IncomingKind,
  suggestion: SuggestedSettings | null,
): AccountForm {
  if (kind === form.kind) return form
  const other = form.kind
  const incoming = { ...form.incoming }
  if (suggestion) {
    const was = other === 'imap' ? suggestion.imap : suggestion.pop3
    const next = kind === 'imap' ? suggestion.imap : suggestion.pop3
    if (incoming.host === was.host) incoming.host = next.host
  }
  if (incoming.port === String(defaultPort(other, incoming.tls)) || incoming.port === '') {
    incoming.port = String(defaultPort(kind, incoming.tls))
  }
  return { ...form, kind, incoming }
}

/** TLS mode changes move a default port to the new mode's default (993 ↔ 143 …). */
export function switchTls(server: ServerForm, protocol: IncomingKind | 'smtp', tls: TlsMode): ServerForm {
  const wasDefault = server.port === '' || server.port === String(defaultPort(protocol, server.tls))
  return {
    ...server,
    tls,
    port: wasDefault ? String(defaultPort(protocol, tls)) : server.port,
    allowPlaintext: tls === 'none' ? server.allowPlaintext : false,
  }
}

export type ServerErrors = Partial<Record<'host' | 'port' | 'username' | 'allowPlaintext', string>>

export function validateServer(s: ServerForm): ServerErrors {
  const errors: ServerErrors = {}
  if (!s.host.trim()) errors.host = 'Enter the server name.'
  else if (/[\s/]/.test(s.host.trim())) errors.host = 'A server name has no spaces or slashes.'
  const port = Number(s.port)
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    errors.port = 'A port is a number from 1 to 65535.'
  if (!s.username.trim()) errors.username = 'Enter the user name.'
  if (s.tls === 'none' && !s.allowPlaintext)
    errors.allowPlaintext = 'Confirm that the password may be sent unencrypted.'
  return errors
}

export function isValidEmail(email: string): boolean {
  return emailDomain(email) !== null
}

export function toServerSettings(s: ServerForm): ServerSettings {
  return {
    host: s.host.trim(),
    port: Number(s.port),
    tls: s.tls,
    username: s.username.trim(),
    allowPlaintext: s.tls === 'none' && s.allowPlaintext,
  }
}

function common(form: AccountForm) {
  return {
    name: form.name.trim() || form.email.trim(),
    email: form.email.trim(),
    displayName: form.displayName.trim(),
    incoming: toServerSettings(form.incoming),
    smtp: toServerSettings(form.smtp),
    trustedCaPem: form.trustedCaPem.trim() || null,
  }
}

export function toNewAccount(form: AccountForm): NewAccount {
  return form.kind === 'imap' ? { kind: 'imap', ...common(form) } : { kind: 'pop3', ...common(form) }
}

/**
 * An edited account: the same id and the settings the wizard does not show (POP3 retention, body policy)
 * carried over; switching IMAP ↔ POP3 uses that kind's defaults for them.
 */
export function toUpdatedAccount(form: AccountForm, existing: AccountConfig): AccountConfig {
  // Identities and signatures have their own dialog; editing the servers keeps them.
  const base = {
    id: existing.id,
    ...common(form),
    signature: existing.signature,
    identities: existing.identities,
  }
  if (form.kind === 'imap') {
    return {
      ...base,
      kind: 'imap',
      bodyPolicy: existing.kind === 'imap' ? existing.bodyPolicy : { kind: 'recent-days', days: 30 },
    }
  }
  return {
    ...base,
    kind: 'pop3',
    retention: existing.kind === 'pop3' ? existing.retention : { kind: 'leave' },
    maxFullDownloadBytes: existing.kind === 'pop3' ? existing.maxFullDownloadBytes : null,
  }
}

function fromSettings(s: ServerSettings): ServerForm {
  return {
    host: s.host,
    port: String(s.port),
    tls: s.tls,
    username: s.username,
    allowPlaintext: s.allowPlaintext,
  }
}

export function formFromAccount(a: AccountConfig): AccountForm {
  return {
    kind: a.kind,
    email: a.email,
    displayName: a.displayName,
    name: a.name,
    password: '',
    incoming: fromSettings(a.incoming),
    smtp: a.smtp ? fromSettings(a.smtp) : { ...EMPTY_SERVER, username: a.email },
    smtpSamePassword: true,
    smtpPassword: '',
    trustedCaPem: a.trustedCaPem ?? '',
  }
}
