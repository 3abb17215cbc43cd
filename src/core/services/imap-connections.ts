import { MailError } from '../../shared/errors'
import type { AccountRegistry } from '../accounts/account-registry'
import { ImapConnectionManager } from '../imap/connection-manager'

/**
 * One ImapConnectionManager per IMAP account, made on first use from the saved settings and password, and
 * dropped when the account changes. Accounts share nothing, so one dead server never delays another.
 */
export class ImapConnections {
  private readonly managers = new Map<string, Promise<ImapConnectionManager>>()

  constructor(private readonly registry: AccountRegistry) {}

  manager(accountId: string): Promise<ImapConnectionManager> {
    let existing = this.managers.get(accountId)
    if (!existing) {
      existing = this.create(accountId)
      this.managers.set(accountId, existing)
      existing.catch(() => this.managers.delete(accountId))
    }
    return existing
  }

  /** Closes an account's connections (its settings changed, or it was removed); the next use reconnects. */
  async forget(accountId: string): Promise<void> {
    const existing = this.managers.get(accountId)
    this.managers.delete(accountId)
    await (await existing?.catch(() => undefined))?.close()
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.managers.keys()].map((id) => this.forget(id)))
  }

  private async create(accountId: string): Promise<ImapConnectionManager> {
    const account = await this.registry.get(accountId)
    if (account.kind !== 'imap') throw new MailError('NOT_FOUND', `${account.name} is not an IMAP account.`)
    return new ImapConnectionManager({
      accountId,
      config: {
        host: account.incoming.host,
        port: account.incoming.port,
        tls: account.incoming.tls,
        username: account.incoming.username,
        password: await this.registry.password(accountId, 'incoming'),
        allowPlaintext: account.incoming.allowPlaintext,
        ...(account.trustedCaPem ? { ca: [account.trustedCaPem] } : {}),
      },
    })
  }
}
