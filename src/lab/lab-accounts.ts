import type { AccountSecrets, NewAccount } from '../shared/model/account'
import type { LabInfo } from './types'

type NewImapAccount = Extract<NewAccount, { kind: 'imap' }>
type NewPop3Account = Extract<NewAccount, { kind: 'pop3' }>

/** What `accounts.add` takes: the account and its secrets. */
export interface LabAccountParams<A extends NewAccount> {
  account: A
  secrets: AccountSecrets
}

/** Settings a test changes; the rest are what the wizard would fill for a lab user. */
interface Overrides<A> {
  account?: Partial<Omit<A, 'kind'>>
  password?: string
}

function common(lab: LabInfo, userName: string) {
  const user = lab.users.find((u) => u.name === userName)
  if (!user) throw new Error(`the lab has no user "${userName}"`)
  return {
    user,
    fields: {
      email: user.address,
      smtp: { host: lab.host, port: lab.ports.submissions, tls: 'implicit' as const, username: user.address },
      trustedCaPem: lab.caPem,
    },
  }
}

/**
 * A lab user's IMAP account over IMAPS, sending through implicit-TLS submission, trusting the lab CA: what a
 * user of a self-hosted server enters in the wizard. Tests, benches and the demo build on this one shape.
 */
export function labImapAccount(
  lab: LabInfo,
  userName: string,
  o: Overrides<NewImapAccount> = {},
): LabAccountParams<NewImapAccount> {
  const { user, fields } = common(lab, userName)
  return {
    account: {
      kind: 'imap',
      name: `${userName} (lab)`,
      ...fields,
      incoming: { host: lab.host, port: lab.ports.imaps, tls: 'implicit', username: user.address },
      ...o.account,
    },
    secrets: { incomingPassword: o.password ?? user.password },
  }
}

/** A lab user's POP3S account with implicit-TLS submission, trusting the lab CA. */
export function labPop3Account(
  lab: LabInfo,
  userName: string,
  o: Overrides<NewPop3Account> = {},
): LabAccountParams<NewPop3Account> {
  const { user, fields } = common(lab, userName)
  return {
    account: {
      kind: 'pop3',
      name: `${userName} (lab POP3)`,
      ...fields,
      incoming: { host: lab.host, port: lab.ports.pop3s, tls: 'implicit', username: user.address },
      ...o.account,
    },
    secrets: { incomingPassword: o.password ?? user.password },
  }
}
