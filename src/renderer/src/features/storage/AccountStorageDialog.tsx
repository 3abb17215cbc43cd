import { useEffect, useState } from 'react'
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
  Spinner,
  Text,
} from '@fluentui/react-components'
import type { AccountConfig } from '../../../../shared/model/account'
import { useMailDb } from '../../app/use-mail-db'
import { formatBytes } from '../../components/format'
import { errorMessage } from '../../components/notify'
import { accountStorage, type AccountStorage } from '../../store/bodies/account-storage'
import { useWorkerLink } from '../../sync/worker-link-context'

interface Quota {
  usage: number
  quota: number
}

/** The browser's figure for everything the app stores (undefined where the platform has none). */
async function originQuota(): Promise<Quota | undefined> {
  const estimate = await navigator.storage?.estimate?.()
  return estimate?.usage !== undefined && estimate.quota !== undefined
    ? { usage: estimate.usage, quota: estimate.quota }
    : undefined
}

/**
 * What an account's mail takes on this computer, and "Compact now": deleted mail keeps its room in the body
 * files until compaction gives it back, which the app does by itself in the background; this does it at once.
 */
export function AccountStorageDialog({
  account,
  onClose,
}: {
  account: AccountConfig
  onClose(): void
}): React.JSX.Element {
  const db = useMailDb()
  const link = useWorkerLink()
  const [report, setReport] = useState<{ storage: AccountStorage; quota?: Quota }>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [freed, setFreed] = useState<number>()

  // Measured again after a compaction (the generation changes).
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    if (!db) return
    let live = true
    Promise.all([accountStorage(db, account.id), originQuota()]).then(
      ([storage, quota]) => live && setReport({ storage, ...(quota ? { quota } : {}) }),
      (e: unknown) => live && setError(errorMessage(e)),
    )
    return () => {
      live = false
    }
  }, [db, account.id, generation])

  const compact = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      const result = (await link.command({ kind: 'compact-bodies' })) as { freedBytes: number }
      setFreed(result.freedBytes)
      setGeneration((g) => g + 1)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const storage = report?.storage
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="account-storage-dialog">
        <DialogBody>
          <DialogTitle>Storage of “{account.name}”</DialogTitle>
          <DialogContent>
            {!storage ? (
              !error && <Spinner size="small" label="Measuring…" />
            ) : (
              <>
                <Text as="p" block data-testid="storage-messages">
                  {storage.messages.toLocaleString()} messages are stored on this computer;{' '}
                  {storage.withText === storage.messages
                    ? 'all of them'
                    : `${storage.withText.toLocaleString()} of them`}{' '}
                  with their full text, which takes {formatBytes(storage.textBytes)}.
                </Text>
                <Text as="p" block data-testid="storage-reclaimable">
                  {storage.reclaimable > 0
                    ? `Deleted mail still takes ${formatBytes(storage.reclaimable)}. Harbor Mail gives that room ` +
                      'back by itself when enough has gathered; Compact now does it at once.'
                    : 'Deleted mail takes no room.'}
                </Text>
                {report.quota && (
                  <Text as="p" block data-testid="storage-quota">
                    All accounts together: {formatBytes(report.quota.usage)} of the{' '}
                    {formatBytes(report.quota.quota)} this computer allows Harbor Mail.
                  </Text>
                )}
              </>
            )}
            {freed !== undefined && (
              <MessageBar intent="success" data-testid="storage-freed">
                <MessageBarBody>
                  {freed > 0 ? `${formatBytes(freed)} given back.` : 'There was no room to give back.'}
                </MessageBarBody>
              </MessageBar>
            )}
            {error && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button
              onClick={() => void compact()}
              disabled={busy || !storage || storage.reclaimable === 0}
              icon={busy ? <Spinner size="tiny" /> : undefined}
            >
              Compact now
            </Button>
            <Button appearance="primary" onClick={onClose}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
