import { Button, makeStyles, Text, tokens } from '@fluentui/react-components'
import { ArrowDownloadRegular, DocumentRegular } from '@fluentui/react-icons'
import { formatBytes } from '../../components/format'
import type { ParsedAttachment } from './parse-message'

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    maxWidth: '320px',
  },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' },
  meta: { color: tokens.colorNeutralForeground3 },
  texts: { minWidth: 0, display: 'flex', flexDirection: 'column' },
})

/** Saves the decoded bytes through a Blob URL; the type is forced to octet-stream so nothing renders inline. */
function save(a: ParsedAttachment): void {
  const url = URL.createObjectURL(new Blob([a.content.slice()], { type: 'application/octet-stream' }))
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = a.filename
  anchor.rel = 'noopener'
  anchor.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function AttachmentList({ attachments }: { attachments: ParsedAttachment[] }): React.JSX.Element {
  const styles = useStyles()
  return (
    <ul className={styles.list} aria-label="Attachments" data-testid="attachments">
      {attachments.map((a, i) => (
        <li key={i} className={styles.item} data-testid="attachment">
          <DocumentRegular fontSize={24} aria-hidden />
          <span className={styles.texts}>
            <Text size={200} weight="semibold" className={styles.name} title={a.filename}>
              {a.filename}
            </Text>
            <Text size={100} className={styles.meta}>
              {formatBytes(a.size)} · {a.mimeType}
            </Text>
          </span>
          <Button
            size="small"
            appearance="subtle"
            icon={<ArrowDownloadRegular />}
            aria-label={`Save ${a.filename}`}
            onClick={() => save(a)}
          >
            Save
          </Button>
        </li>
      ))}
    </ul>
  )
}
