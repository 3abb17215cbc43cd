import { errorMessage, useNotify } from '../../components/notify'
import type { MboxExportResult } from '../../sync/archive/archive-commands'
import { useWorkerLink } from '../../sync/worker-link-context'
import { saveFile } from './save-file'

/** Exports a folder, or messages, as one mbox file and says how many went in. */
export function useExportMbox(): (what: { folderId: string } | { messageIds: number[] }) => void {
  const link = useWorkerLink()
  const notify = useNotify()
  return (what) => {
    link
      .command({
        kind: 'export-mbox',
        folderId: 'folderId' in what ? what.folderId : null,
        messageIds: 'messageIds' in what ? what.messageIds : null,
      })
      .then(async (r) => {
        const result = r as MboxExportResult
        if ((await saveFile(result.fileName, result.blob)) === 'cancelled') return
        const skipped =
          result.skipped > 0
            ? ` ${result.skipped.toLocaleString()} not stored in full on this computer were left out.`
            : ''
        notify.info(
          `Exported ${result.exported.toLocaleString()} messages to ${result.fileName}.${skipped}`,
          'success',
        )
      })
      .catch((e: unknown) => notify.error('Export failed', new Error(errorMessage(e))))
  }
}
