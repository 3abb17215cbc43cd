import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components'
import { CheckmarkCircleRegular, ErrorCircleRegular } from '@fluentui/react-icons'
import type { TlsMode } from '../../../../shared/model/account'
import { switchTls, type IncomingKind, type ServerErrors, type ServerForm } from './account-form'

export type TestState =
  { status: 'idle' } | { status: 'testing' } | { status: 'ok' } | { status: 'failed'; message: string }

const TLS_LABEL: Record<TlsMode, string> = { implicit: 'SSL/TLS', starttls: 'STARTTLS', none: 'None' }

const useStyles = makeStyles({
  set: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    margin: 0,
    display: 'grid',
    gridTemplateColumns: '1fr 100px 140px',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  dropdown: { minWidth: 0, width: '100%' },
  legend: { padding: `0 ${tokens.spacingHorizontalXS}`, fontWeight: tokens.fontWeightSemibold },
  wide: { gridColumn: '1 / -1' },
  result: { gridColumn: '1 / -1', display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  ok: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0 },
  bad: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
})

interface Props {
  legend: string
  protocol: IncomingKind | 'smtp'
  value: ServerForm
  errors: ServerErrors
  showErrors: boolean
  test: TestState
  onChange(value: ServerForm): void
  /** Extra fields inside the group (the SMTP password choice). */
  children?: React.ReactNode
}

/** One server's settings: host, port, TLS mode (None needs consent), user name, and its test result. */
export function ServerFields({
  legend,
  protocol,
  value,
  errors,
  showErrors,
  test,
  onChange,
  children,
}: Props): React.JSX.Element {
  const s = useStyles()
  const err = (k: keyof ServerErrors): string | undefined => (showErrors ? errors[k] : undefined)
  const testId = `server-${protocol === 'smtp' ? 'smtp' : 'incoming'}`
  return (
    <fieldset className={s.set} data-testid={testId}>
      <legend className={s.legend}>{legend}</legend>
      <Field label="Server" required validationMessage={err('host')}>
        <Input
          value={value.host}
          onChange={(_, d) => onChange({ ...value, host: d.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <Field label="Port" required validationMessage={err('port')}>
        <Input
          value={value.port}
          inputMode="numeric"
          onChange={(_, d) => onChange({ ...value, port: d.value.replace(/\D/g, '') })}
        />
      </Field>
      <Field label="Encryption">
        <Dropdown
          className={s.dropdown}
          value={TLS_LABEL[value.tls]}
          selectedOptions={[value.tls]}
          onOptionSelect={(_, d) => onChange(switchTls(value, protocol, d.optionValue as TlsMode))}
        >
          <Option value="implicit">{TLS_LABEL.implicit}</Option>
          <Option value="starttls">{TLS_LABEL.starttls}</Option>
          <Option value="none">{TLS_LABEL.none}</Option>
        </Dropdown>
      </Field>
      <Field label="User name" required validationMessage={err('username')} className={s.wide}>
        <Input
          value={value.username}
          onChange={(_, d) => onChange({ ...value, username: d.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      {value.tls === 'none' && (
        <div className={s.wide}>
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              Without encryption, your password and mail cross the network readable by anyone on the way.
            </MessageBarBody>
          </MessageBar>
          <Field validationMessage={err('allowPlaintext')}>
            <Checkbox
              checked={value.allowPlaintext}
              onChange={(_, d) => onChange({ ...value, allowPlaintext: d.checked === true })}
              label="Allow sending my password unencrypted"
            />
          </Field>
        </div>
      )}
      {children && <div className={s.wide}>{children}</div>}
      {test.status !== 'idle' && (
        <div className={s.result} role="status" data-testid={`${testId}-result`} data-status={test.status}>
          {test.status === 'testing' && <Spinner size="extra-tiny" label="Testing…" />}
          {test.status === 'ok' && (
            <>
              <CheckmarkCircleRegular className={s.ok} fontSize={20} aria-hidden />
              <Text>Connected and signed in.</Text>
            </>
          )}
          {test.status === 'failed' && (
            <>
              <ErrorCircleRegular className={s.bad} fontSize={20} aria-hidden />
              <Text data-testid={`${testId}-error`}>{test.message}</Text>
            </>
          )}
        </div>
      )}
    </fieldset>
  )
}
