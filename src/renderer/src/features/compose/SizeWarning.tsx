import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components'
import { formatBytes } from '../../components/format'

/** Asked before sending a message above the server's EHLO SIZE (RFC 1870): it will most likely bounce. */
export function SizeWarning(props: {
  size: number
  maxSize: number
  onCancel(): void
  onSend(): void
}): React.JSX.Element {
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, d) => !d.open && props.onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>This message is probably too large</DialogTitle>
          <DialogContent>
            It is about {formatBytes(props.size)}, and your outgoing server accepts at most{' '}
            {formatBytes(props.maxSize)}. Remove or shrink attachments, or share large files by link.
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onCancel}>
              Back to the message
            </Button>
            <Button onClick={props.onSend}>Try to send anyway</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
