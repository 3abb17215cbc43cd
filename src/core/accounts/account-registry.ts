import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import {
  accountConfigSchema,
  newAccountSchema,
  type AccountConfig,
  type AccountSecrets,
  type NewAccount,
} from '../../shared/model/account'
import { MailError } from '../../shared/errors'
import type { SecretStore } from '../secrets/secret-store'
import { SerialQueue } from '../storage/serial-queue'
import { writeFileAtomic } from '../storage/write-file-atomic'

export const ACCOUNTS_FILE_NAME = 'accounts.json'

const accountsFileSchema = z.object({ version: z.literal(1), accounts: z.array(accountConfigSchema) })

const incomingKey = (id: string): string => `account:${id}:incoming`
const smtpKey = (id: string): string => `account:${id}:smtp`

function assertPlaintextConsent(account: AccountConfig | z.output<typeof newAccountSchema>): void {
  for (const server of [account.incoming, account.smtp]) {
    if (server && server.tls === 'none' && !server.allowPlaintext) {
      throw new MailError(
        'TLS_REQUIRED',
        `${server.host} is set up without encryption. Choose SSL/TLS or STARTTLS, or explicitly allow ` +
          'sending the password unencrypted for this account.',
      )
    }
  }
}

/**
 * Account settings in `<dataDir>/accounts.json` (no secrets) and their passwords in the SecretStore.
 * Writes are serialised and atomic; the in-memory list changes only after the disk did.
 */
export class AccountRegistry {
  private readonly path: string
  private accounts: AccountConfig[] | undefined
  private readonly queue = new SerialQueue()

  constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.path = join(dataDir, ACCOUNTS_FILE_NAME)
  }

  list(): Promise<AccountConfig[]> {
    return this.serialised(async (accounts) => accounts)
  }

  async get(id: string): Promise<AccountConfig> {
    const account = (await this.list()).find((a) => a.id === id)
    if (!account) throw new MailError('NOT_FOUND', 'This account no longer exists. It may have been removed.')
    return account
  }

  add(input: NewAccount, secrets: AccountSecrets): Promise<AccountConfig> {
    const parsed = newAccountSchema.parse(input)
    assertPlaintextConsent(parsed)
    const account = accountConfigSchema.parse({ ...parsed, id: randomUUID() })
    return this.serialised(async (accounts) => {
      await this.storeSecrets(account.id, secrets)
      await this.save([...accounts, account])
      return account
    })
  }

  update(account: AccountConfig, secrets?: AccountSecrets): Promise<AccountConfig> {
    assertPlaintextConsent(account)
    return this.serialised(async (accounts) => {
      const index = accounts.findIndex((a) => a.id === account.id)
      if (index < 0)
        throw new MailError('NOT_FOUND', 'This account no longer exists. It may have been removed.')
      if (secrets) await this.storeSecrets(account.id, secrets)
      await this.save(accounts.map((a, i) => (i === index ? account : a)))
      return account
    })
  }

  remove(id: string): Promise<boolean> {
    return this.serialised(async (accounts) => {
      if (!accounts.some((a) => a.id === id)) return false
      await this.save(accounts.filter((a) => a.id !== id))
      await this.secrets.delete(incomingKey(id))
      await this.secrets.delete(smtpKey(id))
      return true
    })
  }

  /** The password for the incoming server; the SMTP one falls back to it when none was given. */
  async password(id: string, which: 'incoming' | 'smtp'): Promise<string> {
    const value =
      which === 'smtp'
        ? ((await this.secrets.get(smtpKey(id))) ?? (await this.secrets.get(incomingKey(id))))
        : await this.secrets.get(incomingKey(id))
    if (value === undefined) {
      throw new MailError(
        'AUTH_FAILED',
        'No password is saved for this account. Enter it in the account settings.',
      )
    }
    return value
  }

  private async storeSecrets(id: string, secrets: AccountSecrets): Promise<void> {
    await this.secrets.set(incomingKey(id), secrets.incomingPassword)
    if (secrets.smtpPassword !== undefined) await this.secrets.set(smtpKey(id), secrets.smtpPassword)
  }

  private async save(next: AccountConfig[]): Promise<void> {
    await writeFileAtomic(this.dataDir, this.path, JSON.stringify({ version: 1, accounts: next }, null, 2))
    this.accounts = next
  }

  private serialised<T>(fn: (accounts: AccountConfig[]) => Promise<T>): Promise<T> {
    return this.queue.run(async () => fn(await this.load()))
  }

  private async load(): Promise<AccountConfig[]> {
    if (this.accounts) return this.accounts
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return (this.accounts = [])
      throw error
    }
    const parsed = accountsFileSchema.safeParse(safeJson(text))
    if (!parsed.success) {
      throw new MailError(
        'INTERNAL',
        `The account settings file could not be read. Your mail is untouched; restore ${this.path} from a ` +
          'backup or move it away and add your accounts again.',
        parsed.error.message,
      )
    }
    return (this.accounts = parsed.data.accounts)
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
