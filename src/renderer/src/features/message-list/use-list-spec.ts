import { useMemo, useState } from 'react'
import { snapshotFolders, snapshotInboxIds } from '../../app/startup-snapshot'
import { useLiveQuery } from 'dexie-react-hooks'
import { useShownAccounts } from '../../app/accounts-context'
import { useInboxIds } from '../../app/use-inbox-ids'
import { folderLabel } from '../folder-pane/folder-tree'
import { useMailView } from '../../app/mail-view'
import type { MailDb } from '../../store/mail-db'
import type { ListSpec } from '../../store/queries/message-window'

/** The chosen folder (or every account's Inbox) with the filter and sort order, plus a title for it. */
export function useListSpec(db: MailDb | undefined): { spec: ListSpec | null; label: string } {
  const view = useMailView()
  const accounts = useShownAccounts()
  // Until the first answer: the startup snapshot's, if it is of these accounts.
  const [seed] = useState(() => (accounts ? snapshotInboxIds(accounts.map((a) => a.id)) : undefined))
  const inboxes = useInboxIds(db, accounts, seed)
  // The title: from the startup snapshot's folders in the first render (no "Mail" before the name).
  const [seedTitle] = useState(() => {
    const chosen = view.folder
    const folder =
      chosen?.kind === 'folder' && accounts
        ? snapshotFolders(accounts.map((a) => a.id))?.find((f) => f.id === chosen.folderId)
        : undefined
    return folder && folderLabel(folder)
  })
  // The label, not the row: the row's counts change at every commit of a sync into the folder, the label
  // (a string, equal when unchanged) does not render the pane again.
  const title =
    useLiveQuery(
      async () => {
        if (!db || view.folder?.kind !== 'folder') return undefined
        const folder = await db.folders.get(view.folder.folderId)
        return folder ? folderLabel(folder) : ''
      },
      [db, view.folder],
      seedTitle,
    ) ?? ''
  return useMemo(() => {
    const { filter, order } = view
    if (view.folder?.kind === 'unified-inbox') {
      // The same array while the ids are the same (useInboxIds).
      const ids = inboxes ?? []
      return { spec: ids.length ? { folderIds: ids, filter, order } : null, label: 'All inboxes' }
    }
    if (view.folder?.kind === 'folder') {
      return { spec: { folderIds: [view.folder.folderId], filter, order }, label: title }
    }
    return { spec: null, label: '' }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view fields used are listed
  }, [view.folder, view.filter, view.order, inboxes, title])
}
