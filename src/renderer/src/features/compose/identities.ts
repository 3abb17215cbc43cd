import type { AccountConfig } from '../../../../shared/model/account'
import type { Identity, SourceMessage } from './reply-model'

/**
 * Every identity the user can send as: each account's own name, address and signature first, then its
 * aliases. Both live in core's account settings (accounts.json), so every window and device profile that
 * talks to this core sees the same ones.
 */
export function identitiesOf(accounts: readonly AccountConfig[]): Identity[] {
  return accounts.flatMap((a) => {
    // The account's name ("Work") is no person's name: only the display name the user gave goes in From.
    const main: Identity = {
      accountId: a.id,
      name: a.displayName.trim(),
      address: a.email,
      signature: a.signature,
    }
    return [
      main,
      ...a.identities.map((i) => ({
        accountId: a.id,
        name: i.name.trim() || main.name,
        address: i.address,
        signature: i.signature,
      })),
    ]
  })
}

export const identityKey = (i: Pick<Identity, 'accountId' | 'address'>): string =>
  `${i.accountId}\u0000${i.address}`

/**
 * Who answers: the identity of the answered message's account that it was addressed to (mail to an alias
 * is answered from that alias, with its signature), else that account's own address, else the first.
 */
export function identityFor(
  identities: readonly Identity[],
  accountId: string | undefined,
  source: Pick<SourceMessage, 'to' | 'cc'> | null,
): Identity | undefined {
  const own = identities.filter((i) => i.accountId === accountId)
  const addressed = new Set(
    [...(source?.to ?? []), ...(source?.cc ?? [])].map((m) => m.address.toLowerCase()),
  )
  return own.find((i) => addressed.has(i.address.toLowerCase())) ?? own[0] ?? identities[0]
}
