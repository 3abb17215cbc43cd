import { useMemo, useState } from 'react'
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
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
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Textarea,
  tokens,
} from '@fluentui/react-components'
import type { AccountConfig } from '../../../../shared/model/account'
import { suggestSettings, type SuggestedSettings } from '../../../../shared/providers'
import { errorMessage, useNotify } from '../../components/notify'
import { useWorkerLink } from '../../sync/worker-link-context'
import {
  applySuggestion,
  emptyForm,
  formFromAccount,
  isValidEmail,
  switchKind,
  toNewAccount,
  toUpdatedAccount,
  validateServer,
  type AccountForm,
  type IncomingKind,
} from './account-form'
import { ServerFields } from './ServerFields'
import { useConnectionTests } from './use-connection-test'

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: 'calc(100vw - 48px)' },
  // The content scrolls; its parts keep their height instead of shrinking into each other.
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '& > *': { flexShrink: 0 },
  },
  pem: { fontFamily: tokens.fontFamilyMonospace },
  actions: { '& button': { whiteSpace: 'nowrap' } },
})

export type WizardMode = { kind: 'add' } | { kind: 'edit'; account: AccountConfig }

/**
 * The account dialog. Adding: address + password first, then the settings found in the provider table (or
 * guessed) for the user to check and change. Editing opens on the settings; an empty password keeps the
 * stored one. "Test connection" signs in to both servers without saving.
 */
export function AccountWizard({ mode, onClose }: { mode: WizardMode; onClose(): void }): React.JSX.Element {
  const styles = useStyles()
  const link = useWorkerLink()
  const notify = useNotify()
  const tests = useConnectionTests()
  const editing = mode.kind === 'edit' ? mode.account : null
  const [step, setStep] = useState<'start' | 'settings'>(editing ? 'settings' : 'start')
  const [form, setForm] = useState<AccountForm>(() => (editing ? formFromAccount(editing) : emptyForm()))
  const [suggestion, setSuggestion] = useState<SuggestedSettings | null>(() =>
    editing ? suggestSettings(editing.email) : null,
  )
  const [showErrors, setShowErrors] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string>()

  const incomingErrors = useMemo(() => validateServer(form.incoming), [form.incoming])
  const smtpErrors = useMemo(() => validateServer(form.smtp), [form.smtp])
  const emailOk = isValidEmail(form.email)
  const passwordNeeded = !editing
  const passwordOk = !passwordNeeded || form.password !== ''
  const smtpPasswordOk =
    form.smtpSamePassword || form.smtpPassword !== '' || (editing !== null && form.password === '')
  const settingsOk =
    Object.keys(incomingErrors).length === 0 &&
    Object.keys(smtpErrors).length === 0 &&
    passwordOk &&
    smtpPasswordOk

  const update = (next: AccountForm): void => {
    setForm(next)
    tests.reset()
    setSaveError(undefined)
  }

  const next = (): void => {
    setShowErrors(true)
    if (!emailOk || !form.password) return
    const found = suggestSettings(form.email)!
    setSuggestion(found)
    setForm(applySuggestion(form, found))
    setShowErrors(false)
    setStep('settings')
  }

  const test = (): void => {
    setShowErrors(true)
    if (!settingsOk) return
    if (!form.password) {
      setSaveError('Enter the password to test the connection.')
      return
    }
    void tests.run(form)
  }

  const save = async (): Promise<void> => {
    setShowErrors(true)
    if (!settingsOk || !emailOk) return
    setSaving(true)
    setSaveError(undefined)
    const secrets = form.password
      ? {
          incomingPassword: form.password,
          ...(form.smtpSamePassword ? {} : { smtpPassword: form.smtpPassword }),
        }
      : undefined
    try {
      if (editing) {
        await link.callCore('accounts.update', {
          account: toUpdatedAccount(form, editing),
          ...(secrets ? { secrets } : {}),
        })
        notify.info(`Account “${form.name || form.email}” saved.`, 'success')
      } else {
        await link.callCore('accounts.add', { account: toNewAccount(form), secrets: secrets! })
        notify.info(`Account “${form.name || form.email}” added.`, 'success')
      }
      onClose()
    } catch (error) {
      setSaveError(errorMessage(error))
    } finally {
      setSaving(false)
    }
  }

  const testing = tests.incoming.status === 'testing' || tests.smtp.status === 'testing'
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={styles.surface} data-testid="account-wizard">
        <DialogBody>
          <DialogTitle>{editing ? `Edit ${editing.name}` : 'Add a mail account'}</DialogTitle>
          <DialogContent className={styles.content}>
            {step === 'start' ? (
              <form
                className={styles.content}
                onSubmit={(e) => {
                  e.preventDefault()
                  next()
                }}
              >
                <Field
                  label="E-mail address"
                  required
                  validationMessage={
                    showErrors && !emailOk ? 'Enter an address like name@example.com.' : undefined
                  }
                >
                  <Input
                    type="email"
                    value={form.email}
                    onChange={(_, d) => update({ ...form, email: d.value })}
                    autoComplete="email"
                    autoFocus
                  />
                </Field>
                <Field
                  label="Password"
                  required
                  validationMessage={showErrors && !form.password ? 'Enter the password.' : undefined}
                >
                  <Input
                    type="password"
                    value={form.password}
                    onChange={(_, d) => update({ ...form, password: d.value })}
                  />
                </Field>
                <Field label="Your name" hint="Shown to the people you write to.">
                  <Input
                    value={form.displayName}
                    onChange={(_, d) => update({ ...form, displayName: d.value })}
                  />
                </Field>
                {/* Enter in a field submits; the visible buttons live in DialogActions. */}
                <button type="submit" hidden />
              </form>
            ) : (
              <>
                {suggestion && !editing && (
                  <MessageBar
                    intent={suggestion.source === 'table' ? 'success' : 'info'}
                    data-testid="settings-source"
                  >
                    <MessageBarBody>
                      <MessageBarTitle>
                        {suggestion.source === 'table'
                          ? `Settings for ${suggestion.provider?.name ?? 'your provider'} found.`
                          : 'Settings guessed from your address.'}
                      </MessageBarTitle>
                      {suggestion.source === 'table'
                        ? (suggestion.provider?.note ?? 'Check them and test the connection.')
                        : 'Check them against your provider’s instructions, change what differs, and test the connection.'}
                    </MessageBarBody>
                  </MessageBar>
                )}
                <Field label="Account type">
                  <RadioGroup
                    layout="horizontal"
                    value={form.kind}
                    onChange={(_, d) => update(switchKind(form, d.value as IncomingKind, suggestion))}
                  >
                    {/* The first step's fields are gone: focus moves here, so Tab and Escape keep working in the dialog. */}
                    <Radio
                      value="imap"
                      label="IMAP (mail stays on the server)"
                      autoFocus={form.kind === 'imap'}
                    />
                    <Radio
                      value="pop3"
                      label="POP3 (mail is downloaded to this computer)"
                      autoFocus={form.kind === 'pop3'}
                    />
                  </RadioGroup>
                </Field>
                {editing && (
                  <Field label="Password" hint="Leave empty to keep the saved password.">
                    <Input
                      type="password"
                      value={form.password}
                      onChange={(_, d) => update({ ...form, password: d.value })}
                    />
                  </Field>
                )}
                <ServerFields
                  legend={form.kind === 'imap' ? 'Incoming mail (IMAP)' : 'Incoming mail (POP3)'}
                  protocol={form.kind}
                  value={form.incoming}
                  errors={incomingErrors}
                  showErrors={showErrors}
                  test={tests.incoming}
                  onChange={(incoming) => update({ ...form, incoming })}
                />
                <ServerFields
                  legend="Outgoing mail (SMTP)"
                  protocol="smtp"
                  value={form.smtp}
                  errors={smtpErrors}
                  showErrors={showErrors}
                  test={tests.smtp}
                  onChange={(smtp) => update({ ...form, smtp })}
                >
                  <Checkbox
                    checked={form.smtpSamePassword}
                    onChange={(_, d) => update({ ...form, smtpSamePassword: d.checked === true })}
                    label="Uses the same password as incoming mail"
                  />
                  {!form.smtpSamePassword && (
                    <Field
                      label="SMTP password"
                      required
                      validationMessage={
                        showErrors && !smtpPasswordOk ? 'Enter the SMTP password.' : undefined
                      }
                    >
                      <Input
                        type="password"
                        value={form.smtpPassword}
                        onChange={(_, d) => update({ ...form, smtpPassword: d.value })}
                      />
                    </Field>
                  )}
                </ServerFields>
                <Field label="Account name" hint="How the account is called in the folder list.">
                  <Input value={form.name} onChange={(_, d) => update({ ...form, name: d.value })} />
                </Field>
                <Accordion collapsible defaultOpenItems={form.trustedCaPem ? ['advanced'] : []}>
                  <AccordionItem value="advanced">
                    <AccordionHeader>Advanced</AccordionHeader>
                    <AccordionPanel>
                      <Field
                        label="Trust this certificate authority (PEM)"
                        hint="For self-hosted servers with their own CA. Certificates are still checked against it."
                      >
                        <Textarea
                          className={styles.pem}
                          value={form.trustedCaPem}
                          onChange={(_, d) => update({ ...form, trustedCaPem: d.value })}
                          placeholder="-----BEGIN CERTIFICATE-----"
                          resize="vertical"
                          rows={4}
                          spellCheck={false}
                        />
                      </Field>
                    </AccordionPanel>
                  </AccordionItem>
                </Accordion>
              </>
            )}
            {saveError && (
              <MessageBar intent="error" layout="multiline" data-testid="save-error">
                <MessageBarBody>{saveError}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions className={styles.actions}>
            {step === 'start' ? (
              <>
                <Button onClick={onClose}>Cancel</Button>
                <Button appearance="primary" onClick={next}>
                  Next
                </Button>
              </>
            ) : (
              <>
                {!editing && <Button onClick={() => setStep('start')}>Back</Button>}
                <Button onClick={onClose}>Cancel</Button>
                <Button
                  onClick={test}
                  disabled={testing}
                  icon={testing ? <Spinner size="extra-tiny" /> : undefined}
                >
                  Test connection
                </Button>
                <Button appearance="primary" onClick={() => void save()} disabled={saving}>
                  {saving ? 'Saving…' : 'Save'}
                </Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
