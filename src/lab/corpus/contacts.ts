// The cast of a corpus: external correspondents in several locales, colleagues in the lab's own domain,
// and the lab users who receive the mail. Each person keeps one mailer (charset, encoded-word style,
// time zone) for the whole corpus, as real senders do.

import type { Charset } from './charsets'
import type { Address, WordEncoding } from './mime-encode'
import type { Rng } from './prng'
import { LOCALE_WEIGHTS, VOCABULARY, type Locale } from './vocabulary'

export interface Contact extends Address {
  locale: Locale
  charset: Charset
  wordEncoding: WordEncoding
  /** UTC offset in minutes, for the Date header. */
  tzOffset: number
  mailer: string
  isUser: boolean
}

const TZ: Record<Locale, readonly number[]> = {
  en: [-480, -300, -240, 0, 60],
  de: [60, 120],
  fr: [60, 120],
  es: [60, 120, -360],
  ru: [180],
  ja: [540],
  zh: [480],
}

const MAILERS = [
  'User-Agent: Mozilla Thunderbird 115.3.1',
  'X-Mailer: Microsoft Outlook 16.0',
  'X-Mailer: Apple Mail (2.3731.700.6)',
  'User-Agent: Roundcube Webmail/1.6.5',
  'User-Agent: Mutt/2.2.9 (2022-11-12)',
  'X-Mailer: iPhone Mail (20G75)',
  '',
]

export function makeContact(rng: Rng, locale: Locale, domain: string): Contact {
  const vocab = VOCABULARY[locale]
  const [first, firstAscii] = rng.pick(vocab.firstNames)
  const [last, lastAscii] = rng.pick(vocab.lastNames)
  const display = vocab.familyFirst
    ? `${last}${vocab.nameSeparator}${first}`
    : `${first}${vocab.nameSeparator}${last}`
  const local = rng.weighted([
    [`${firstAscii}.${lastAscii}`, 60],
    [`${firstAscii[0]}${lastAscii}`, 25],
    [`${firstAscii}${rng.int(1, 99)}`, 15],
  ])
  let name: string | undefined = display
  if (rng.chance(0.07)) name = undefined
  else if (locale === 'en' && rng.chance(0.08)) name = `${last}, ${first}`
  return {
    name,
    address: `${local}@${domain}`,
    locale,
    charset: rng.weighted(vocab.charsets),
    wordEncoding: rng.chance(0.6) ? 'B' : 'Q',
    tzOffset: rng.pick(TZ[locale]),
    mailer: rng.pick(MAILERS),
    isUser: false,
  }
}

export function makeContacts(rng: Rng, count: number, ownDomain: string): Contact[] {
  const out: Contact[] = []
  for (let i = 0; i < count; i++) {
    const locale = rng.weighted(LOCALE_WEIGHTS)
    // About a fifth are colleagues at the users' own domain.
    const domain = rng.chance(0.2) ? ownDomain : rng.pick(VOCABULARY[locale].domains)
    out.push(makeContact(rng, locale, domain))
  }
  return out
}

export function userContact(user: string | Address, domain: string): Contact {
  const addr: Address =
    typeof user === 'string' ? { address: user.includes('@') ? user : `${user}@${domain}` } : user
  const local = addr.address.split('@')[0]!
  return {
    name: addr.name ?? local.charAt(0).toUpperCase() + local.slice(1),
    address: addr.address,
    locale: 'en',
    charset: 'utf-8',
    wordEncoding: 'Q',
    tzOffset: 0,
    mailer: '',
    isUser: true,
  }
}

/** A fixed sender (list, newsletter, notifier) that is not a person. */
export function serviceContact(name: string, address: string, locale: Locale = 'en'): Contact {
  return {
    name,
    address,
    locale,
    charset: 'utf-8',
    wordEncoding: 'Q',
    tzOffset: 0,
    mailer: '',
    isUser: false,
  }
}
