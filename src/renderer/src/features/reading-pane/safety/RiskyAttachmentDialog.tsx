import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components'
import type { SafeAttachmentName } from './attachment-name'

/**
 * The extra confirmation before saving a file that runs code when opened (issue: "executables need an
 * extra confirmation"). Cancel is the default button: Enter does not save.
 */
export function RiskyAttachmentDialog({
  name,
  onSave,
  onClose,
}: {
  name: SafeAttachmentName | null
  onSave(): void
  onClose(): void
}): React.JSX.Element {
  return (
    <Dialog open={name !== null} onOpenChange={(_e, d) => !d.open && onClose()}>
      <DialogSurface data-testid="risky-attachment-dialog">
        <DialogBody>
          <DialogTitle>Save a file that can run programs?</DialogTitle>
          <DialogContent>
            <p>
              <strong>{name?.name}</strong> can change your computer when opened. Save it only if you expected
              it from this sender.
            </p>
            {name?.warnings.map((w) => (
              <p key={w}>{w}</p>
            ))}
            {name && name.original !== name.name && <p>Name as sent: {name.original}</p>}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              Cancel
            </Button>
            <Button
              onClick={() => {
                onSave()
                onClose()
              }}
            >
              Save anyway
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
