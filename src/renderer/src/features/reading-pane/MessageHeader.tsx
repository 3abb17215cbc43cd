import { Badge, makeStyles, Text, tokens, Tooltip } from '@fluentui/react-components'
import { WarningRegular } from '@fluentui/react-icons'
import { formatAddress, formatFullDate } from '../../components/format'
import { nameHidesAddress } from './display-name'
import type { ParsedAddress } from './parse-message'

const useStyles = makeStyles({
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  subject: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: 'anywhere',
  },
  line: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  from: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
})

function list(addresses: ParsedAddress[]): string {
  return addresses.map(formatAddress).join(', ')
}

export interface HeaderFields {
  subject: string
  from: ParsedAddress[]
  to: ParsedAddress[]
  cc: ParsedAddress[]
  date: number | null
}

export function MessageHeader({ fields }: { fields: HeaderFields }): React.JSX.Element {
  const s = useStyles()
  const sender = fields.from[0]
  const disguised = sender ? nameHidesAddress(sender.name, sender.address) : false
  return (
    <header className={s.head}>
      <h2 className={s.subject} data-testid="message-subject">
        {fields.subject || '(no subject)'}
      </h2>
      <div className={s.from}>
        <Text weight="semibold" data-testid="message-from">
          {sender ? formatAddress(sender) : '(no sender)'}
        </Text>
        {disguised && (
          <Tooltip
            content={`The name shows an address, but the message really comes from ${sender?.address}.`}
            relationship="description"
          >
            <Badge color="warning" icon={<WarningRegular />} data-testid="sender-warning">
              Name shows another address
            </Badge>
          </Tooltip>
        )}
      </div>
      {fields.to.length > 0 && (
        <Text size={200} className={s.line}>
          To: {list(fields.to)}
        </Text>
      )}
      {fields.cc.length > 0 && (
        <Text size={200} className={s.line}>
          Cc: {list(fields.cc)}
        </Text>
      )}
      {fields.date !== null && (
        <Text size={200} className={s.line}>
          {formatFullDate(fields.date)}
        </Text>
      )}
    </header>
  )
}
