import { makeStyles, tokens, Text } from '@fluentui/react-components'

const useStyles = makeStyles({
  pane: {
    gridArea: 'folders',
    padding: tokens.spacingHorizontalM,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    overflowY: 'auto',
  },
  empty: { color: tokens.colorNeutralForeground3 },
})

/** The accounts → folders tree; empty until accounts exist (account setup and sync are separate work). */
export function FolderPane(): React.JSX.Element {
  const styles = useStyles()
  return (
    <nav className={styles.pane} aria-label="Accounts and folders">
      <Text weight="semibold">Accounts</Text>
      <Text className={styles.empty} size={200}>
        No accounts yet.
      </Text>
    </nav>
  )
}
