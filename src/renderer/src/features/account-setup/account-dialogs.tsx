import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import type { AccountConfig } from '../../../../shared/model/account'
import { AccountWizard, type WizardMode } from './AccountWizard'
import { IdentitiesDialog } from './IdentitiesDialog'
import { RemoveAccountDialog } from './RemoveAccountDialog'
import { AccountStorageDialog } from '../storage/AccountStorageDialog'

interface AccountDialogs {
  addAccount(): void
  editAccount(account: AccountConfig): void
  removeAccount(account: AccountConfig): void
  editIdentities(account: AccountConfig): void
  showStorage(account: AccountConfig): void
}

const AccountDialogsContext = createContext<AccountDialogs | undefined>(undefined)

type Open =
  | WizardMode
  | { kind: 'remove'; account: AccountConfig }
  | { kind: 'identities'; account: AccountConfig }
  | { kind: 'storage'; account: AccountConfig }
  | null

/** Opens the account dialogs from anywhere (welcome page, folder pane, toolbar); one at a time. */
export function AccountDialogsProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [open, setOpen] = useState<Open>(null)
  const value = useMemo<AccountDialogs>(
    () => ({
      addAccount: () => setOpen({ kind: 'add' }),
      editAccount: (account) => setOpen({ kind: 'edit', account }),
      removeAccount: (account) => setOpen({ kind: 'remove', account }),
      editIdentities: (account) => setOpen({ kind: 'identities', account }),
      showStorage: (account) => setOpen({ kind: 'storage', account }),
    }),
    [],
  )
  const close = (): void => setOpen(null)
  return (
    <AccountDialogsContext.Provider value={value}>
      {children}
      {open?.kind === 'identities' && <IdentitiesDialog account={open.account} onClose={close} />}
      {open?.kind === 'remove' && <RemoveAccountDialog account={open.account} onClose={close} />}
      {open?.kind === 'storage' && <AccountStorageDialog account={open.account} onClose={close} />}
      {(open?.kind === 'add' || open?.kind === 'edit') && <AccountWizard mode={open} onClose={close} />}
    </AccountDialogsContext.Provider>
  )
}

export function useAccountDialogs(): AccountDialogs {
  const value = useContext(AccountDialogsContext)
  if (!value) throw new Error('useAccountDialogs() needs an <AccountDialogsProvider> above it')
  return value
}
