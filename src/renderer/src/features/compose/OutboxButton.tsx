import { CounterBadge, ToolbarButton, Tooltip } from '@fluentui/react-components'
import { MailInboxArrowUpRegular } from '@fluentui/react-icons'
import { useLiveQuery } from 'dexie-react-hooks'
import { useMailDb } from '../../app/use-mail-db'
import { useComposer } from './ComposeProvider'

/** The command bar's way into the Outbox; the badge counts messages not yet sent. */
export function OutboxButton(): React.JSX.Element {
  const db = useMailDb()
  const composer = useComposer()
  const waiting = useLiveQuery(() => db?.outbox.where('state').noneOf(['sent']).count() ?? 0, [db]) ?? 0
  return (
    <Tooltip content="Outbox and drafts" relationship="label">
      <ToolbarButton icon={<MailInboxArrowUpRegular />} onClick={composer.openOutbox}>
        Outbox {waiting > 0 && <CounterBadge count={waiting} size="small" color="danger" />}
      </ToolbarButton>
    </Tooltip>
  )
}
