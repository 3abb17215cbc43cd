import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components'
import { AddRegular, DeleteRegular } from '@fluentui/react-icons'
import { useState } from 'react'
import type { AccountConfig, SendingIdentity } from '../../../../shared/model/account'
import { errorMessage, useNotify } from '../../components/notify'
import { useWorkerLink } from '../../sync/worker-link-context'
import { isValidEmail } from './account-form'

const useStyles = makeStyles({
  surface: { width: 'min(720px, 96vw)', maxWidth: 'min(720px, 96vw)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  identity: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: { display: 'grid', gridTemplateColumns: '1fr 1fr auto', gap: tokens.spacingHorizontalS },
  remove: { alignSelf: 'end' },
  signature: { fontFamily: tokens.fontFamilyMonospace },
})

/** Where a duplicate or malformed alias is, to show next to its field. */
export function identityErrors(account: AccountConfig, aliases: readonly SendingIdentity[]): string[] {
  const seen = new Set([account.email.toLowerCase()])
  return aliases.map((a) => {
    const address = a.address.trim()
    if (!isValidEmail(address)) return 'Enter an address like name@example.org.'
    if (seen.has(address.toLowerCase())) return 'This address is already listed.'
    seen.add(address.toLowerCase())
    return ''
  })
}

/**
 * The account's identities: the signature of its own address, and extra addresses (aliases) it may send
 * from, each with a name and a signature. Saved in core's account settings; the composer's From list and
 * its signature follow at once.
 */
export function IdentitiesDialog({
  account,
  onClose,
}: {
  account: AccountConfig
  onClose(): void
}): React.JSX.Element {
  const styles = useStyles()
  const link = useWorkerLink()
  const notify = useNotify()
  const [signature, setSignature] = useState(account.signature)
  const [aliases, setAliases] = useState<SendingIdentity[]>(account.identities)
  const [showErrors, setShowErrors] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string>()
  const errors = identityErrors(account, aliases)

  const change = (index: number, patch: Partial<SendingIdentity>): void =>
    setAliases((list) => list.map((a, i) => (i === index ? { ...a, ...patch } : a)))

  const save = async (): Promise<void> => {
    setShowErrors(true)
    if (errors.some(Boolean)) return
    setSaving(true)
    setSaveError(undefined)
    try {
      const identities = aliases.map((a) => ({ ...a, address: a.address.trim(), name: a.name.trim() }))
      await link.callCore('accounts.update', { account: { ...account, signature, identities } })
      notify.info(`Identities of “${account.name}” saved.`, 'success')
      onClose()
    } catch (error) {
      setSaveError(errorMessage(error))
      setSaving(false)
    }
  }

  const ownName = account.displayName.trim()
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && onClose()}>
      <DialogSurface className={styles.surface} data-testid="identities-dialog">
        <DialogBody>
          <DialogTitle>Identities and signatures: {account.name}</DialogTitle>
          <DialogContent className={styles.content}>
            <div className={styles.identity}>
              <Text weight="semibold">{ownName ? `${ownName} <${account.email}>` : account.email}</Text>
              <Field label="Signature" hint="Plain text, added under new mail, replies and forwards.">
                <Textarea
                  className={styles.signature}
                  aria-label={`Signature for ${account.email}`}
                  value={signature}
                  resize="vertical"
                  rows={3}
                  onChange={(_e, d) => setSignature(d.value)}
                />
              </Field>
            </div>
            {aliases.length > 0 && (
              <Text>
                Other addresses you send from with this account. Your server must accept them as your sender
                address, or it refuses the mail.
              </Text>
            )}
            {aliases.map((alias, i) => (
              <div key={i} className={styles.identity} data-testid="alias">
                <div className={styles.row}>
                  <Field
                    label="Address"
                    required
                    validationMessage={showErrors && errors[i] ? errors[i] : undefined}
                  >
                    <Input
                      aria-label={`Alias ${i + 1} address`}
                      value={alias.address}
                      onChange={(_e, d) => change(i, { address: d.value })}
                    />
                  </Field>
                  <Field label="Name" hint={ownName ? `Empty: “${ownName}”` : undefined}>
                    <Input
                      aria-label={`Alias ${i + 1} name`}
                      value={alias.name}
                      onChange={(_e, d) => change(i, { name: d.value })}
                    />
                  </Field>
                  <Button
                    className={styles.remove}
                    appearance="subtle"
                    icon={<DeleteRegular />}
                    aria-label={`Remove alias ${alias.address || i + 1}`}
                    onClick={() => setAliases((list) => list.filter((_a, j) => j !== i))}
                  />
                </div>
                <Field label="Signature">
                  <Textarea
                    className={styles.signature}
                    aria-label={`Alias ${i + 1} signature`}
                    value={alias.signature}
                    resize="vertical"
                    rows={2}
                    onChange={(_e, d) => change(i, { signature: d.value })}
                  />
                </Field>
              </div>
            ))}
            <Button
              style={{ alignSelf: 'flex-start' }}
              icon={<AddRegular />}
              onClick={() => setAliases((list) => [...list, { address: '', name: '', signature: '' }])}
            >
              Add another address
            </Button>
            {saveError && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{saveError}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button appearance="primary" disabled={saving} onClick={() => void save()}>
              Save
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
