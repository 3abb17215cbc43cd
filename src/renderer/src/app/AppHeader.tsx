import { makeStyles, tokens, Text } from '@fluentui/react-components'
import { MailRegular } from '@fluentui/react-icons'

const useStyles = makeStyles({
  header: {
    gridArea: 'header',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
})

export function AppHeader(): React.JSX.Element {
  const styles = useStyles()
  return (
    <header className={styles.header} role="banner">
      <MailRegular fontSize={22} aria-hidden />
      <Text weight="semibold" size={400}>
        Harbor Mail
      </Text>
    </header>
  )
}
