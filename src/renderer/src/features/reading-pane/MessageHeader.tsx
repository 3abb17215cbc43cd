import { makeStyles, Text, tokens } from '@fluentui/react-components'
import { formatAddress, formatFullDate } from '../../components/format'
import type { ParsedAddress } from './parse-message'
import { cleanDisplayText } from './safety/display-text'
import { SenderWarnings } from './safety/SenderWarnings'

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

/** Names and subjects lose hidden characters (NUL, CR/LF, bidi overrides from RFC 2047 words) when shown. */
function shown(a: ParsedAddress): string {
  return cleanDisplayText(formatAddress(a))
}

function list(addresses: ParsedAddress[]): string {
  return addresses.map(shown).join(', ')
}

export interface HeaderFields {
  subject: string
  from: ParsedAddress[]
  to: ParsedAddress[]
  cc: ParsedAddress[]
  /** Flagged when it differs from From (replies would go elsewhere). */
  replyTo?: ParsedAddress[]
  date: number | null
}

export function MessageHeader({ fields }: { fields: HeaderFields }): React.JSX.Element {
  const s = useStyles()
  const sender = fields.from[0]
  return (
    <header className={s.head}>
      <h2 className={s.subject} data-testid="message-subject">
        {cleanDisplayText(fields.subject) || '(no subject)'}
      </h2>
      <div className={s.from}>
        <Text weight="semibold" data-testid="message-from">
          {sender ? shown(sender) : '(no sender)'}
        </Text>
        <SenderWarnings from={fields.from} replyTo={fields.replyTo ?? []} />
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
