import { useCallback, useMemo } from 'react'
import { useMailView } from '../../app/mail-view'
import { useMailDb } from '../../app/use-mail-db'
import { useNotify } from '../../components/notify'
import type { WorkerCommand } from '../../sync/commands'
import { useWorkerLink } from '../../sync/worker-link-context'
import { useActivity } from '../status/activity'
import { useComposer } from '../compose/ComposeProvider'
import { useArchiveDialogs } from '../folder-actions/archive-dialogs'
import { saveFile } from '../folder-actions/save-file'
import { transferNotice } from '../folder-actions/transfer-notice'
import { useExportMbox } from '../folder-actions/use-export-mbox'
import type { EmlExportResult } from '../../sync/archive/archive-commands'
import { getMessages } from '../../store/messages'
import { collapseToFirst } from '../message-list/selection'
import { forgetUndo, movedBack, rememberUndo, takeUndo } from './undo-move'

export type ComposeKind = 'new' | 'reply' | 'reply-all' | 'forward' | 'forward-attachment'

export interface MailActions {
  syncNow(accountId?: string): void
  markRead(read: boolean): void
  toggleFlag(): void
  deleteSelected(): void
  archiveSelected(): void
  /** Moves the selected messages to a folder (drag-and-drop onto the folder pane, or Move to folder…). */
  moveSelected(toFolderId: string): void
  /** Copies the selected messages to a folder (Ctrl held while dropping); says so when done. */
  copySelected(toFolderId: string, folderName: string): void
  compose(kind: ComposeKind): void
  /** Local mail, issue 6: copy anywhere, save as .eml, export as mbox (the selection). */
  copyToFolder(): void
  saveAsEml(): void
  exportSelectedMbox(): void
  /** Ctrl+Z: moves back what the last Delete, Archive or Move took away. */
  undo(): void
}

/**
 * Every mail action of the window (toolbar, context menu, keyboard) goes through here: one place that turns
 * the selection into ids, asks the sync worker, and reports a failure as a toast + the status bar's last error.
 */
export function useMailActions(): MailActions {
  const link = useWorkerLink()
  const view = useMailView()
  const db = useMailDb()
  const notify = useNotify()
  const { reportFailure } = useActivity()
  const composer = useComposer()
  const archive = useArchiveDialogs()
  const exportMbox = useExportMbox()

  /**
   * Sends a command; a failure is a toast and the status bar's last error, with Try again. Resolves whether
   * it succeeded.
   */
  const send = useCallback(
    (action: string, command: WorkerCommand): Promise<boolean> => {
      const attempt = (): Promise<boolean> =>
        link.command(command).then(
          () => true,
          (error: unknown) => {
            notify.error(`${action} failed`, error)
            reportFailure({
              action,
              message: error instanceof Error ? error.message : String(error),
              retry: () => void attempt(),
            })
            return false
          },
        )
      return attempt()
    },
    [link, notify, reportFailure],
  )
  const run = useCallback(
    (action: string, command: WorkerCommand): void => void send(action, command),
    [send],
  )

  /**
   * Delete, Archive, Move: the command, then an offer to undo it (a toast, Ctrl+Z) for the messages it took
   * to another folder of their account. Where each came from is read before the command runs.
   */
  const runUndoable = useCallback(
    async (action: string, ids: number[], command: WorkerCommand): Promise<void> => {
      // A newer move supersedes the last one's undo, whether or not it can be undone itself.
      takeUndo()
      const before = db ? await getMessages(db, ids) : []
      if (!(await send(action, command)) || !db) return
      const after = await getMessages(db, ids)
      const back = movedBack(before, after)
      if (back.size === 0) return
      const count = [...back.values()].reduce((n, group) => n + group.length, 0)
      const movedTo = new Set(after.map((r) => r?.folderId).filter((id) => id !== undefined))
      const folder = movedTo.size === 1 ? await db.folders.get([...movedTo][0]!) : undefined
      const undo = (): void => {
        for (const [folderId, messageIds] of back)
          run('Undo', { kind: 'move', messageIds, toFolderId: folderId })
      }
      rememberUndo(undo)
      notify.undoable(
        `${count === 1 ? '1 message' : `${count} messages`} moved to ${folder?.name ?? 'other folders'}.`,
        () => {
          forgetUndo(undo)
          undo()
        },
      )
    },
    [db, notify, send, run],
  )

  const withSelection = useCallback(
    (
      action: string,
      make: (ids: number[]) => WorkerCommand | Promise<WorkerCommand>,
      /** The messages leave the list (delete, archive, move): the selection shrinks to the next one. */
      removes = false,
    ): void => {
      const selection = view.selection
      view
        .selectedIds()
        .then(async (ids) => {
          if (ids.length === 0) {
            notify.info('Select one or more messages first.')
            return
          }
          const command = await make(ids)
          if (!removes) {
            run(action, command)
            return
          }
          void runUndoable(action, ids, command)
          view.setSelection(collapseToFirst(selection))
        })
        .catch((error: unknown) => notify.error(`${action} failed`, error))
    },
    [view, notify, run, runUndoable],
  )

  /** The selection's ids, or a hint to select first. */
  const withIds = useCallback(
    (use: (ids: number[]) => void): void => {
      view
        .selectedIds()
        .then((ids) => (ids.length === 0 ? notify.info('Select one or more messages first.') : use(ids)))
        .catch((error: unknown) => notify.error('Could not read the selection', error))
    },
    [view, notify],
  )

  const saveEml = useCallback(
    (ids: number[]): void => {
      link
        .command({ kind: 'export-eml', messageIds: ids })
        .then(async (r) => {
          const { files, skipped } = r as EmlExportResult
          // One download per message: browsers ask once before allowing several.
          for (const f of files) if ((await saveFile(f.fileName, f.blob)) === 'cancelled') return
          if (skipped > 0)
            notify.info(`${skipped} messages not stored in full on this computer were not saved.`, 'warning')
        })
        .catch((error: unknown) => notify.error('Save as .eml failed', error))
    },
    [link, notify],
  )

  return useMemo<MailActions>(
    () => ({
      undo: () => {
        const undo = takeUndo()
        if (undo) undo()
        else notify.info('Nothing to undo.')
      },
      syncNow: (accountId) =>
        run('Send/Receive', accountId ? { kind: 'sync-now', accountId } : { kind: 'sync-now' }),
      markRead: (read) =>
        withSelection(read ? 'Mark as read' : 'Mark as unread', (messageIds) => ({
          kind: 'set-flags',
          messageIds,
          add: read ? ['\\Seen'] : [],
          remove: read ? [] : ['\\Seen'],
        })),
      // Outlook's Insert: flags when any selected message is unflagged, otherwise clears the flags.
      toggleFlag: () =>
        withSelection('Flag', async (messageIds) => {
          const rows = db ? await getMessages(db, messageIds) : []
          const allFlagged = rows.length > 0 && rows.every((r) => r?.flagged === 1)
          return {
            kind: 'set-flags',
            messageIds,
            add: allFlagged ? [] : ['\\Flagged'],
            remove: allFlagged ? ['\\Flagged'] : [],
          }
        }),
      deleteSelected: () => withSelection('Delete', (messageIds) => ({ kind: 'delete', messageIds }), true),
      archiveSelected: () =>
        withSelection('Archive', (messageIds) => ({ kind: 'archive', messageIds }), true),
      moveSelected: (toFolderId) =>
        withSelection('Move', (messageIds) => ({ kind: 'move', messageIds, toFolderId }), true),
      copySelected: (toFolderId, folderName) =>
        withIds((messageIds) => {
          link
            .command({ kind: 'copy', messageIds, toFolderId })
            .then((result) => {
              const queued = (result as { queued?: number } | null)?.queued ?? 0
              notify.info(transferNotice('copy', messageIds.length, folderName, queued), 'success')
            })
            .catch((error: unknown) => notify.error('Copy failed', error))
        }),
      // Compose (issue 7): replies and forwards answer the message in the reading pane.
      compose: (kind) => composer.open(kind, view.activeMessageId),
      copyToFolder: () => withIds((ids) => archive.copyTo(ids)),
      saveAsEml: () => withIds(saveEml),
      exportSelectedMbox: () => withIds((ids) => exportMbox({ messageIds: ids })),
    }),
    [
      run,
      withSelection,
      withIds,
      saveEml,
      exportMbox,
      archive,
      db,
      composer,
      view.activeMessageId,
      link,
      notify,
    ],
  )
}
