import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components'
import { useLiveQuery } from 'dexie-react-hooks'
import { useMailDb } from '../../app/use-mail-db'
import { useNotify } from '../../components/notify'
import type { DraftContent, OutboxRow, OutboxState } from '../../store/compose-rows'
import { useWorkerLink } from '../../sync/worker-link-context'

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, margin: 0, padding: 0 },
  item: {
    listStyle: 'none',
    padding: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  error: { color: tokens.colorPaletteRedForeground1 },
})

const LABEL: Record<OutboxState, [string, 'informative' | 'warning' | 'danger' | 'success' | 'brand']> = {
  queued: ['Waiting to send', 'informative'],
  sending: ['Sending', 'brand'],
  sent: ['Sent', 'success'],
  failed: ['Not sent', 'danger'],
  unknown: ['Outcome unknown — decide', 'warning'],
}

/**
 * The Outbox and local drafts: what is on its way, what failed and why (per recipient), and the decisions
 * only the user can make: send again, mark as sent, edit, dismiss.
 */
export function OutboxDialog(props: {
  onClose(): void
  onOpenDraft(d: DraftContent): void
}): React.JSX.Element {
  const styles = useStyles()
  const db = useMailDb()
  const link = useWorkerLink()
  const notify = useNotify()
  const rows = useLiveQuery(() => db?.outbox.orderBy('createdAt').toArray() ?? [], [db]) ?? []
  const drafts = useLiveQuery(() => db?.drafts.orderBy('updatedAt').reverse().toArray() ?? [], [db]) ?? []
  const resolve = (row: OutboxRow, decision: 'retry' | 'mark-sent' | 'edit' | 'dismiss'): void => {
    link
      .command({ kind: 'outbox-resolve', outboxId: row.id, decision })
      .then(() => {
        if (decision === 'edit') props.onOpenDraft(row.draft)
      })
      .catch((e: unknown) => notify.error('Outbox', e))
  }
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface style={{ width: 'min(760px, 96vw)', maxWidth: 'min(760px, 96vw)' }}>
        <DialogBody>
          <DialogTitle>Outbox and drafts</DialogTitle>
          <DialogContent>
            {rows.length === 0 && <Text>Nothing waiting to be sent.</Text>}
            <ul className={styles.list} aria-label="Outbox">
              {rows.map((row) => {
                const [label, color] = LABEL[row.state]
                return (
                  <li key={row.id} className={styles.item} data-testid="outbox-row" data-state={row.state}>
                    <div className={styles.row}>
                      <Badge appearance="tint" color={color}>
                        {label}
                      </Badge>
                      <Text weight="semibold">{row.subject || '(no subject)'}</Text>
                      <Text size={200}>to {row.envelope.to.join(', ')}</Text>
                    </div>
                    {row.lastError && row.state !== 'sent' && (
                      <Text className={styles.error}>{row.lastError.message}</Text>
                    )}
                    {row.rejected.map((r) => (
                      <Text key={r.address} className={styles.error}>
                        {r.address} did not get it: {r.response}
                      </Text>
                    ))}
                    <div className={styles.row}>
                      {(row.state === 'failed' || row.state === 'unknown') && (
                        <>
                          <Button size="small" onClick={() => resolve(row, 'retry')}>
                            Send again
                          </Button>
                          {row.state === 'unknown' && (
                            <Button size="small" onClick={() => resolve(row, 'mark-sent')}>
                              It was sent
                            </Button>
                          )}
                          <Button size="small" onClick={() => resolve(row, 'edit')}>
                            Edit
                          </Button>
                        </>
                      )}
                      {row.state === 'sent' && row.rejected.length > 0 && (
                        <Button size="small" onClick={() => resolve(row, 'dismiss')}>
                          Dismiss
                        </Button>
                      )}
                    </div>
                  </li>
                )
              })}
            </ul>
            {drafts.filter((d) => !d.discarded).length > 0 && <Text weight="semibold">Drafts</Text>}
            <ul className={styles.list} aria-label="Drafts">
              {drafts
                .filter((d) => !d.discarded)
                .map((d) => (
                  <li key={d.id} className={styles.item}>
                    <div className={styles.row}>
                      <Text>{d.subject || '(no subject)'}</Text>
                      <Text size={200}>{new Date(d.updatedAt).toLocaleString()}</Text>
                      <Button size="small" onClick={() => props.onOpenDraft(d)}>
                        Open
                      </Button>
                    </div>
                  </li>
                ))}
            </ul>
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
