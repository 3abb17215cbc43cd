import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import type { AccountConfig } from '../../../shared/model/account'
import type { MailErrorData } from '../../../shared/errors'
import { MailError } from '../../../shared/errors'
import { useCoreLinkState, useWorkerLink } from '../sync/worker-link-context'
import { markStartup } from './startup-marks'

export interface AccountsState {
  /** Undefined until core answered once. */
  accounts: AccountConfig[] | undefined
  error: MailErrorData | undefined
  reload(): void
}

const AccountsContext = createContext<AccountsState | undefined>(undefined)

/**
 * The configured accounts come from core (it owns settings and secrets), not from the store: an account
 * exists as soon as it is saved, before the sync engine has written anything for it.
 */
export function AccountsProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const link = useWorkerLink()
  const { state } = useCoreLinkState()
  const [accounts, setAccounts] = useState<AccountConfig[]>()
  const [error, setError] = useState<MailErrorData>()
  const [generation, setGeneration] = useState(0)
  const reload = useCallback(() => setGeneration((g) => g + 1), [])

  useEffect(() => link.onCoreEvent('accounts.changed', reload), [link, reload])
  useEffect(() => {
    if (state !== 'connected') return
    let live = true
    link
      .callCore('accounts.list', {})
      .then((r) => {
        if (!live) return
        markStartup('accounts')
        setAccounts(r.accounts)
        setError(undefined)
      })
      .catch((e: unknown) => {
        if (live)
          setError(
            e instanceof MailError
              ? e.toJSON()
              : { code: 'INTERNAL', message: 'Could not read the accounts.' },
          )
      })
    return () => {
      live = false
    }
  }, [link, state, generation])

  return <AccountsContext.Provider value={{ accounts, error, reload }}>{children}</AccountsContext.Provider>
}

export function useAccounts(): AccountsState {
  const value = useContext(AccountsContext)
  if (!value) throw new Error('useAccounts() needs an <AccountsProvider> above it')
  return value
}
