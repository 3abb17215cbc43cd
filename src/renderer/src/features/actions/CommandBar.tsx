import {
  makeStyles,
  Menu,
  MenuDivider,
  MenuItem,
  Overflow,
  OverflowItem,
  useIsOverflowGroupVisible,
  useIsOverflowItemVisible,
  useOverflowMenu,
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
  MoreHorizontalRegular,
  PanelRightRegular,
  PersonAddRegular,
} from '@fluentui/react-icons'
import { useMailView, type MarkReadWhen, type ReadingPanePlacement } from '../../app/mail-view'
import { useAccountDialogs } from '../account-setup/account-dialogs'
import { OutboxButton } from '../compose/OutboxButton'
import { useMailActions } from './use-mail-actions'

const useStyles = makeStyles({
  bar: {
    gridArea: 'toolbar',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    // Labels stay on one line; what does not fit goes into the "More" menu (Fluent's Overflow).
    flexWrap: 'nowrap',
    overflow: 'hidden',
    minWidth: 0,
    '& button': { whiteSpace: 'nowrap', flexShrink: 0 },
  },
  fixed: { display: 'inline-flex', flexShrink: 0 },
})

interface ActionSpec {
  id: string
  label: string
  keys?: string
  icon: React.JSX.Element
  onClick(): void
  /** Higher stays visible longer when the window narrows. */
  priority: number
  group: string
}

function Action({ spec }: { spec: ActionSpec }): React.JSX.Element {
  return (
    <OverflowItem id={spec.id} priority={spec.priority} groupId={spec.group}>
      <Tooltip
        content={spec.keys ? `${spec.label} (${spec.keys})` : spec.label}
        relationship="description"
        withArrow
      >
        <ToolbarButton icon={spec.icon} onClick={spec.onClick}>
          {spec.label}
        </ToolbarButton>
      </Tooltip>
    </OverflowItem>
  )
}

/** A divider shown only while some action of the group before it is on the bar. */
function GroupDivider({ group }: { group: string }): React.JSX.Element | null {
  return useIsOverflowGroupVisible(group) === 'hidden' ? null : <ToolbarDivider />
}

function OverflowMenuItem({ spec }: { spec: ActionSpec }): React.JSX.Element | null {
  const visible = useIsOverflowItemVisible(spec.id)
  if (visible) return null
  return (
    <MenuItem icon={spec.icon} secondaryContent={spec.keys} onClick={spec.onClick}>
      {spec.label}
    </MenuItem>
  )
}

/** "More": the actions that did not fit (a 1366 px window cannot show every label). */
function MoreMenu({ specs }: { specs: readonly ActionSpec[] }): React.JSX.Element | null {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>()
  if (!isOverflowing) return null
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton
          ref={ref}
          icon={<MoreHorizontalRegular />}
          aria-label={`More actions (${overflowCount})`}
          data-testid="toolbar-more"
        >
          More
        </ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {specs.map((spec) => (
            <OverflowMenuItem key={spec.id} spec={spec} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  )
}

/** Outlook's ribbon, simplified: the message actions, Send/Receive and the view options. */
export function CommandBar(): React.JSX.Element {
  const styles = useStyles()
  const actions = useMailActions()
  const view = useMailView()
  const dialogs = useAccountDialogs()
  const specs: ActionSpec[] = [
    {
      id: 'new',
      label: 'New mail',
      keys: 'Ctrl+N',
      icon: <ComposeRegular />,
      onClick: () => actions.compose('new'),
      priority: 100,
      group: 'new',
    },
    {
      id: 'delete',
      label: 'Delete',
      keys: 'Delete',
      icon: <DeleteRegular />,
      onClick: actions.deleteSelected,
      priority: 90,
      group: 'respond',
    },
    {
      id: 'archive',
      label: 'Archive',
      icon: <ArchiveRegular />,
      onClick: actions.archiveSelected,
      priority: 40,
      group: 'respond',
    },
    {
      id: 'reply',
      label: 'Reply',
      keys: 'Ctrl+R',
      icon: <ArrowReplyRegular />,
      onClick: () => actions.compose('reply'),
      priority: 80,
      group: 'respond',
    },
    {
      id: 'reply-all',
      label: 'Reply all',
      keys: 'Ctrl+Shift+R',
      icon: <ArrowReplyAllRegular />,
      onClick: () => actions.compose('reply-all'),
      priority: 50,
      group: 'respond',
    },
    {
      id: 'read',
      label: 'Read',
      keys: 'Ctrl+Q',
      icon: <MailReadRegular />,
      onClick: () => actions.markRead(true),
      priority: 30,
      group: 'mark',
    },
    {
      id: 'unread',
      label: 'Unread',
      keys: 'Ctrl+U',
      icon: <MailUnreadRegular />,
      onClick: () => actions.markRead(false),
      priority: 30,
      group: 'mark',
    },
    {
      id: 'flag',
      label: 'Flag',
      keys: 'Insert',
      icon: <FlagRegular />,
      onClick: actions.toggleFlag,
      priority: 35,
      group: 'mark',
    },
    {
      id: 'sync',
      label: 'Send/Receive',
      keys: 'F9',
      icon: <ArrowSyncRegular />,
      onClick: () => actions.syncNow(),
      priority: 70,
      group: 'sync',
    },
    {
      id: 'add-account',
      label: 'Add account',
      icon: <PersonAddRegular />,
      onClick: dialogs.addAccount,
      priority: 45,
      group: 'account',
    },
  ]
  const byId = (id: string): ActionSpec => specs.find((s) => s.id === id)!
  const bar = (ids: readonly string[]): React.JSX.Element[] =>
    ids.map((id) => <Action key={id} spec={byId(id)} />)
  return (
    // padding: what the items do not measure themselves (dividers, the bar's own padding), plus a margin.
    <Overflow padding={100}>
      <Toolbar aria-label="Mail actions" className={styles.bar} size="small">
        {bar(['new'])}
        <GroupDivider group="new" />
        {bar(['delete', 'archive', 'reply', 'reply-all'])}
        <GroupDivider group="respond" />
        {bar(['read', 'unread', 'flag'])}
        <GroupDivider group="mark" />
        {bar(['sync'])}
        {/* Outbox and View never move into "More" (menus in a menu); as overflow items they are measured. */}
        <OverflowItem id="outbox" priority={1000} groupId="sync">
          <span className={styles.fixed}>
            <OutboxButton />
          </span>
        </OverflowItem>
        <GroupDivider group="sync" />
        <OverflowItem id="view" priority={1000} groupId="view">
          <span className={styles.fixed}>
            <Menu
              checkedValues={{
                pane: [view.readingPane],
                unified: view.unifiedInbox ? ['on'] : [],
                conversations: view.conversations ? ['on'] : [],
                markRead: [view.markRead],
              }}
              onCheckedValueChange={(_, data) => {
                if (data.name === 'pane') view.setReadingPane(data.checkedItems[0] as ReadingPanePlacement)
                if (data.name === 'unified') view.setUnifiedInbox(data.checkedItems.includes('on'))
                if (data.name === 'conversations') view.setConversations(data.checkedItems.includes('on'))
                if (data.name === 'markRead') view.setMarkRead(data.checkedItems[0] as MarkReadWhen)
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
                  <MenuDivider />
                  <MenuItemCheckbox name="conversations" value="on">
                    Group by conversation
                  </MenuItemCheckbox>
                  <MenuItemCheckbox name="unified" value="on">
                    Show “All inboxes”
                  </MenuItemCheckbox>
                  <MenuDivider />
                  <MenuItemRadio name="markRead" value="shown">
                    Mark as read when shown
                  </MenuItemRadio>
                  <MenuItemRadio name="markRead" value="after-5s">
                    Mark as read after 5 seconds
                  </MenuItemRadio>
                  <MenuItemRadio name="markRead" value="never">
                    Mark as read only with Ctrl+Q
                  </MenuItemRadio>
                </MenuList>
              </MenuPopover>
            </Menu>
          </span>
        </OverflowItem>
        {bar(['add-account'])}
        <MoreMenu specs={specs} />
      </Toolbar>
    </Overflow>
  )
}
