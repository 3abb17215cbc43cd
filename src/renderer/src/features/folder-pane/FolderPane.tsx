import { useEffect, useMemo, useState } from 'react'
import {
  Button,
  CounterBadge,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  tokens,
  Tree,
  TreeItem,
  TreeItemLayout,
  type TreeItemValue,
} from '@fluentui/react-components'
import { AddRegular, MailInboxRegular, StarRegular } from '@fluentui/react-icons'
import { useAccounts } from '../../app/accounts-context'
import { folderToOpen } from '../../app/view-prefs'
import { useMailView } from '../../app/mail-view'
import { useMailDb } from '../../app/use-mail-db'
import type { FolderRow } from '../../store/rows'
import { useAccountDialogs } from '../account-setup/account-dialogs'
import { AccountItem, accountItemValue } from './AccountItem'
import { useFavorites } from './favorites'
import { FavoriteItem, useTreeStyles } from './FolderItem'
import { folderLabel, isInbox } from './folder-tree'
import { useFolderAnswer } from './use-folders'
import { useFolderDialogs } from './FolderMenu'

const useStyles = makeStyles({
  pane: {
    gridArea: 'folders',
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    overflowY: 'auto',
    paddingBottom: tokens.spacingVerticalM,
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
  },
  empty: { color: tokens.colorNeutralForeground3, padding: `0 ${tokens.spacingHorizontalM}` },
})

const FAVORITES = 'favorites'

/** The accounts → folders tree (role=tree via Fluent's Tree), with the unified Inbox on top. */
export function FolderPane(): React.JSX.Element {
  const styles = useStyles()
  const treeStyles = useTreeStyles()
  const view = useMailView()
  const dialogs = useAccountDialogs()
  const { shown: accounts, accounts: configs } = useAccounts()
  const db = useMailDb()
  const accountIds = useMemo(() => (accounts ?? []).map((a) => a.id), [accounts])
  const { rows: folders, current: foldersCurrent } = useFolderAnswer(db, accountIds)
  const folderDialogs = useFolderDialogs(folders ?? [])
  const byAccount = useMemo(() => {
    const map = new Map<string, FolderRow[]>()
    for (const f of folders ?? []) map.set(f.accountId, [...(map.get(f.accountId) ?? []), f])
    return map
  }, [folders])
  const inboxes = useMemo(() => (folders ?? []).filter(isInbox), [folders])
  const favorites = useFavorites()
  // Pinned folders that still exist (a removed account takes its favorites with it), in the order pinned.
  const favoriteFolders = useMemo(() => {
    const byId = new Map((folders ?? []).map((f) => [f.id, f]))
    const pinned = favorites.ids.flatMap((id) => byId.get(id) ?? [])
    const names = pinned.map(folderLabel)
    return pinned.map((folder, i) => {
      const label = names[i]!
      const ambiguous = names.filter((n) => n === label).length > 1
      const account = accounts?.find((a) => a.id === folder.accountId)?.name
      return { folder, label: ambiguous && account ? `${label} (${account})` : label }
    })
  }, [folders, favorites.ids, accounts])
  const unifiedUnread = inboxes.reduce((n, f) => n + f.unread, 0)
  const showUnified = view.unifiedInbox && (accounts?.length ?? 0) > 0

  // Everything starts expanded; the user's collapses are remembered for the session.
  const [closed, setClosed] = useState<ReadonlySet<TreeItemValue>>(new Set())
  const openItems = useMemo(() => {
    const all: TreeItemValue[] = [
      FAVORITES,
      ...accountIds.map(accountItemValue),
      ...(folders ?? []).map((f) => f.id),
    ]
    return all.filter((v) => !closed.has(v))
  }, [accountIds, folders, closed])

  // The default folder when nothing is open yet (a first start) or the open one disappears (deleted,
  // account removed). The window starts on the folder open when it was closed (mail-view.tsx). Only once the
  // accounts and their folders are read: before that (a store slower than the startup snapshot's wait) no
  // folder is known, and the remembered one would be replaced, and forgotten, for nothing.
  const { folder: chosen, chooseFolder } = view
  useEffect(() => {
    if (!folders || !foldersCurrent || accounts === undefined) return
    const next = folderToOpen(chosen, folders, showUnified)
    if (next !== chosen) chooseFolder(next)
  }, [folders, foldersCurrent, accounts, chosen, chooseFolder, showUnified])

  const unifiedSelected = chosen?.kind === 'unified-inbox'
  return (
    <nav className={styles.pane} aria-label="Accounts and folders" data-testid="folder-pane">
      <div className={styles.heading}>
        <Text weight="semibold">Folders</Text>
        <Button
          appearance="subtle"
          size="small"
          icon={<AddRegular />}
          onClick={dialogs.addAccount}
          aria-label="Add account"
          title="Add account"
        />
      </div>
      {accounts === undefined ? (
        <Spinner size="tiny" label="Loading accounts…" />
      ) : accounts.length === 0 ? (
        <Text className={styles.empty} size={200}>
          No accounts yet.
        </Text>
      ) : (
        <Tree
          aria-label="Folders"
          openItems={openItems}
          onOpenChange={(_, data) => {
            const next = new Set(closed)
            if (data.open) next.delete(data.value)
            else next.add(data.value)
            setClosed(next)
          }}
        >
          {favoriteFolders.length > 0 && (
            <TreeItem itemType="branch" value={FAVORITES} data-testid="favorites">
              <TreeItemLayout iconBefore={<StarRegular aria-hidden fontSize={20} />}>
                Favorites
              </TreeItemLayout>
              <Tree>
                {favoriteFolders.map(({ folder, label }) => (
                  <FavoriteItem
                    key={folder.id}
                    folder={folder}
                    label={label}
                    openDialog={folderDialogs.open}
                  />
                ))}
              </Tree>
            </TreeItem>
          )}
          {showUnified && (
            <TreeItem
              itemType="leaf"
              value="unified-inbox"
              aria-selected={unifiedSelected}
              data-testid="unified-inbox"
              onClick={() => chooseFolder({ kind: 'unified-inbox' })}
            >
              <TreeItemLayout
                className={mergeClasses(unifiedSelected && treeStyles.selected)}
                iconBefore={<MailInboxRegular aria-hidden fontSize={20} />}
                aside={
                  unifiedUnread > 0 ? (
                    <CounterBadge
                      count={unifiedUnread}
                      overflowCount={99_999}
                      appearance="ghost"
                      color="brand"
                      size="small"
                      aria-label={`${unifiedUnread} unread`}
                    />
                  ) : undefined
                }
              >
                All inboxes
              </TreeItemLayout>
            </TreeItem>
          )}
          {accounts.map((account) => (
            <AccountItem
              key={account.id}
              account={account}
              config={configs?.find((c) => c.id === account.id)}
              folders={folders === undefined ? undefined : (byAccount.get(account.id) ?? [])}
              openDialog={folderDialogs.open}
            />
          ))}
        </Tree>
      )}
      {folderDialogs.element}
    </nav>
  )
}
