import type { ServerSettings } from '../../shared/model/account'
import type { AccountRegistry } from '../accounts/account-registry'
import type { HandlerMap } from '../rpc/server'

export type ProbeFn = (
  server: ServerSettings,
  password: string,
  ca: string[] | undefined,
  signal: AbortSignal,
) => Promise<string[]>

export interface ServerProbes {
  imap: ProbeFn
  pop3: ProbeFn
  smtp: ProbeFn
}

export interface AccountsServiceDeps {
  registry: AccountRegistry
  probes: ServerProbes
  emitChanged: (ids: string[]) => void
  /** After an account is removed: what core kept for it outside the settings (POP3 safety copies) goes. */
  onRemoved?: (id: string) => Promise<void>
}

export type AccountsHandlers = Pick<
  HandlerMap,
  'accounts.list' | 'accounts.add' | 'accounts.update' | 'accounts.remove' | 'accounts.test'
>

/** Account settings and the wizard's connection test; see `accountsMethods` in the contract. */
export function createAccountsHandlers({
  registry,
  probes,
  emitChanged,
  onRemoved,
}: AccountsServiceDeps): AccountsHandlers {
  return {
    'accounts.list': async () => ({ accounts: await registry.list() }),
    'accounts.add': async ({ account, secrets }) => {
      const added = await registry.add(account, secrets)
      emitChanged([added.id])
      return { account: added }
    },
    'accounts.update': async ({ account, secrets }) => {
      const updated = await registry.update(account, secrets)
      emitChanged([updated.id])
      return { account: updated }
    },
    'accounts.remove': async ({ id }) => {
      const removed = await registry.remove(id)
      if (removed) {
        await onRemoved?.(id)
        emitChanged([id])
      }
      return { removed }
    },
    'accounts.test': async ({ protocol, server, password, trustedCaPem }, { signal }) => {
      const ca = trustedCaPem ? [trustedCaPem] : undefined
      const capabilities = await probes[protocol](server, password, ca, signal)
      return { ok: true as const, capabilities }
    },
  }
}
