import { makeStyles, SearchBox as FluentSearchBox, tokens } from '@fluentui/react-components'
import { useMailView } from '../../app/mail-view'
import { SEARCH_INPUT_ID } from '../actions/use-shortcuts'

const useStyles = makeStyles({
  box: { width: '100%', maxWidth: '560px' },
  input: { backgroundColor: tokens.colorNeutralBackground1 },
})

/**
 * The header's search (Ctrl+E). Results appear in the message list as you type; Escape clears and returns
 * to the folder.
 */
export function SearchBox(): React.JSX.Element {
  const styles = useStyles()
  const view = useMailView()
  return (
    <FluentSearchBox
      id={SEARCH_INPUT_ID}
      className={styles.box}
      placeholder="Search subject, sender, recipients (Ctrl+E)"
      aria-label="Search mail"
      value={view.query}
      onChange={(_, d) => view.setQuery(d.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') view.setQuery('')
        if (e.key === 'Enter' || e.key === 'ArrowDown') {
          e.preventDefault()
          document.querySelector<HTMLElement>('[data-testid="message-list"]')?.focus()
        }
      }}
      data-testid="search-box"
    />
  )
}
