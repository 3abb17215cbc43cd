import { useMemo, useState } from 'react'
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  tokens,
} from '@fluentui/react-components'
import { DISPLAY_LIMITS, type LimitReason } from './display-limits'

const useStyles = makeStyles({
  source: {
    flex: '1 0 auto',
    margin: 0,
    padding: tokens.spacingHorizontalM,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    borderRadius: tokens.borderRadiusMedium,
  },
})

/**
 * The start of the raw message as text: decoded as UTF-8 (bad bytes become U+FFFD), controls other than
 * line breaks and tabs shown as "·" so a NUL or an escape sequence cannot hide anything. It is a React text
 * node: nothing in it is parsed as HTML.
 */
export function rawPreview(raw: Uint8Array, maxBytes: number = DISPLAY_LIMITS.rawPreviewBytes): string {
  const text = new TextDecoder('utf-8').decode(raw.subarray(0, maxBytes))
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '·')
  return raw.byteLength > maxBytes
    ? `${shown}\n\n… ${raw.byteLength - maxBytes} more bytes not shown.`
    : shown
}

/** What the reading pane shows instead of a body for a message beyond the parser's limits. */
export function LimitedNotice({ reason, raw }: { reason: LimitReason; raw: Uint8Array }): React.JSX.Element {
  const styles = useStyles()
  const [showSource, setShowSource] = useState(false)
  const source = useMemo(() => (showSource ? rawPreview(raw) : ''), [showSource, raw])
  return (
    <>
      <MessageBar intent="warning" layout="multiline" data-testid="limited-notice" data-reason={reason.code}>
        <MessageBarBody>
          <MessageBarTitle>This message is too large or malformed to show safely</MessageBarTitle>
          {reason.message} It is kept as it arrived; you can read its source as plain text.
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => setShowSource((s) => !s)} aria-expanded={showSource}>
            {showSource ? 'Hide source' : 'View raw source'}
          </Button>
        </MessageBarActions>
      </MessageBar>
      {showSource && (
        <pre className={styles.source} data-testid="raw-source" aria-label="Raw message source">
          {source}
        </pre>
      )}
    </>
  )
}
