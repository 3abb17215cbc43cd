import { useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Text,
} from '@fluentui/react-components'
import { useLiveQuery } from 'dexie-react-hooks'
import type { AccountConfig } from '../../../../shared/model/account'
import { useMailDb } from '../../app/use-mail-db'
import { errorMessage, useNotify } from '../../components/notify'
import { useWorkerLink } from '../../sync/worker-link-context'
import { keptMessageCount } from '../../store/queries/message-window'

/** Asks before removing; for POP3 it says plainly that mail kept only here goes with it. */
export function RemoveAccountDialog({
  account,
  onClose,
}: {
  account: AccountConfig
  onClose(): void
}): React.JSX.Element {
  const link = useWorkerLink()
  const notify = useNotify()
  const db = useMailDb()
  const stored = useLiveQuery(
    async () =>
      db
        ? await keptMessageCount(db, await db.folders.where('accountId').equals(account.id).primaryKeys())
        : undefined,
    [db, account.id],
  )
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const remove = async (): Promise<void> => {
    setBusy(true)
    try {
      await link.callCore('accounts.remove', { id: account.id })
      // The user confirmed above: now the mail stored here for it goes too (never as a side effect).
      await link.command({ kind: 'forget-account', accountId: account.id })
      notify.info(`Account “${account.name}” removed.`, 'success')
      onClose()
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="remove-account-dialog">
        <DialogBody>
          <DialogTitle>Remove “{account.name}”?</DialogTitle>
          <DialogContent>
            <Text as="p" block>
              The account’s settings and saved password are removed from this computer
              {stored ? `, with the ${stored.toLocaleString()} messages stored here for it` : ''}.
            </Text>
            {account.kind === 'pop3' ? (
              <MessageBar intent="warning" layout="multiline" data-testid="pop3-loss-warning">
                <MessageBarBody>
                  This is a POP3 account: mail the server no longer keeps exists only on this computer and
                  would be lost, together with the app’s safety copy of mail recently removed from the server.
                  Export or move it to another account first if you need it.
                </MessageBarBody>
              </MessageBar>
            ) : (
              <Text as="p" block>
                The mail itself stays on the server ({account.incoming.host}).
              </Text>
            )}
            {error && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button appearance="primary" onClick={() => void remove()} disabled={busy}>
              Remove account
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
