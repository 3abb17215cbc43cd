import {
  Badge,
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Tree,
  TreeItem,
  TreeItemLayout,
} from '@fluentui/react-components'
import {
  ArrowSyncRegular,
  DeleteRegular,
  EditRegular,
  FolderAddRegular,
  MoreHorizontalRegular,
  PersonMailRegular,
  SignatureRegular,
  StorageRegular,
} from '@fluentui/react-icons'
import type { AccountConfig } from '../../../../shared/model/account'
import type { AccountSummary } from '../../app/accounts-context'
import type { FolderRow } from '../../store/rows'
import { useAccountDialogs } from '../account-setup/account-dialogs'
import { useMailActions } from '../actions/use-mail-actions'
import { FolderItem, useTreeStyles } from './FolderItem'
import { buildFolderTree } from './folder-tree'
import { keepInMenu, type FolderDialog } from './FolderMenu'

export function accountItemValue(id: string): string {
  return `account:${id}`
}

/** An account and its folders; its menu (the ⋯ button or the context menu key) edits, removes or syncs it. */
export function AccountItem({
  account,
  config,
  folders,
  openDialog,
}: {
  account: AccountSummary
  /** Core's settings of the account; undefined while the panes are drawn from the store's copy. */
  config: AccountConfig | undefined
  folders: FolderRow[] | undefined
  openDialog(dialog: FolderDialog): void
}): React.JSX.Element {
  const styles = useTreeStyles()
  const dialogs = useAccountDialogs()
  const actions = useMailActions()
  const tree = folders ? buildFolderTree(folders) : []
  const menu = (
    <MenuPopover {...keepInMenu}>
      <MenuList>
        <MenuItem icon={<ArrowSyncRegular />} onClick={() => actions.syncNow(account.id)}>
          Send/Receive
        </MenuItem>
        <MenuItem
          icon={<FolderAddRegular />}
          onClick={() => openDialog({ kind: 'create', accountId: account.id, parent: null })}
        >
          New folder…
        </MenuItem>
        <MenuItem
          icon={<EditRegular />}
          disabled={!config}
          onClick={() => config && dialogs.editAccount(config)}
        >
          Edit account…
        </MenuItem>
        <MenuItem
          icon={<SignatureRegular />}
          disabled={!config}
          onClick={() => config && dialogs.editIdentities(config)}
        >
          Identities and signatures…
        </MenuItem>
        <MenuItem
          icon={<StorageRegular />}
          disabled={!config}
          onClick={() => config && dialogs.showStorage(config)}
        >
          Storage…
        </MenuItem>
        <MenuItem
          icon={<DeleteRegular />}
          disabled={!config}
          onClick={() => config && dialogs.removeAccount(config)}
        >
          Remove account…
        </MenuItem>
      </MenuList>
    </MenuPopover>
  )
  return (
    <TreeItem
      itemType="branch"
      value={accountItemValue(account.id)}
      data-testid="account-item"
      data-account-email={account.email}
    >
      <Menu positioning="below-end" openOnContext>
        <MenuTrigger disableButtonEnhancement>
          <TreeItemLayout
            iconBefore={<PersonMailRegular aria-hidden fontSize={20} />}
            aside={
              account.kind === 'pop3' ? (
                <Badge appearance="outline" size="small">
                  POP3
                </Badge>
              ) : undefined
            }
            actions={
              <Menu positioning="below-end">
                <MenuTrigger disableButtonEnhancement>
                  <Button
                    appearance="subtle"
                    size="small"
                    icon={<MoreHorizontalRegular />}
                    aria-label={`Options for ${account.name}`}
                  />
                </MenuTrigger>
                {menu}
              </Menu>
            }
          >
            {account.name}
          </TreeItemLayout>
        </MenuTrigger>
        {menu}
      </Menu>
      <Tree>
        {tree.length === 0 ? (
          <TreeItem itemType="leaf" value={`${accountItemValue(account.id)}:empty`} aria-disabled>
            <TreeItemLayout className={styles.disabled}>
              {folders === undefined ? 'Loading…' : 'Not synced yet'}
            </TreeItemLayout>
          </TreeItem>
        ) : (
          tree.map((node) => <FolderItem key={node.folder.id} node={node} openDialog={openDialog} />)
        )}
      </Tree>
    </TreeItem>
  )
}
