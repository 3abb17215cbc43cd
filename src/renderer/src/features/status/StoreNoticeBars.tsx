import { useState } from 'react'
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  tokens,
} from '@fluentui/react-components'
import { DismissRegular } from '@fluentui/react-icons'
import { useLiveQuery } from 'dexie-react-hooks'
import type { MailErrorData } from '../../../../shared/errors'
import type { AccountConfig } from '../../../../shared/model/account'
import { useAccounts } from '../../app/accounts-context'
import { useMailDb } from '../../app/use-mail-db'
import { formatFullDate } from '../../components/format'
import { errorMessage, useNotify } from '../../components/notify'
import {
  isStoreResetRecord,
  STORE_RESET_PREFIX,
  type StoreResetRecord,
} from '../../sync/pop3/store-reset-record'
import { useCoreLinkState, useWorkerLink } from '../../sync/worker-link-context'

const useStyles = makeStyles({
  bars: {
    gridArea: 'notices',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
  },
})

/** Core trusted the new store at once: nothing had ever been removed from the server, so nothing to restore. */
const trustedAtOnce = (r: StoreResetRecord): boolean =>
  r.outcome === 'restored' && r.restored === 0 && r.dropped === 0

/** What happened, in the user's words: when, what came back from the safety copy, what did not. */
export function describeStoreReset(r: StoreResetRecord): string {
  const cause = r.dataLoss ? ` The browser reported: “${r.dataLoss}”.` : ''
  if (trustedAtOnce(r)) {
    return (
      `On ${formatFullDate(r.resetAt)} the mail stored on this computer for this account was found empty or replaced.${cause} ` +
      'Nothing had ever been removed from the server, so all of its mail was still there and was downloaded again ' +
      '(messages you had deleted here come back too). What existed only on this computer is gone: folders you made ' +
      'for this account (their messages are back in the Inbox), and read and flag marks.'
    )
  }
  const restored =
    r.restored > 0
      ? `${r.restored.toLocaleString()} messages that had already left the server were restored from it.`
      : 'nothing in it was missing here.'
  const lost =
    r.dropped > 0
      ? ` Up to ${r.dropped.toLocaleString()} older messages whose safety copy had already expired were only in the old store and could not be restored.`
      : ''
  return (
    `On ${formatFullDate(r.resetAt)} the mail stored on this computer for this account was found empty or replaced.${cause} ` +
    `Harbor Mail keeps its own safety copy of mail it removes from the server: ${restored}${lost}`
  )
}

/**
 * Bars above the panes about the local store itself: that it is full (nothing more can be saved until
 * there is room), and the notice of a POP3 store reset (src/core/pop3/NO-LOSS.md), one bar per account that
 * had one. A reset core cannot undo on its own pauses every deletion from the server until the user accepts
 * this store; a resolved one stays on show until dismissed, so the user learns it happened.
 */
export function StoreNoticeBars(): React.JSX.Element | null {
  const styles = useStyles()
  const { storeFull } = useCoreLinkState()
  const db = useMailDb()
  const { accounts } = useAccounts()
  const records = useLiveQuery(async () => {
    if (!db) return []
    const rows = await db.syncState.where('key').startsWith(STORE_RESET_PREFIX).toArray()
    return rows.map((r) => r.value).filter(isStoreResetRecord)
  }, [db])
  const shown = (records ?? []).flatMap((record) => {
    const account = accounts?.find((a) => a.id === record.accountId)
    return account && record.dismissedAt === null ? [{ record, account }] : []
  })
  if (shown.length === 0 && !storeFull) return null
  return (
    <div className={styles.bars}>
      {storeFull && <StoreFullNotice error={storeFull} />}
      {shown.map(({ record, account }) => (
        <ResetNotice key={account.id} record={record} account={account} />
      ))}
    </div>
  )
}

/** Shown while syncs cannot save mail for lack of room; the next sync that can removes it. */
function StoreFullNotice({ error }: { error: MailErrorData }): React.JSX.Element {
  const link = useWorkerLink()
  const [busy, setBusy] = useState(false)
  const retry = (): void => {
    setBusy(true)
    // The outcome comes back as this bar (still full) or its disappearance; errors of other kinds show
    // in the accounts' status.
    link
      .command({ kind: 'sync-now' })
      .catch(() => undefined)
      .finally(() => setBusy(false))
  }
  return (
    <MessageBar intent="error" layout="multiline" data-testid="store-full-notice">
      <MessageBarBody>
        <MessageBarTitle>No room to save mail</MessageBarTitle>
        {error.message}
      </MessageBarBody>
      <MessageBarActions>
        <Button disabled={busy} onClick={retry}>
          Try again
        </Button>
      </MessageBarActions>
    </MessageBar>
  )
}

function ResetNotice({
  record,
  account,
}: {
  record: StoreResetRecord
  account: AccountConfig
}): React.JSX.Element {
  const link = useWorkerLink()
  const notify = useNotify()
  const [busy, setBusy] = useState(false)
  const run = async (command: Parameters<typeof link.command>[0], done?: string): Promise<void> => {
    setBusy(true)
    try {
      await link.command(command)
      if (done) notify.info(done, 'success')
    } catch (e) {
      notify.info(errorMessage(e), 'error')
    } finally {
      setBusy(false)
    }
  }
  const accountId = account.id
  if (record.outcome === 'needs-user') {
    return (
      <MessageBar
        intent="warning"
        layout="multiline"
        data-testid="store-reset-notice"
        data-outcome="needs-user"
      >
        <MessageBarBody>
          <MessageBarTitle>{account.name}: the local mail store was reset</MessageBarTitle>
          {describeStoreReset(record)} Until you accept this store, nothing is deleted from the server (new
          mail is still downloaded and stays there too). Accept it once you have checked your mail is here.
        </MessageBarBody>
        <MessageBarActions>
          <Button
            appearance="primary"
            disabled={busy}
            onClick={() =>
              void run(
                { kind: 'accept-store', accountId },
                `${account.name}: this store is accepted; the server-copy policy applies again.`,
              )
            }
          >
            Accept this store
          </Button>
          <Button disabled={busy} onClick={() => void run({ kind: 'sync-now', accountId })}>
            Restore again
          </Button>
        </MessageBarActions>
      </MessageBar>
    )
  }
  return (
    <MessageBar
      intent="info"
      layout="multiline"
      data-testid="store-reset-notice"
      data-outcome={record.outcome}
    >
      <MessageBarBody>
        <MessageBarTitle>{account.name}: the local mail store was reset</MessageBarTitle>
        {describeStoreReset(record)}{' '}
        {record.outcome === 'accepted'
          ? 'You accepted this store; the server-copy policy applies again.'
          : trustedAtOnce(record)
            ? ''
            : 'Everything is back; the server-copy policy applies again.'}
      </MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            aria-label="Dismiss"
            icon={<DismissRegular />}
            disabled={busy}
            onClick={() => void run({ kind: 'dismiss-store-reset', accountId })}
          />
        }
      />
    </MessageBar>
  )
}
