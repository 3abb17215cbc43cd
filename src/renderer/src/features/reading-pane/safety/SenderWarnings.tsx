import { Badge, makeStyles, tokens, Tooltip } from '@fluentui/react-components'
import { WarningRegular } from '@fluentui/react-icons'
import { senderWarnings, type Mailbox, type SenderWarning } from './sender-checks'

const useStyles = makeStyles({
  list: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
})

function describe(w: SenderWarning, sender: string): { label: string; detail: string } {
  switch (w.kind) {
    case 'name-shows-address':
      return {
        label: 'Name shows another address',
        detail: `The name shows ${w.shown}, but the message really comes from ${w.real}.`,
      }
    case 'lookalike-domain':
      return {
        // The real form in the label itself: the shown address may be indistinguishable from the imitated one.
        label: `Lookalike domain: really ${w.ascii.split('@')[1]}`,
        detail: `The sender's domain uses characters that can imitate another one. Its real form is ${w.ascii}.`,
      }
    case 'reply-to-differs':
      return {
        label: `Replies go to ${w.replyTo}`,
        detail: `The message comes from ${sender}, but a reply would be sent to ${w.replyTo}.`,
      }
    case 'hidden-characters':
      return {
        label: 'Hidden characters in the name',
        detail: 'The sender name contained invisible or text-reversing characters; they are not shown.',
      }
  }
}

/** Badges for everything suspicious about the sender (see sender-checks.ts), each with an explanation. */
export function SenderWarnings({
  from,
  replyTo,
}: {
  from: readonly Mailbox[]
  replyTo: readonly Mailbox[]
}): React.JSX.Element | null {
  const styles = useStyles()
  const warnings = senderWarnings(from, replyTo)
  if (warnings.length === 0) return null
  const sender = from[0]?.address ?? ''
  return (
    <span className={styles.list} data-testid="sender-warnings">
      {warnings.map((w) => {
        const { label, detail } = describe(w, sender)
        return (
          <Tooltip key={w.kind} content={detail} relationship="description">
            <Badge color="warning" icon={<WarningRegular />} data-testid="sender-warning" data-kind={w.kind}>
              {label}
            </Badge>
          </Tooltip>
        )
      })}
    </span>
  )
}
