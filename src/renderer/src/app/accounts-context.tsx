import { liveQuery } from 'dexie'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { AccountConfig } from '../../../shared/model/account'
import type { MailErrorData } from '../../../shared/errors'
import { MailError } from '../../../shared/errors'
import { readStore } from '../store/queries/read-store'
import type { AccountRow } from '../store/rows'
import { useCoreLinkState, useWorkerLink } from '../sync/worker-link-context'
import { accountsToShow, type AccountSummary } from './accounts-shown'
import { markStartup } from './startup-marks'

export type { AccountSummary } from './accounts-shown'

export interface AccountsState {
  /** Core's list, for whatever edits or sends; undefined until core answered once. */
  accounts: AccountConfig[] | undefined
  /**
   * The accounts to draw: core's list, or the store's copy of it until core answers (at once on start, and
   * when core is not reachable); undefined while neither is known. See accountsToShow.
   */
  shown: readonly AccountSummary[] | undefined
  error: MailErrorData | undefined
  reload(): void
}

const AccountsContext = createContext<AccountsState | undefined>(undefined)

/**
 * The configured accounts come from core (it owns settings and secrets), not from the store: an account
 * exists as soon as it is saved, before the sync engine has written anything for it. The store's copy only
 * draws the panes until core has answered: the first screen should not wait for core to start.
 */
export function AccountsProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const link = useWorkerLink()
  const { state } = useCoreLinkState()
  const [accounts, setAccounts] = useState<AccountConfig[]>()
  const [error, setError] = useState<MailErrorData>()
  const [generation, setGeneration] = useState(0)
  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const cached = useCachedAccounts()
  const shown = useMemo(
    () => accountsToShow(accounts, cached, state === 'disconnected'),
    [accounts, cached, state],
  )

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

  return (
    <AccountsContext.Provider value={{ accounts, shown, error, reload }}>{children}</AccountsContext.Provider>
  )
}

/** The store's copy of the account list; [] if the store cannot be read (then only core's list counts). */
function useCachedAccounts(): AccountRow[] | undefined {
  const [rows, setRows] = useState<AccountRow[]>()
  useEffect(() => {
    let live = true
    let subscription: { unsubscribe(): void } | undefined
    readStore().then(
      (db) => {
        if (!live) return
        subscription = liveQuery(() => db.accounts.toArray()).subscribe({
          next: (r) => {
            if (r.length > 0) markStartup('cached-accounts')
            setRows(r)
          },
          error: () => setRows([]),
        })
      },
      () => live && setRows([]),
    )
    return () => {
      live = false
      subscription?.unsubscribe()
    }
  }, [])
  return rows
}

export function useAccounts(): AccountsState {
  const value = useContext(AccountsContext)
  if (!value) throw new Error('useAccounts() needs an <AccountsProvider> above it')
  return value
}
