import { useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
} from '@fluentui/react-components'
import { isOpenableLink } from './linkify'

const useStyles = makeStyles({
  url: {
    display: 'block',
    fontFamily: tokens.fontFamilyMonospace,
    wordBreak: 'break-all',
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    maxHeight: '8em',
    overflowY: 'auto',
  },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
})

function hostOf(href: string): string | null {
  try {
    const url = new URL(href)
    return url.protocol === 'mailto:' ? url.pathname : url.hostname
  } catch {
    return null
  }
}

/**
 * Shows where a link really goes before anything opens. The page opens it with noopener: in Electron the
 * main process turns window.open into the system browser; under the web host it is a new tab.
 */
export function LinkDialog({
  href: asked,
  onClose,
}: {
  href: string | null
  onClose(): void
}): React.JSX.Element {
  const styles = useStyles()
  // While the dialog animates out, `asked` is already null: keep showing the link it was opened for.
  const [href, setHref] = useState(asked)
  if (asked !== null && asked !== href) setHref(asked)
  const openable = href !== null && isOpenableLink(href)
  const host = href ? hostOf(href) : null
  return (
    <Dialog open={asked !== null} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby="link-target" data-testid="link-dialog">
        <DialogBody>
          <DialogTitle>{openable ? `Open a link to ${host}?` : 'This link cannot be opened'}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>This link goes to:</Text>
            <Text id="link-target" className={styles.url} data-testid="link-target">
              {href}
            </Text>
            {!openable && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>Only web and e-mail links are opened from messages.</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => href && void navigator.clipboard?.writeText(href).catch(() => undefined)}>
              Copy link
            </Button>
            <Button appearance="secondary" onClick={onClose}>
              Cancel
            </Button>
            {openable && (
              <Button
                appearance="primary"
                onClick={() => {
                  window.open(href, '_blank', 'noopener,noreferrer')
                  onClose()
                }}
              >
                Open link
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
