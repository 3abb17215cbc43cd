import { FluentProvider, webDarkTheme, webLightTheme, makeStyles, tokens } from '@fluentui/react-components'
import { useOsTheme } from './use-os-theme'
import type { WorkerLink } from '../sync/worker-link'
import { useCoreLinkState, WorkerLinkProvider } from '../sync/worker-link-context'
import { AppHeader } from './AppHeader'
import { FolderPane } from './FolderPane'
import { StatusBar } from './StatusBar'
import { WelcomePane } from './WelcomePane'

const useStyles = makeStyles({
  root: {
    height: '100vh',
    display: 'grid',
    gridTemplateRows: 'auto 1fr auto',
    gridTemplateColumns: '260px 1fr',
    gridTemplateAreas: '"header header" "folders main" "status status"',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
})

export function App({ link }: { link: WorkerLink }): React.JSX.Element {
  const theme = useOsTheme()
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme}>
      <WorkerLinkProvider link={link}>
        <Shell />
      </WorkerLinkProvider>
    </FluentProvider>
  )
}

function Shell(): React.JSX.Element {
  const styles = useStyles()
  const link = useCoreLinkState()
  return (
    <div
      className={styles.root}
      data-testid="app-shell"
      data-core-state={link.state}
      data-store-role={link.role}
    >
      <AppHeader />
      <FolderPane />
      <WelcomePane link={link} />
      <StatusBar link={link} />
    </div>
  )
}
