import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components'
import { EditRegular } from '@fluentui/react-icons'
import { useLiveQuery } from 'dexie-react-hooks'
import { useMailDb } from '../../app/use-mail-db'
import type { MessageRow } from '../../store/rows'
import { useComposer } from './ComposeProvider'

/** Above a message of a Drafts folder: it is unfinished mail, so offer to go on writing it. */
export function DraftBar({ row }: { row: MessageRow }): React.JSX.Element | null {
  const db = useMailDb()
  const composer = useComposer()
  const folder = useLiveQuery(() => db?.folders.get(row.folderId), [db, row.folderId])
  const id = row.id
  if (folder?.specialUse !== 'drafts' || id === undefined) return null
  return (
    <MessageBar intent="info" data-testid="draft-bar">
      <MessageBarBody>This is a draft that has not been sent.</MessageBarBody>
      <MessageBarActions>
        <Button icon={<EditRegular />} onClick={() => composer.openServerDraft(id)}>
          Edit draft
        </Button>
      </MessageBarActions>
    </MessageBar>
  )
}
