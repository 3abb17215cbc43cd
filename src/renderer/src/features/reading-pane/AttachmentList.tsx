import { useState } from 'react'
import { Badge, Button, makeStyles, Text, tokens, Tooltip } from '@fluentui/react-components'
import { ArrowDownloadRegular, DocumentRegular, WarningRegular } from '@fluentui/react-icons'
import { formatBytes } from '../../components/format'
import type { ParsedAttachment } from './parse-message'
import { safeAttachmentName, type SafeAttachmentName } from './safety/attachment-name'
import { RiskyAttachmentDialog } from './safety/RiskyAttachmentDialog'

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
  badge: { flexShrink: 0, whiteSpace: 'nowrap' },
})

/**
 * Saves the decoded bytes through a Blob URL under the neutralised name (safety/attachment-name.ts); the type
 * is forced to octet-stream so nothing renders inline.
 */
function save(a: ParsedAttachment, name: string): void {
  const url = URL.createObjectURL(new Blob([a.content.slice()], { type: 'application/octet-stream' }))
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = name
  anchor.rel = 'noopener'
  anchor.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function AttachmentList({ attachments }: { attachments: ParsedAttachment[] }): React.JSX.Element {
  const styles = useStyles()
  const [confirm, setConfirm] = useState<{ a: ParsedAttachment; name: SafeAttachmentName } | null>(null)
  return (
    <ul className={styles.list} aria-label="Attachments" data-testid="attachments">
      {attachments.map((a, i) => {
        const safe = safeAttachmentName(a.filename)
        return (
          <li key={i} className={styles.item} data-testid="attachment" data-risky={safe.warnings.length > 0}>
            <DocumentRegular fontSize={24} aria-hidden />
            <span className={styles.texts}>
              <Text size={200} weight="semibold" className={styles.name} title={safe.original}>
                {safe.name}
              </Text>
              <Text size={100} className={styles.meta}>
                {formatBytes(a.size)} · {a.mimeType}
              </Text>
            </span>
            {safe.warnings.length > 0 && (
              <Tooltip content={safe.warnings.join(' ')} relationship="description">
                <Badge
                  color="warning"
                  icon={<WarningRegular />}
                  className={styles.badge}
                  data-testid="attachment-warning"
                >
                  {safe.executable ? 'Runs programs' : 'Renamed'}
                </Badge>
              </Tooltip>
            )}
            <Button
              size="small"
              appearance="subtle"
              icon={<ArrowDownloadRegular />}
              aria-label={`Save ${safe.name}`}
              onClick={() => (safe.executable ? setConfirm({ a, name: safe }) : save(a, safe.name))}
            >
              Save
            </Button>
          </li>
        )
      })}
      <RiskyAttachmentDialog
        name={confirm?.name ?? null}
        onSave={() => confirm && save(confirm.a, confirm.name.name)}
        onClose={() => setConfirm(null)}
      />
    </ul>
  )
}
