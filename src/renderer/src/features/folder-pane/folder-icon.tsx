import {
  ArchiveRegular,
  DeleteRegular,
  DraftsRegular,
  FlagRegular,
  FolderRegular,
  MailInboxRegular,
  MailMultipleRegular,
  MailProhibitedRegular,
  SendRegular,
} from '@fluentui/react-icons'
import type { FolderRow } from '../../store/rows'
import { isInbox } from './folder-tree'

const ICONS = {
  inbox: MailInboxRegular,
  drafts: DraftsRegular,
  sent: SendRegular,
  trash: DeleteRegular,
  junk: MailProhibitedRegular,
  archive: ArchiveRegular,
  all: MailMultipleRegular,
  flagged: FlagRegular,
} as const

/** RFC 6154 special-use folders get Outlook's icons; the rest a plain folder. */
export function FolderIcon({
  folder,
}: {
  folder: Pick<FolderRow, 'specialUse' | 'path'>
}): React.JSX.Element {
  const Icon = isInbox(folder)
    ? MailInboxRegular
    : folder.specialUse
      ? ICONS[folder.specialUse]
      : FolderRegular
  return <Icon aria-hidden fontSize={20} />
}
