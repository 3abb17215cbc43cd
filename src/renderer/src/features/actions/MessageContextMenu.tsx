import { MenuDivider, MenuItem, MenuList, MenuPopover } from '@fluentui/react-components'
import {
  ArchiveRegular,
  ArrowDownloadRegular,
  CopyRegular,
  SaveRegular,
  ArrowForwardRegular,
  ArrowReplyAllRegular,
  ArrowReplyRegular,
  DeleteRegular,
  FlagRegular,
  FolderArrowRightRegular,
  MailReadRegular,
  MailUnreadRegular,
} from '@fluentui/react-icons'
import { useMoveDialog } from './MoveDialog'
import { useMailActions } from './use-mail-actions'

/** The message list's context menu; the same actions as the toolbar, with their shortcuts shown. */
export function MessageContextMenu(): React.JSX.Element {
  const actions = useMailActions()
  const { openMove } = useMoveDialog()
  return (
    <MenuPopover>
      <MenuList>
        <MenuItem
          icon={<ArrowReplyRegular />}
          secondaryContent="Ctrl+R"
          onClick={() => actions.compose('reply')}
        >
          Reply
        </MenuItem>
        <MenuItem
          icon={<ArrowReplyAllRegular />}
          secondaryContent="Ctrl+Shift+R"
          onClick={() => actions.compose('reply-all')}
        >
          Reply all
        </MenuItem>
        <MenuItem
          icon={<ArrowForwardRegular />}
          secondaryContent="Ctrl+F"
          onClick={() => actions.compose('forward')}
        >
          Forward
        </MenuItem>
        <MenuItem icon={<ArrowForwardRegular />} onClick={() => actions.compose('forward-attachment')}>
          Forward as attachment
        </MenuItem>
        <MenuDivider />
        <MenuItem icon={<MailReadRegular />} secondaryContent="Ctrl+Q" onClick={() => actions.markRead(true)}>
          Mark as read
        </MenuItem>
        <MenuItem
          icon={<MailUnreadRegular />}
          secondaryContent="Ctrl+U"
          onClick={() => actions.markRead(false)}
        >
          Mark as unread
        </MenuItem>
        <MenuItem icon={<FlagRegular />} secondaryContent="Insert" onClick={actions.toggleFlag}>
          Flag / unflag
        </MenuItem>
        <MenuDivider />
        <MenuItem icon={<FolderArrowRightRegular />} secondaryContent="Ctrl+Shift+V" onClick={openMove}>
          Move to folder…
        </MenuItem>
        <MenuItem icon={<CopyRegular />} onClick={actions.copyToFolder}>
          Copy to folder…
        </MenuItem>
        <MenuItem icon={<ArchiveRegular />} onClick={actions.archiveSelected}>
          Archive
        </MenuItem>
        <MenuItem icon={<DeleteRegular />} secondaryContent="Delete" onClick={actions.deleteSelected}>
          Delete
        </MenuItem>
        <MenuDivider />
        <MenuItem icon={<SaveRegular />} onClick={actions.saveAsEml}>
          Save as .eml
        </MenuItem>
        <MenuItem icon={<ArrowDownloadRegular />} onClick={actions.exportSelectedMbox}>
          Export as mbox
        </MenuItem>
      </MenuList>
    </MenuPopover>
  )
}
