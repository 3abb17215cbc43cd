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

/** What a screen reader says for the row: state first, as Outlook's list does. */
export function rowLabel(row: MessageRow): string {
  const marks = [
    row.unread ? 'Unread' : null,
    row.flagged ? 'Flagged' : null,
    row.hasAttachments ? 'Has attachments' : null,
  ]
  return [...marks.filter(Boolean), senderText(row), subjectText(row), formatListDate(row.date)].join(', ')
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
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-label={
        row ? (threadSize > 1 ? `${rowLabel(row)}, ${threadSize} messages` : rowLabel(row)) : 'Loading'
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
      <span className={row?.unread ? s.unreadBar : s.bar} />
      {row ? (
        <>
          <Text size={300} className={mergeClasses(s.line, row.unread === 1 && s.unread)}>
            {senderText(row)}
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
            {row.hasAttachments === 1 && <AttachRegular aria-hidden />}
            {row.flagged === 1 && <FlagFilled aria-hidden className={s.flag} />}
          </span>
          <Text
            size={200}
            className={mergeClasses(s.line, row.unread === 1 && s.subjectUnread)}
            style={{ gridColumn: '2' }}
          >
            {subjectText(row)}
          </Text>
          <Text size={200} className={s.date}>
            {formatListDate(row.date)}
          </Text>
          <Text size={200} className={mergeClasses(s.line, s.snippet)} style={{ gridColumn: '2 / 4' }}>
            {cleanDisplayText(row.snippet)}
          </Text>
        </>
      ) : (
        <Text size={200} className={s.placeholder}>
          …
        </Text>
      )}
    </div>
  )
}

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
