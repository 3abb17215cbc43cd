import { makeStyles, tokens, Text } from '@fluentui/react-components'
import { MailRegular } from '@fluentui/react-icons'
import { SearchBox } from '../features/search/SearchBox'

const useStyles = makeStyles({
  header: {
    gridArea: 'header',
    display: 'grid',
    gridTemplateColumns: '248px 1fr 248px',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  search: { display: 'flex', justifyContent: 'center' },
})

export function AppHeader({ search }: { search: boolean }): React.JSX.Element {
  const styles = useStyles()
  return (
    <header className={styles.header} role="banner">
      <span className={styles.brand}>
        <MailRegular fontSize={22} aria-hidden />
        <Text weight="semibold" size={400}>
          Harbor Mail
        </Text>
      </span>
      <search className={styles.search} role="search">
        {search && <SearchBox />}
      </search>
    </header>
  )
}
