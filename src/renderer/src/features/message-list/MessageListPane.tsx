import { memo } from 'react'
import {
  Button,
  makeStyles,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components'
import { ArrowSortRegular } from '@fluentui/react-icons'
import { useMailView, type ListFilter, type ListOrder } from '../../app/mail-view'
import { useMailDb } from '../../app/use-mail-db'
import { MessageList } from './MessageList'
import { useConversationSource } from './use-conversation-source'
import { useFolderSource } from './use-folder-source'
import { useListSpec } from './use-list-spec'
import { useSearchSource } from './use-search-source'

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS} 0 ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    minHeight: '40px',
  },
  title: { flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
})

const ORDER_LABEL: Record<ListOrder, string> = { newest: 'Newest on top', oldest: 'Oldest on top' }

/** The middle pane: title, filter (All / Unread / Flagged), sort order, and the list (or search results). */
export function MessageListPane(): React.JSX.Element {
  const styles = useStyles()
  const view = useMailView()
  const db = useMailDb()
  const { spec, label } = useListSpec(db)
  const searching = view.query.trim() !== ''
  const grouped = !searching && view.conversations
  const folderSource = useFolderSource(db, searching || grouped ? null : spec, label)
  const conversationSource = useConversationSource(db, grouped ? spec : null, label)
  const searchSource = useSearchSource(db, view.query)
  const source = searching ? searchSource : grouped ? conversationSource : folderSource
  return (
    <section className={styles.pane} aria-label="Message list" data-testid="message-list-pane">
      <ListHead title={searching ? searchSource.label : label || 'Mail'} searching={searching} />
      <MessageList source={source} />
    </section>
  )
}

/**
 * The pane's head, apart (memo) from the sources above: the list's refreshes while a sync writes into it
 * re-render the pane, not its tabs and sort menu.
 */
const ListHead = memo(function ListHead({
  title,
  searching,
}: {
  title: string
  searching: boolean
}): React.JSX.Element {
  const styles = useStyles()
  const view = useMailView()
  return (
    <div className={styles.head}>
      <Text weight="semibold" size={400} className={styles.title} as="h2">
        {title}
      </Text>
      {!searching && (
        <>
          <TabList
            size="small"
            selectedValue={view.filter}
            onTabSelect={(_, d) => view.setFilter(d.value as ListFilter)}
            aria-label="Filter"
          >
            <Tab value="all">All</Tab>
            <Tab value="unread">Unread</Tab>
            <Tab value="flagged">Flagged</Tab>
          </TabList>
          <Menu
            checkedValues={{ order: [view.order] }}
            onCheckedValueChange={(_, d) => view.setOrder(d.checkedItems[0] as ListOrder)}
          >
            <MenuTrigger disableButtonEnhancement>
              <Button
                appearance="subtle"
                size="small"
                icon={<ArrowSortRegular />}
                aria-label={`Sort: ${ORDER_LABEL[view.order]}`}
                title={`Sort by date: ${ORDER_LABEL[view.order]}`}
              />
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuItemRadio name="order" value="newest">
                  {ORDER_LABEL.newest}
                </MenuItemRadio>
                <MenuItemRadio name="order" value="oldest">
                  {ORDER_LABEL.oldest}
                </MenuItemRadio>
              </MenuList>
            </MenuPopover>
          </Menu>
        </>
      )}
    </div>
  )
})
