import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import { MessageListPane } from '../features/message-list/MessageListPane'
import { ReadingPane } from '../features/reading-pane/ReadingPane'
import { useMailView } from './mail-view'

const useStyles = makeStyles({
  panes: { gridArea: 'main', display: 'grid', minHeight: 0, minWidth: 0 },
  right: {
    gridTemplateColumns: 'minmax(300px, 38%) 1fr',
    '& > :first-child': { borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  },
  bottom: {
    gridTemplateRows: 'minmax(180px, 42%) 1fr',
    '& > :first-child': { borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  },
  off: { gridTemplateColumns: '1fr' },
})

/** The message list and the reading pane, arranged as the View menu says. */
export function MailPanes(): React.JSX.Element {
  const styles = useStyles()
  const { readingPane } = useMailView()
  return (
    <main className={mergeClasses(styles.panes, styles[readingPane])} data-reading-pane={readingPane}>
      <MessageListPane />
      {readingPane !== 'off' && <ReadingPane />}
    </main>
  )
}
