import type { AccountConfig } from '../../../../shared/model/account'
import { parseRecipients } from './address-parse'
import type { Identity } from './reply-model'

/** What the user set per account: extra sending addresses (aliases) and a signature. Kept in localStorage. */
export interface IdentitySettings {
  aliases: string
  signature: string
}

export const IDENTITY_SETTINGS_KEY = 'harbor-mail:compose-identities'

export function readIdentitySettings(): Record<string, IdentitySettings> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(IDENTITY_SETTINGS_KEY) ?? '{}')
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, IdentitySettings>) : {}
  } catch {
    return {}
  }
}

export function writeIdentitySettings(settings: Record<string, IdentitySettings>): void {
  try {
    localStorage.setItem(IDENTITY_SETTINGS_KEY, JSON.stringify(settings))
  } catch {
    // Storage full or disabled: identities fall back to the account's own address.
  }
}

/** Every identity the user can send as: each account's own name and address first, then its aliases. */
export function identitiesOf(
  accounts: readonly AccountConfig[],
  settings: Record<string, IdentitySettings>,
): Identity[] {
  return accounts.flatMap((a) => {
    const own = settings[a.id]
    const signature = own?.signature ?? ''
    // The account's name ("Work") is no person's name: only the display name the user gave goes in From.
    const main: Identity = { accountId: a.id, name: a.displayName.trim(), address: a.email, signature }
    const aliases = parseRecipients(own?.aliases ?? '').entries.flatMap((e) =>
      'group' in e ? e.members : [e],
    )
    return [
      main,
      ...aliases.map((m) => ({ accountId: a.id, name: m.name || main.name, address: m.address, signature })),
    ]
  })
}

export const identityKey = (i: Pick<Identity, 'accountId' | 'address'>): string =>
  `${i.accountId}\u0000${i.address}`
