import { liveQuery } from 'dexie'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { AccountConfig } from '../../../shared/model/account'
import type { MailErrorData } from '../../../shared/errors'
import { MailError } from '../../../shared/errors'
import { readStore } from '../store/queries/read-store'
import type { AccountRow } from '../store/rows'
import { useCoreLinkState, useWorkerLink } from '../sync/worker-link-context'
import { useKeptWhileEqual } from '../components/use-kept-while-equal'
import { accountsToShow, type AccountSummary } from './accounts-shown'
import { markStartup } from './startup-marks'
import { sameRows, startupSnapshot } from './startup-snapshot'

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
/** `shown` alone: what only draws accounts does not render again when core's list or an error arrives. */
const ShownAccountsContext = createContext<readonly AccountSummary[] | undefined>(undefined)

function sameSummaries(a: readonly AccountSummary[], b: readonly AccountSummary[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.id === b[i]!.id && x.kind === b[i]!.kind && x.name === b[i]!.name && x.email === b[i]!.email,
    )
  )
}

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
  // Keyed by what accountsToShow reads: a link state change that does not make core unreachable (connecting
  // → connected, a role change) keeps the same array, so the panes drawing from it do not render again.
  const unreachable = state === 'disconnected'
  const latest = useMemo(() => accountsToShow(accounts, cached, unreachable), [accounts, cached, unreachable])
  // Core's first answer is usually what the store's copy said: the panes keep drawing the same array.
  const shown = useKeptWhileEqual(latest, (a, b) => a !== undefined && b !== undefined && sameSummaries(a, b))

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

  // Memoized: this provider renders again on every link state change, its consumers only when this changes.
  const value = useMemo(() => ({ accounts, shown, error, reload }), [accounts, shown, error, reload])
  return (
    <AccountsContext.Provider value={value}>
      <ShownAccountsContext.Provider value={shown}>{children}</ShownAccountsContext.Provider>
    </AccountsContext.Provider>
  )
}

/** The store's copy of the account list; [] if the store cannot be read (then only core's list counts). */
function useCachedAccounts(): AccountRow[] | undefined {
  // The startup snapshot (read before the first render) draws the panes until the live query answers.
  const [rows, setRows] = useState<AccountRow[] | undefined>(() => {
    const seeded = startupSnapshot()?.accounts
    if (seeded && seeded.length > 0) markStartup('cached-accounts')
    return seeded
  })
  useEffect(() => {
    let live = true
    let subscription: { unsubscribe(): void } | undefined
    readStore().then(
      (db) => {
        if (!live) return
        subscription = liveQuery(() => db.accounts.toArray()).subscribe({
          next: (r) => {
            if (r.length > 0) markStartup('cached-accounts')
            // The same rows as the startup snapshot's (the usual first answer): keep them, or the whole
            // window would render again for nothing.
            setRows((prev) => (prev && sameRows(prev, r) ? prev : r))
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

/** The accounts to draw (AccountsState.shown), for components that need nothing else of the accounts. */
export function useShownAccounts(): readonly AccountSummary[] | undefined {
  return useContext(ShownAccountsContext)
}
