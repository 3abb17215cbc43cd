import {
  FluentProvider,
  makeStyles,
  Spinner,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components'
import { NotifyProvider } from '../components/notify'
import { CommandBar } from '../features/actions/CommandBar'
import { MoveDialogProvider } from '../features/actions/MoveDialog'
import { ArchiveDialogsProvider } from '../features/folder-actions/archive-dialogs'
import { useShortcuts } from '../features/actions/use-shortcuts'
import { AccountDialogsProvider } from '../features/account-setup/account-dialogs'
import { ComposeProvider } from '../features/compose/ComposeProvider'
import { FolderPane } from '../features/folder-pane/FolderPane'
import { ActivityProvider } from '../features/status/activity'
import { useNewMailNotifications } from '../features/status/new-mail-notifier'
import { StatusBar } from '../features/status/StatusBar'
import { StoreNoticeBars } from '../features/status/StoreNoticeBars'
import { useEffect } from 'react'
import { useInboxIds } from './use-inbox-ids'
import { useMailDb } from './use-mail-db'
import { dropStartupSnapshot } from './startup-snapshot'
import type { WorkerLink } from '../sync/worker-link'
import { useCoreLinkState, WorkerLinkProvider } from '../sync/worker-link-context'
import { AccountsProvider, useShownAccounts } from './accounts-context'
import { AppHeader } from './AppHeader'
import { MailPanes } from './MailPanes'
import { MailViewProvider } from './mail-view'
import { useOsTheme } from './use-os-theme'
import { WelcomePane } from './WelcomePane'

const useStyles = makeStyles({
  root: {
    height: '100vh',
    display: 'grid',
    gridTemplateRows: 'auto auto auto minmax(0, 1fr) auto',
    gridTemplateColumns: '260px minmax(0, 1fr)',
    gridTemplateAreas: '"header header" "toolbar toolbar" "notices notices" "folders main" "status status"',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
  loading: { gridArea: 'main', display: 'flex', alignItems: 'center', justifyContent: 'center' },
})

export function App({ link }: { link: WorkerLink }): React.JSX.Element {
  const theme = useOsTheme()
  // Only the first render starts from the startup snapshot.
  useEffect(dropStartupSnapshot, [])
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme}>
      <WorkerLinkProvider link={link}>
        <NotifyProvider>
          <ActivityProvider>
            <AccountsProvider>
              <MailViewProvider>
                <AccountDialogsProvider>
                  <ComposeProvider>
                    <ArchiveDialogsProvider>
                      <MoveDialogProvider>
                        <Shell />
                      </MoveDialogProvider>
                    </ArchiveDialogsProvider>
                  </ComposeProvider>
                </AccountDialogsProvider>
              </MailViewProvider>
            </AccountsProvider>
          </ActivityProvider>
        </NotifyProvider>
      </WorkerLinkProvider>
    </FluentProvider>
  )
}

function Shell(): React.JSX.Element {
  const styles = useStyles()
  const link = useCoreLinkState()
  // The store's copy until core answers: the panes draw from the cache at once, and offline.
  const accounts = useShownAccounts()
  const hasAccounts = (accounts?.length ?? 0) > 0
  const accountsUnknown = accounts === undefined
  return (
    <div
      className={styles.root}
      data-testid="app-shell"
      data-core-state={link.state}
      data-store-role={link.role}
    >
      <AppHeader search={hasAccounts} />
      <CommandBar />
      <StoreNoticeBars />
      <FolderPane />
      {hasAccounts ? (
        <MailPanes />
      ) : accountsUnknown ? (
        // Until the accounts are known, show nothing rather than a welcome page that may be wrong.
        <main className={styles.loading} aria-busy="true">
          <Spinner size="small" label="Loading accounts…" />
        </main>
      ) : (
        <WelcomePane link={link} />
      )}
      <StatusBar />
      <WindowShortcuts />
      <NewMailNotifier accounts={accounts} />
    </div>
  )
}

/*
 * The window's shortcuts and new-mail notifications, as components that draw nothing: their hooks follow the
 * store (the selection, the folders' counts) and re-render whoever calls them, here themselves only. Called
 * in Shell they re-drew the whole window at every commit of a sync (54 times in a 10,000-message download).
 */

function WindowShortcuts(): null {
  useShortcuts()
  return null
}

function NewMailNotifier({ accounts }: { accounts: readonly { id: string }[] | undefined }): null {
  const db = useMailDb()
  const inboxes = useInboxIds(db, accounts)
  useNewMailNotifications(db, inboxes ?? [])
  return null
}
