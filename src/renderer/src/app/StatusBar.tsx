import { makeStyles, tokens, Text } from '@fluentui/react-components'
import type { CoreLinkState } from '../sync/worker-link'

const useStyles = makeStyles({
  bar: {
    gridArea: 'status',
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  dot: { width: '8px', height: '8px', borderRadius: '50%' },
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

export function StatusBar({ link }: { link: CoreLinkState }): React.JSX.Element {
  const styles = useStyles()
  return (
    <footer className={styles.bar} role="status" aria-live="polite">
      <span className={styles.dot} style={{ backgroundColor: DOT_COLOR[link.state] }} aria-hidden />
      <Text size={200} data-testid="core-state">
        {LABEL[link.state]}
      </Text>
      {link.role === 'reader' && link.state === 'connected' && (
        <Text size={200} data-testid="reader-note">
          Another window is syncing; this one shows what it stores.
        </Text>
      )}
      {link.info && (
        <Text size={200}>
          v{link.info.coreVersion} · {link.info.mode === 'web' ? 'web host' : link.info.mode}
        </Text>
      )}
    </footer>
  )
}
