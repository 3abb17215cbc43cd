import { memo } from 'react'
import { CounterBadge, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components'
import { AttachRegular, FlagFilled } from '@fluentui/react-icons'
import { formatListDate } from '../../components/format'
import type { MessageRow } from '../../store/rows'
import { cleanDisplayText } from '../reading-pane/safety/display-text'
import { addressShownInName } from '../reading-pane/safety/sender-checks'

export const ROW_HEIGHT = 72
export const HEADER_HEIGHT = 32

const useStyles = makeStyles({
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    display: 'grid',
    gridTemplateColumns: '4px 1fr auto',
    gridTemplateRows: 'repeat(3, 20px)',
    columnGap: tokens.spacingHorizontalS,
    alignContent: 'center',
    paddingRight: tokens.spacingHorizontalM,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: 'default',
    userSelect: 'none',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected },
  },
  unreadBar: { gridRow: '1 / 4', backgroundColor: tokens.colorBrandBackground },
  bar: { gridRow: '1 / 4' },
  line: { overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', minWidth: 0 },
  unread: { fontWeight: tokens.fontWeightSemibold },
  subjectUnread: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  snippet: { color: tokens.colorNeutralForeground3 },
  marks: {
    display: 'flex',
    gap: tokens.spacingHorizontalXS,
    alignItems: 'center',
    justifyContent: 'flex-end',
  },
  flag: { color: tokens.colorPaletteRedForeground1 },
  date: { color: tokens.colorNeutralForeground3, textAlign: 'right' },
  placeholder: { color: tokens.colorNeutralForegroundDisabled },
  header: {
    position: 'absolute',
    left: 0,
    right: 0,
    height: `${HEADER_HEIGHT}px`,
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'flex-end',
    padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`,
    color: tokens.colorNeutralForeground2,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
  },
})

/**
 * The sender as the list shows it: the display name without control or bidi characters, and, when that
 * name itself shows an address that is not the real one ("support@bank.example" <crook@evil.example>),
 * the real address beside it, so the list can't be used to impersonate anyone.
 */
export function senderText(row: MessageRow): string {
  const from = row.from[0]
  if (!from) return '(no sender)'
  const name = cleanDisplayText(from.name)
  if (!name) return from.address
  return addressShownInName(from.name, from.address) === null ? name : `${name} <${from.address}>`
}

function subjectText(row: MessageRow): string {
  return cleanDisplayText(row.subject) || '(no subject)'
}

/** The texts a row shows, each cleaned once per render of the row (the label and the lines use them). */
interface RowTexts {
  sender: string
  subject: string
  date: string
  snippet: string
}

function rowTexts(row: MessageRow): RowTexts {
  return {
    sender: senderText(row),
    subject: subjectText(row),
    date: formatListDate(row.date),
    snippet: cleanDisplayText(row.snippet),
  }
}

/** What a screen reader says for the row: state first, as Outlook's list does. */
export function rowLabel(row: MessageRow, texts: RowTexts = rowTexts(row)): string {
  const marks = [
    row.unread ? 'Unread' : null,
    row.flagged ? 'Flagged' : null,
    row.hasAttachments ? 'Has attachments' : null,
  ]
  return [...marks.filter(Boolean), texts.sender, texts.subject, texts.date].join(', ')
}

interface RowProps {
  id: string
  row: MessageRow | undefined
  index: number
  top: number
  selected: boolean
  focused: boolean
  setSize: number
  onPointer(index: number, e: React.MouseEvent): void
  onDragStart(index: number, e: React.DragEvent): void
  /** Messages in the row's conversation (conversation view); 1 otherwise. */
  threadSize: number
}

/**
 * A row of the list: the option element, whose attributes change with the list (position, selection, the
 * list's size while a sync adds messages), around its lines (RowLines), which render again only when what
 * they show changes. Each refresh of the list during a sync gives every row a new object from the store and
 * a new set size, while the rows on screen mostly show the same as before.
 */
export function MessageRowView({
  id,
  row,
  index,
  top,
  selected,
  focused,
  setSize,
  onPointer,
  onDragStart,
  threadSize,
}: RowProps): React.JSX.Element {
  const s = useStyles()
  const style = { transform: `translateY(${top}px)` }
  const texts = row && rowTexts(row)
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-label={
        row && texts
          ? threadSize > 1
            ? `${rowLabel(row, texts)}, ${threadSize} messages`
            : rowLabel(row, texts)
          : 'Loading'
      }
      data-testid="message-row"
      data-row={index}
      data-message-id={row?.id}
      data-unread={row?.unread}
      className={mergeClasses(s.row, selected && s.selected)}
      data-focused={focused}
      style={style}
      onMouseDown={(e) => onPointer(index, e)}
      onClick={(e) => onPointer(index, e)}
      onContextMenu={(e) => onPointer(index, e)}
      draggable={row !== undefined}
      onDragStart={(e) => onDragStart(index, e)}
    >
      {row && texts ? (
        <RowLines
          {...texts}
          unread={row.unread}
          flagged={row.flagged}
          hasAttachments={row.hasAttachments}
          threadSize={threadSize}
        />
      ) : (
        <>
          <span className={s.bar} />
          <Text size={200} className={s.placeholder}>
            …
          </Text>
        </>
      )}
    </div>
  )
}

interface RowLinesProps extends RowTexts {
  unread: 0 | 1
  flagged: 0 | 1
  hasAttachments: 0 | 1
  threadSize: number
}

/** A row's lines: plain values only, so memo skips them while they are the same (most rows at each refresh). */
const RowLines = memo(function RowLines({
  sender,
  subject,
  date,
  snippet,
  unread,
  flagged,
  hasAttachments,
  threadSize,
}: RowLinesProps): React.JSX.Element {
  const s = useStyles()
  return (
    <>
      <span className={unread ? s.unreadBar : s.bar} />
      <Text size={300} className={mergeClasses(s.line, unread === 1 && s.unread)}>
        {sender}
      </Text>
      <span className={s.marks}>
        {threadSize > 1 && (
          <CounterBadge
            count={threadSize}
            overflowCount={999}
            size="small"
            appearance="ghost"
            color="informative"
            data-testid="thread-size"
          />
        )}
        {hasAttachments === 1 && <AttachRegular aria-hidden />}
        {flagged === 1 && <FlagFilled aria-hidden className={s.flag} />}
      </span>
      <Text
        size={200}
        className={mergeClasses(s.line, unread === 1 && s.subjectUnread)}
        style={{ gridColumn: '2' }}
      >
        {subject}
      </Text>
      <Text size={200} className={s.date}>
        {date}
      </Text>
      <Text size={200} className={mergeClasses(s.line, s.snippet)} style={{ gridColumn: '2 / 4' }}>
        {snippet}
      </Text>
    </>
  )
})

export function GroupHeaderView({ label, top }: { label: string; top: number }): React.JSX.Element {
  const s = useStyles()
  return (
    <div
      role="presentation"
      className={s.header}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="group-header"
    >
      {label}
    </div>
  )
}
