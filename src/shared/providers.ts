import type { TlsMode } from './model/account'

/** One server of a provider, as its own setup pages publish it. */
export interface ProviderServer {
  host: string
  port: number
  tls: TlsMode
}

export interface Provider {
  /** What the wizard shows: "Settings for Gmail found." */
  name: string
  domains: readonly string[]
  imap: ProviderServer
  /** Null where the provider offers no POP3 (iCloud). */
  pop3: ProviderServer | null
  smtp: ProviderServer
  /** A sentence the wizard shows, e.g. that an app password is needed. */
  note?: string
}

const ssl = (host: string, port: number): ProviderServer => ({ host, port, tls: 'implicit' })
const starttls = (host: string, port: number): ProviderServer => ({ host, port, tls: 'starttls' })

const APP_PASSWORD_NOTE =
  'This provider needs an app password (made in its security settings) instead of your normal password.'

/**
 * Well-known providers, from their published settings. Only ports and hosts that the providers document
 * are listed; everything else is guessed and shown for the user to check. Usernames are the full address.
 */
export const PROVIDERS: readonly Provider[] = [
  {
    name: 'Gmail',
    domains: ['gmail.com', 'googlemail.com'],
    imap: ssl('imap.gmail.com', 993),
    pop3: ssl('pop.gmail.com', 995),
    smtp: ssl('smtp.gmail.com', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'Outlook.com',
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'],
    imap: ssl('outlook.office365.com', 993),
    pop3: ssl('outlook.office365.com', 995),
    smtp: starttls('smtp-mail.outlook.com', 587),
  },
  {
    name: 'Yahoo Mail',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com'],
    imap: ssl('imap.mail.yahoo.com', 993),
    pop3: ssl('pop.mail.yahoo.com', 995),
    smtp: ssl('smtp.mail.yahoo.com', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    imap: ssl('imap.mail.me.com', 993),
    pop3: null,
    smtp: starttls('smtp.mail.me.com', 587),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'Fastmail',
    domains: ['fastmail.com', 'fastmail.fm'],
    imap: ssl('imap.fastmail.com', 993),
    pop3: ssl('pop.fastmail.com', 995),
    smtp: ssl('smtp.fastmail.com', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'GMX',
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch'],
    imap: ssl('imap.gmx.net', 993),
    pop3: ssl('pop.gmx.net', 995),
    smtp: starttls('mail.gmx.net', 587),
  },
  {
    name: 'GMX',
    domains: ['gmx.com'],
    imap: ssl('imap.gmx.com', 993),
    pop3: ssl('pop.gmx.com', 995),
    smtp: starttls('mail.gmx.com', 587),
  },
  {
    name: 'WEB.DE',
    domains: ['web.de'],
    imap: ssl('imap.web.de', 993),
    pop3: ssl('pop3.web.de', 995),
    smtp: starttls('smtp.web.de', 587),
  },
  {
    name: 'Mail.ru',
    domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru'],
    imap: ssl('imap.mail.ru', 993),
    pop3: ssl('pop.mail.ru', 995),
    smtp: ssl('smtp.mail.ru', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'Yandex Mail',
    domains: ['yandex.ru', 'yandex.com', 'ya.ru'],
    imap: ssl('imap.yandex.com', 993),
    pop3: ssl('pop.yandex.com', 995),
    smtp: ssl('smtp.yandex.com', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'Zoho Mail',
    domains: ['zoho.com', 'zohomail.com'],
    imap: ssl('imap.zoho.com', 993),
    pop3: ssl('pop.zoho.com', 995),
    smtp: ssl('smtp.zoho.com', 465),
  },
  {
    name: 'AOL Mail',
    domains: ['aol.com'],
    imap: ssl('imap.aol.com', 993),
    pop3: ssl('pop.aol.com', 995),
    smtp: ssl('smtp.aol.com', 465),
    note: APP_PASSWORD_NOTE,
  },
  {
    name: 'Posteo',
    domains: ['posteo.de', 'posteo.net'],
    imap: ssl('posteo.de', 993),
    pop3: ssl('posteo.de', 995),
    smtp: ssl('posteo.de', 465),
  },
  {
    name: 'mailbox.org',
    domains: ['mailbox.org'],
    imap: ssl('imap.mailbox.org', 993),
    pop3: ssl('pop3.mailbox.org', 995),
    smtp: ssl('smtp.mailbox.org', 465),
  },
]

/** The part after the last "@", lower-cased; null when the text is not shaped like an address. */
export function emailDomain(email: string): string | null {
  const at = email.trim().lastIndexOf('@')
  if (at < 1) return null
  const domain = email
    .trim()
    .slice(at + 1)
    .toLowerCase()
  return /^[a-z0-9.-]+\.[a-z0-9-]{2,}$/.test(domain) ? domain : null
}

export function findProvider(email: string): Provider | null {
  const domain = emailDomain(email)
  if (!domain) return null
  return PROVIDERS.find((p) => p.domains.includes(domain)) ?? null
}

export interface SuggestedSettings {
  /** 'table' when the provider is known; 'guess' when the hosts are only likely names to be checked. */
  source: 'table' | 'guess'
  provider: Provider | null
  imap: ProviderServer
  pop3: ProviderServer
  smtp: ProviderServer
}

/**
 * Settings to start the wizard's form with: the provider's when known, otherwise the host names most
 * self-hosted and ISP servers use (imap./pop./smtp.<domain>) on the TLS ports. Null for a non-address.
 */
export function suggestSettings(email: string): SuggestedSettings | null {
  const domain = emailDomain(email)
  if (!domain) return null
  const provider = findProvider(email)
  if (provider) {
    return {
      source: 'table',
      provider,
      imap: provider.imap,
      pop3: provider.pop3 ?? ssl(`pop.${domain}`, 995),
      smtp: provider.smtp,
    }
  }
  return {
    source: 'guess',
    provider: null,
    imap: ssl(`imap.${domain}`, 993),
    pop3: ssl(`pop.${domain}`, 995),
    smtp: starttls(`smtp.${domain}`, 587),
  }
}

/** Alternative host names the wizard offers when the first guess does not answer. */
export function alternativeHosts(email: string, protocol: 'imap' | 'pop3' | 'smtp'): string[] {
  const domain = emailDomain(email)
  if (!domain) return []
  const first = { imap: 'imap', pop3: 'pop', smtp: 'smtp' }[protocol]
  return [`${first}.${domain}`, `mail.${domain}`, ...(protocol === 'pop3' ? [`pop3.${domain}`] : []), domain]
}

/** The usual port for a protocol and TLS mode (RFC 8314 implicit TLS ports, RFC 6409 submission). */
export function defaultPort(protocol: 'imap' | 'pop3' | 'smtp', tls: TlsMode): number {
  if (protocol === 'imap') return tls === 'implicit' ? 993 : 143
  if (protocol === 'pop3') return tls === 'implicit' ? 995 : 110
  return tls === 'implicit' ? 465 : 587
}
