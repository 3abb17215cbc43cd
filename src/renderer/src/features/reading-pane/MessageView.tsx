import { useCallback, useMemo, useState } from 'react'
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  tokens,
} from '@fluentui/react-components'
import type { MessageRow } from '../../store/rows'
import { DraftBar } from '../compose/DraftBar'
import { AttachmentList } from './AttachmentList'
import { inlineImageUrls } from './inline-images'
import { LinkDialog } from './LinkDialog'
import { MessageFrame } from './MessageFrame'
import { MessageHeader } from './MessageHeader'
import { PlainTextBody } from './PlainTextBody'
import { isSenderTrusted, trustSender } from './remote-content-prefs'
import { remoteImageMap, useRemoteImages } from './use-remote-images'
import { LimitedNotice } from './safety/LimitedNotice'
import type { BodyState } from './use-message-body'

const useStyles = makeStyles({
  view: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    minHeight: 0,
    height: '100%',
    boxSizing: 'border-box',
    // A short pane (reading pane at the bottom) scrolls as a whole instead of squeezing the banners.
    overflowY: 'auto',
    '& > *': { flexShrink: 0 },
  },
})

export function MessageView({
  row,
  body,
}: {
  row: MessageRow | undefined
  body: BodyState
}): React.JSX.Element {
  const s = useStyles()
  const [link, setLink] = useState<string | null>(null)
  const [remote, setRemote] = useState<{ count: number; imageUrls: string[] }>({ count: 0, imageUrls: [] })
  const [allowOnce, setAllowOnce] = useState(false)
  const [, setTrustGeneration] = useState(0)
  const message = body.status === 'ready' ? body.message : null
  const sender = (message?.from[0] ?? row?.from[0])?.address ?? ''
  const allowRemote = allowOnce || (sender !== '' && isSenderTrusted(sender))
  const [pictureAttempt, setPictureAttempt] = useState(0)
  const pictures = useRemoteImages(remote.imageUrls, allowRemote, pictureAttempt)
  const remoteImages = remoteImageMap(pictures)
  const cids = useMemo(() => (message ? inlineImageUrls(message) : new Map<string, string>()), [message])
  const onLink = useCallback((href: string) => setLink(href), [])
  const onRemote = useCallback(
    (next: { count: number; imageUrls: string[] }) =>
      setRemote((prev) =>
        prev.count === next.count && prev.imageUrls.join('\n') === next.imageUrls.join('\n') ? prev : next,
      ),
    [],
  )
  const fields = message ?? {
    subject: row?.subject ?? '',
    from: row?.from ?? [],
    to: row?.to ?? [],
    cc: row?.cc ?? [],
    replyTo: [],
    date: row?.date ?? null,
  }
  const listed = message?.attachments.filter((a) => !a.inline) ?? []

  return (
    <article className={s.view} aria-label="Message" data-testid="message-view">
      <MessageHeader fields={fields} />
      {row && <DraftBar row={row} />}
      {body.status === 'loading' && <Spinner size="small" label="Downloading the message…" />}
      {body.status === 'failed' && (
        <MessageBar intent="error" layout="multiline" data-testid="body-error">
          <MessageBarBody>
            <MessageBarTitle>The message could not be shown</MessageBarTitle>
            {body.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={body.retry}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {body.status === 'limited' && <LimitedNotice reason={body.reason} raw={body.raw} />}
      {message && allowRemote && pictures.state === 'loading' && (
        <Spinner
          size="tiny"
          label={`Downloading pictures (${pictures.done} of ${pictures.total})…`}
          data-testid="remote-content-loading"
        />
      )}
      {message && allowRemote && pictures.state === 'ready' && pictures.failed > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="remote-content-failed">
          <MessageBarBody>
            {pictures.failed === 1 ? 'One picture' : `${pictures.failed} pictures`} could not be downloaded
            {pictures.firstError ? `: ${pictures.firstError}` : '.'}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setPictureAttempt((n) => n + 1)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {message && remote.count > 0 && !allowRemote && (
        <MessageBar intent="info" layout="multiline" data-testid="remote-content-bar">
          <MessageBarBody>
            To protect your privacy, pictures and other content from the internet were not downloaded.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAllowOnce(true)}>Show images</Button>
            {sender && (
              <Button
                onClick={() => {
                  trustSender(sender)
                  setTrustGeneration((g) => g + 1)
                }}
              >
                Always from {sender}
              </Button>
            )}
          </MessageBarActions>
        </MessageBar>
      )}
      {listed.length > 0 && <AttachmentList attachments={listed} />}
      {message &&
        (message.html ? (
          <MessageFrame
            html={message.html}
            remoteImages={remoteImages}
            cidUrls={cids}
            title={`Message: ${fields.subject}`}
            onRemote={onRemote}
            onLink={onLink}
          />
        ) : (
          <PlainTextBody text={message.text ?? ''} onLink={onLink} />
        ))}
      <LinkDialog href={link} onClose={() => setLink(null)} />
    </article>
  )
}
