import { Button, makeStyles, Text, tokens, Tooltip } from '@fluentui/react-components'
import {
  ArrowSyncRegular,
  DismissRegular,
  ErrorCircleRegular,
  PlugDisconnectedRegular,
} from '@fluentui/react-icons'
import { useShownAccounts } from '../../app/accounts-context'
import { useMailDb } from '../../app/use-mail-db'
import { useCoreLinkState } from '../../sync/worker-link-context'
import { useActivity } from './activity'
import { describeSync, useSyncStatuses } from './sync-status'

const useStyles = makeStyles({
  bar: {
    gridArea: 'status',
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    minHeight: '28px',
    padding: `0 ${tokens.spacingHorizontalM}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  },
  dot: { width: '8px', height: '8px', borderRadius: '50%', flexShrink: 0 },
  offline: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteRedForeground1,
  },
  accounts: { display: 'flex', gap: tokens.spacingHorizontalM, overflow: 'hidden', flex: 1, minWidth: 0 },
  account: { overflow: 'hidden', textOverflow: 'ellipsis' },
  failure: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteRedForeground1,
    minWidth: 0,
  },
  failureText: { overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '420px' },
  version: { color: tokens.colorNeutralForeground3 },
})

const DOT_COLOR = {
  connecting: tokens.colorPaletteYellowBackground3,
  connected: tokens.colorPaletteGreenBackground3,
  disconnected: tokens.colorPaletteRedBackground3,
} as const

const LABEL = {
  connecting: 'Connecting to the mail engine…',
  connected: 'Mail engine connected',
  disconnected: 'Mail engine not reachable',
} as const

/** Engine connection (offline indicator), per-account sync state, and the last failed action with Retry. */
export function StatusBar(): React.JSX.Element {
  const styles = useStyles()
  const link = useCoreLinkState()
  const accounts = useShownAccounts()
  const db = useMailDb()
  const statuses = useSyncStatuses(db)
  const { lastFailure, clearFailure } = useActivity()
  return (
    <footer className={styles.bar} role="status" aria-live="polite" aria-label="Status">
      <span className={styles.dot} style={{ backgroundColor: DOT_COLOR[link.state] }} aria-hidden />
      <Text size={200} data-testid="core-state">
        {LABEL[link.state]}
      </Text>
      {link.state === 'disconnected' && (
        // The panes show the cached mail instead of the welcome page's "Cannot reach the mail engine" bar,
        // so why core is not reachable, and what to do, is here.
        <Tooltip
          content={link.error?.message ?? 'The mail engine is not reachable.'}
          relationship="description"
        >
          <span className={styles.offline} data-testid="offline-indicator" tabIndex={0}>
            <PlugDisconnectedRegular aria-hidden />
            <Text size={200}>Offline: showing downloaded mail</Text>
          </span>
        </Tooltip>
      )}
      {link.role === 'reader' && link.state === 'connected' && (
        <Text size={200} data-testid="reader-note">
          Another window is syncing; this one shows what it stores.
        </Text>
      )}
      <span className={styles.accounts}>
        {(accounts ?? []).map((a) => (
          <Text key={a.id} size={200} className={styles.account} data-testid="account-sync-status">
            {a.name}: {describeSync(statuses?.get(a.id), link.storeFull !== undefined)}
          </Text>
        ))}
      </span>
      {lastFailure && (
        <span className={styles.failure} data-testid="last-error">
          <ErrorCircleRegular aria-hidden />
          <Tooltip content={lastFailure.message} relationship="description">
            <Text size={200} className={styles.failureText}>
              {lastFailure.action}: {lastFailure.message}
            </Text>
          </Tooltip>
          {lastFailure.retry && (
            <Button
              size="small"
              appearance="subtle"
              icon={<ArrowSyncRegular />}
              onClick={() => {
                clearFailure()
                lastFailure.retry?.()
              }}
            >
              Retry
            </Button>
          )}
          <Button
            size="small"
            appearance="subtle"
            icon={<DismissRegular />}
            aria-label="Dismiss error"
            onClick={clearFailure}
          />
        </span>
      )}
      {link.info && (
        <Text size={200} className={styles.version}>
          v{link.info.coreVersion} · {link.info.mode === 'web' ? 'web host' : link.info.mode}
        </Text>
      )}
    </footer>
  )
}
