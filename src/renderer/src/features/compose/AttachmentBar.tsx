import { Button, makeStyles, tokens, Tag, TagGroup } from '@fluentui/react-components'
import { AttachRegular } from '@fluentui/react-icons'
import { useRef } from 'react'
import { formatBytes } from '../../components/format'
import type { DraftAttachment } from '../../store/compose-rows'

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
})

/** Reads picked or dropped files into draft attachments (bytes in the draft, so reopening restores them). */
export async function filesToAttachments(files: Iterable<File>): Promise<DraftAttachment[]> {
  const out: DraftAttachment[] = []
  for (const file of files) {
    const content = new Uint8Array(await file.arrayBuffer())
    out.push({
      id: globalThis.crypto.randomUUID(),
      filename: file.name || 'attachment',
      contentType: file.type || 'application/octet-stream',
      size: content.byteLength,
      content,
    })
  }
  return out
}

export interface AttachmentBarProps {
  attachments: readonly DraftAttachment[]
  onAdd(files: DraftAttachment[]): void
  onRemove(id: string): void
}

export function AttachmentBar({ attachments, onAdd, onRemove }: AttachmentBarProps): React.JSX.Element {
  const styles = useStyles()
  const input = useRef<HTMLInputElement>(null)
  return (
    <div className={styles.bar}>
      <Button size="small" icon={<AttachRegular />} onClick={() => input.current?.click()}>
        Attach
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="compose-file-input"
        onChange={(e) => {
          const files = e.currentTarget.files
          if (files) void filesToAttachments(Array.from(files)).then(onAdd)
          e.currentTarget.value = ''
        }}
      />
      {attachments.length > 0 && (
        <TagGroup aria-label="Attachments" onDismiss={(_e, data) => onRemove(String(data.value))}>
          {attachments.map((a) => (
            <Tag
              key={a.id}
              value={a.id}
              dismissible
              dismissIcon={{ 'aria-label': `Remove ${a.filename}` }}
              size="small"
            >
              {a.filename} ({formatBytes(a.size)})
            </Tag>
          ))}
        </TagGroup>
      )}
    </div>
  )
}
