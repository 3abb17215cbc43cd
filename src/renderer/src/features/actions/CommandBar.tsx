import {
  makeStyles,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MenuItemCheckbox,
  tokens,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  Tooltip,
} from '@fluentui/react-components'
import {
  ArchiveRegular,
  ArrowReplyAllRegular,
  ArrowReplyRegular,
  ArrowSyncRegular,
  ComposeRegular,
  DeleteRegular,
  FlagRegular,
  MailReadRegular,
  MailUnreadRegular,
  PanelRightRegular,
  PersonAddRegular,
} from '@fluentui/react-icons'
import { useMailView, type ReadingPanePlacement } from '../../app/mail-view'
import { useAccountDialogs } from '../account-setup/account-dialogs'
import { OutboxButton } from '../compose/OutboxButton'
import { useMailActions } from './use-mail-actions'

const useStyles = makeStyles({
  bar: {
    gridArea: 'toolbar',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    overflowX: 'auto',
    // Labels stay on one line; a narrow window scrolls the bar rather than doubling its height.
    flexWrap: 'nowrap',
    '& button': { whiteSpace: 'nowrap', flexShrink: 0 },
  },
})

function Action(props: {
  label: string
  keys?: string
  icon: React.JSX.Element
  onClick(): void
}): React.JSX.Element {
  return (
    <Tooltip
      content={props.keys ? `${props.label} (${props.keys})` : props.label}
      relationship="description"
      withArrow
    >
      <ToolbarButton icon={props.icon} onClick={props.onClick}>
        {props.label}
      </ToolbarButton>
    </Tooltip>
  )
}

/** Outlook's ribbon, simplified: the message actions, Send/Receive and the view options. */
export function CommandBar(): React.JSX.Element {
  const styles = useStyles()
  const actions = useMailActions()
  const view = useMailView()
  const dialogs = useAccountDialogs()
  return (
    <Toolbar aria-label="Mail actions" className={styles.bar} size="small">
      <Action
        label="New mail"
        keys="Ctrl+N"
        icon={<ComposeRegular />}
        onClick={() => actions.compose('new')}
      />
      <ToolbarDivider />
      <Action label="Delete" keys="Delete" icon={<DeleteRegular />} onClick={actions.deleteSelected} />
      <Action label="Archive" icon={<ArchiveRegular />} onClick={actions.archiveSelected} />
      <Action
        label="Reply"
        keys="Ctrl+R"
        icon={<ArrowReplyRegular />}
        onClick={() => actions.compose('reply')}
      />
      <Action
        label="Reply all"
        keys="Ctrl+Shift+R"
        icon={<ArrowReplyAllRegular />}
        onClick={() => actions.compose('reply-all')}
      />
      <ToolbarDivider />
      <Action label="Read" keys="Ctrl+Q" icon={<MailReadRegular />} onClick={() => actions.markRead(true)} />
      <Action
        label="Unread"
        keys="Ctrl+U"
        icon={<MailUnreadRegular />}
        onClick={() => actions.markRead(false)}
      />
      <Action label="Flag" keys="Insert" icon={<FlagRegular />} onClick={actions.toggleFlag} />
      <ToolbarDivider />
      <Action label="Send/Receive" keys="F9" icon={<ArrowSyncRegular />} onClick={() => actions.syncNow()} />
      <OutboxButton />
      <ToolbarDivider />
      <Menu
        checkedValues={{ pane: [view.readingPane], unified: view.unifiedInbox ? ['on'] : [] }}
        onCheckedValueChange={(_, data) => {
          if (data.name === 'pane') view.setReadingPane(data.checkedItems[0] as ReadingPanePlacement)
          if (data.name === 'unified') view.setUnifiedInbox(data.checkedItems.includes('on'))
        }}
      >
        <MenuTrigger disableButtonEnhancement>
          <ToolbarButton icon={<PanelRightRegular />}>View</ToolbarButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItemRadio name="pane" value="right">
              Reading pane on the right
            </MenuItemRadio>
            <MenuItemRadio name="pane" value="bottom">
              Reading pane at the bottom
            </MenuItemRadio>
            <MenuItemRadio name="pane" value="off">
              Reading pane off
            </MenuItemRadio>
            <MenuItemCheckbox name="unified" value="on">
              Show “All inboxes”
            </MenuItemCheckbox>
          </MenuList>
        </MenuPopover>
      </Menu>
      <Action label="Add account" icon={<PersonAddRegular />} onClick={dialogs.addAccount} />
    </Toolbar>
  )
}
