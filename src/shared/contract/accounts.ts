import { z } from 'zod'
import {
  accountConfigSchema,
  accountSecretsSchema,
  newAccountSchema,
  serverSettingsSchema,
} from '../model/account'
import { method, type EventMap, type MethodMap } from './define'

/**
 * The "accounts" service. Core keeps account settings and (encrypted) passwords; clients refer to accounts
 * by id and never see a password again after handing it over.
 */
export const accountsMethods = {
  /** Every configured account, in the user's order. No secrets. */
  'accounts.list': method({
    params: z.object({}),
    result: z.object({ accounts: z.array(accountConfigSchema) }),
  }),
  /**
   * Adds an account and stores its passwords encrypted. Does not connect: call `accounts.test` first.
   * @example await rpc.call('accounts.add', { account: {...}, secrets: { incomingPassword: 'pw' } })
   */
  'accounts.add': method({
    params: z.object({ account: newAccountSchema, secrets: accountSecretsSchema }),
    result: z.object({ account: accountConfigSchema }),
  }),
  /** Replaces an account's settings; passwords change only when `secrets` is given. */
  'accounts.update': method({
    params: z.object({ account: accountConfigSchema, secrets: accountSecretsSchema.optional() }),
    result: z.object({ account: accountConfigSchema }),
  }),
  /**
   * Removes the account and its stored passwords. Local mail is the client's to delete (it knows what is
   * local-only and must ask the user first).
   * @returns `removed: false` when no such account existed.
   */
  'accounts.remove': method({
    params: z.object({ id: z.string() }),
    result: z.object({ removed: z.boolean() }),
  }),
  /**
   * Connects and logs in to one server with the given settings, then disconnects: the check the account
   * wizard runs before saving.
   * @throws AUTH_FAILED, HOST_NOT_FOUND, CONNECTION_REFUSED, TLS_UNTRUSTED, TLS_REQUIRED, TIMEOUT, …
   */
  'accounts.test': method({
    params: z.object({
      protocol: z.enum(['imap', 'pop3', 'smtp']),
      server: serverSettingsSchema,
      password: z.string().min(1).max(4096),
      trustedCaPem: z.string().max(65_536).nullable().default(null),
    }),
    result: z.object({ ok: z.literal(true), capabilities: z.array(z.string()) }),
  }),
} satisfies MethodMap

export const accountsEvents = {
  /** Sent after any add, update or remove, so every window refreshes its account list. */
  'accounts.changed': z.object({ ids: z.array(z.string()) }),
} satisfies EventMap
