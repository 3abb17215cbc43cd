import { makeStyles, Text, tokens } from '@fluentui/react-components'
import { clampText, HEADER_LIMITS } from '../../../../shared/mail/header-limits'
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
  return clampText(cleanDisplayText(formatAddress(a)), HEADER_LIMITS.nameChars + HEADER_LIMITS.addressChars)
}

/** Recipients named in the header; a message to thousands lists the first ones and says how many more. */
const LISTED_RECIPIENTS = 20
/** Subject characters in the header: a heading, not the place to read a megabyte (the source has it all). */
const SHOWN_SUBJECT_CHARS = 300

function list(addresses: ParsedAddress[]): string {
  const named = addresses.slice(0, LISTED_RECIPIENTS).map(shown).join(', ')
  const more = addresses.length - LISTED_RECIPIENTS
  return more > 0 ? `${named} and ${more.toLocaleString()} more` : named
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
        {clampText(cleanDisplayText(fields.subject), SHOWN_SUBJECT_CHARS) || '(no subject)'}
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
