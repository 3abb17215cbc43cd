import { makeStyles, Text, tokens } from '@fluentui/react-components'
import { MailRegular } from '@fluentui/react-icons'
import { useMailView } from '../../app/mail-view'
import { useMailDb } from '../../app/use-mail-db'
import type { MailDb } from '../../store/mail-db'
import { selectedCount } from '../message-list/selection'
import { MessageView } from './MessageView'
import { useMessageBody } from './use-message-body'
import { useMarkReadWhenShown } from './use-mark-read-when-shown'

const useStyles = makeStyles({
  pane: {
    minHeight: 0,
    minWidth: 0,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  empty: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalS,
    color: tokens.colorNeutralForeground3,
  },
})

function Opened({ db, id }: { db: MailDb | undefined; id: number }): React.JSX.Element {
  const { row, body } = useMessageBody(db, id)
  useMarkReadWhenShown(id, row)
  // A new message starts with remote content blocked and no dialog open: key by id.
  return <MessageView key={id} row={row} body={body} />
}

/** Right, bottom or off (View menu); shows the one selected message. */
export function ReadingPane(): React.JSX.Element {
  const s = useStyles()
  const view = useMailView()
  const db = useMailDb()
  const count = selectedCount(view.selection)
  return (
    <section className={s.pane} aria-label="Reading pane" data-testid="reading-pane">
      {view.activeMessageId !== null ? (
        <Opened db={db} id={view.activeMessageId} />
      ) : (
        <div className={s.empty}>
          <MailRegular fontSize={48} aria-hidden />
          <Text>{count > 1 ? `${count} messages selected` : 'Select a message to read it.'}</Text>
        </div>
      )}
    </section>
  )
}
