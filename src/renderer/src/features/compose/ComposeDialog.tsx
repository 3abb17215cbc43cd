import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Option,
  Text,
  tokens,
} from '@fluentui/react-components'
import { DeleteRegular, DismissRegular, SendRegular } from '@fluentui/react-icons'
import { useCallback, useState, type DragEvent } from 'react'
import { useNotify } from '../../components/notify'
import { formatBytes } from '../../components/format'
import type { ComposeAddress, DraftContent } from '../../store/compose-rows'
import { useWorkerLink } from '../../sync/worker-link-context'
import { AddressField } from './AddressField'
import { AttachmentBar, filesToAttachments } from './AttachmentBar'
import { flattenRecipients, formatMailbox, hasInternationalLocalPart } from './address-parse'
import { identityKey } from './identities'
import type { Identity } from './reply-model'
import { RichTextEditor } from './RichTextEditor'
import { SizeWarning } from './SizeWarning'
import { estimateSize, useComposeState } from './use-compose-state'

const useStyles = makeStyles({
  surface: { width: 'min(960px, 96vw)', maxWidth: 'min(960px, 96vw)', height: 'min(860px, 94vh)' },
  body: { height: '100%', gridTemplateRows: 'auto minmax(0, 1fr) auto' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minHeight: 0 },
  dropping: { outline: `2px dashed ${tokens.colorBrandStroke1}`, outlineOffset: '4px' },
  status: { marginRight: 'auto', alignSelf: 'center', color: tokens.colorNeutralForeground3 },
  // Outlook-like narrow label column; Fluent's horizontal Field gives labels a third of the width.
  field: { gridTemplateColumns: '64px minmax(0, 1fr)' },
})

export interface ComposeDialogProps {
  initial: DraftContent
  identities: readonly Identity[]
  book: readonly ComposeAddress[]
  title: string
  onClose(): void
}

/** The composer: From, To/Cc/Bcc, Subject, rich text, attachments (picker or drop), autosave, Send. */
export function ComposeDialog({
  initial,
  identities,
  book,
  title,
  onClose,
}: ComposeDialogProps): React.JSX.Element {
  const styles = useStyles()
  const link = useWorkerLink()
  const notify = useNotify()
  const state = useComposeState(initial, identities)
  const { fields, update, parsed, limits } = state
  const [showBcc, setShowBcc] = useState(fields.bcc !== '')
  const [dropping, setDropping] = useState(false)
  const [tooLarge, setTooLarge] = useState<number | null>(null)
  const [sending, setSending] = useState(false)
  /** Close was asked for but the draft could not be saved: the window stays, saying why. */
  const [closeRefused, setCloseRefused] = useState(false)

  const onBodyChange = useCallback((html: string) => update({ html }), [update])
  const invalid = [...parsed.to.invalid, ...parsed.cc.invalid, ...parsed.bcc.invalid]
  // RFC 6531: a non-ASCII local part needs SMTPUTF8; say so now rather than after Send.
  const international =
    limits && !limits.smtpUtf8
      ? [
          ...(state.identity ? [state.identity.address] : []),
          ...flattenRecipients([...parsed.to.entries, ...parsed.cc.entries, ...parsed.bcc.entries]).map(
            (m) => m.address,
          ),
        ].filter(hasInternationalLocalPart)
      : []
  const size = estimateSize(fields)

  const send = async (confirmedSize = false): Promise<void> => {
    if (invalid.length > 0) return notify.info(`Fix the addresses first: ${invalid.join(', ')}`, 'warning')
    const d = state.draft()
    if (d.to.length + d.cc.length + d.bcc.length === 0)
      return notify.info('Add at least one recipient.', 'warning')
    if (!confirmedSize && limits?.maxSize && size > limits.maxSize) return setTooLarge(limits.maxSize)
    setSending(true)
    state.seal(true)
    try {
      await link.command({ kind: 'send-draft', draft: d })
      notify.info('Sending… The message waits in the Outbox until the server has it.', 'success')
      onClose()
    } catch (error) {
      state.seal(false)
      notify.error('Could not queue the message', error)
    } finally {
      setSending(false)
    }
  }

  const close = async (): Promise<void> => {
    // Closing must not lose what was typed: a draft that cannot be saved keeps its window open.
    if (state.isDirty() && !(await state.save())) {
      setCloseRefused(true)
      return
    }
    onClose()
  }
  const discard = async (): Promise<void> => {
    await link.command({ kind: 'discard-draft', draftId: initial.id }).catch(() => undefined)
    onClose()
  }
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault()
    setDropping(false)
    const files = Array.from(event.dataTransfer.files)
    if (files.length > 0)
      void filesToAttachments(files).then((added) =>
        update({ attachments: [...fields.attachments, ...added] }),
      )
  }

  const saveText = {
    new: '',
    saving: 'Saving…',
    saved: 'Draft saved',
    error: 'Not saved: will retry',
    full: 'Not saved: the disk is full',
  }[state.saveState]
  const current = state.identity
  return (
    <Dialog open modalType="non-modal" onOpenChange={(_e, data) => !data.open && void close()}>
      <DialogSurface
        className={`${styles.surface} ${dropping ? styles.dropping : ''}`}
        aria-label={title}
        data-testid="composer"
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) {
            e.preventDefault()
            setDropping(true)
          }
        }}
        onDragLeave={() => setDropping(false)}
        onDrop={onDrop}
      >
        <DialogBody className={styles.body}>
          <DialogTitle
            action={
              <Button
                appearance="subtle"
                aria-label="Close"
                icon={<DismissRegular />}
                onClick={() => void close()}
              />
            }
          >
            {fields.subject.trim() || title}
          </DialogTitle>
          <DialogContent className={styles.content}>
            <Field label="From" orientation="horizontal" className={styles.field}>
              <Dropdown
                aria-label="From"
                value={current ? formatMailbox(current) : ''}
                selectedOptions={[fields.identity]}
                onOptionSelect={(_e, data) => data.optionValue && update({ identity: data.optionValue })}
              >
                {identities.map((i) => (
                  <Option key={identityKey(i)} value={identityKey(i)} text={formatMailbox(i)}>
                    {formatMailbox(i)}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <AddressField
              className={styles.field}
              label="To"
              value={fields.to}
              onChange={(to) => update({ to })}
              book={book}
              invalid={parsed.to.invalid}
              autoFocus={fields.to === ''}
            />
            <AddressField
              className={styles.field}
              label="Cc"
              value={fields.cc}
              onChange={(cc) => update({ cc })}
              book={book}
              invalid={parsed.cc.invalid}
            />
            {showBcc ? (
              <AddressField
                className={styles.field}
                label="Bcc"
                value={fields.bcc}
                onChange={(bcc) => update({ bcc })}
                book={book}
                invalid={parsed.bcc.invalid}
              />
            ) : (
              <Button
                appearance="transparent"
                size="small"
                style={{ alignSelf: 'flex-start', marginLeft: '64px' }}
                onClick={() => setShowBcc(true)}
              >
                Add Bcc
              </Button>
            )}
            <Field label="Subject" orientation="horizontal" className={styles.field}>
              <Input
                aria-label="Subject"
                value={fields.subject}
                onChange={(_e, data) => update({ subject: data.value })}
              />
            </Field>
            <RichTextEditor
              initialHtml={initial.html}
              signature={current?.signature ?? ''}
              inlineImages={initial.attachments}
              onChange={onBodyChange}
              onPastePictures={(pictures) => update({ attachments: [...fields.attachments, ...pictures] })}
            />
            <AttachmentBar
              // Pictures in the text are part of it, not files to list.
              attachments={fields.attachments.filter((a) => a.contentId === undefined)}
              onAdd={(added) => update({ attachments: [...fields.attachments, ...added] })}
              onRemove={(id) => update({ attachments: fields.attachments.filter((a) => a.id !== id) })}
            />
            {international.length > 0 && (
              <MessageBar intent="warning" layout="multiline" data-testid="smtputf8-warning">
                <MessageBarBody>
                  Your outgoing server does not support international addresses, so this message cannot be
                  sent to or from {international.join(', ')}. Use an address without accents or non-Latin
                  letters before the @, or send from another account.
                </MessageBarBody>
              </MessageBar>
            )}
            {closeRefused && state.saveState !== 'saved' && (
              <MessageBar intent="error" layout="multiline" data-testid="draft-not-saved">
                <MessageBarBody>
                  {state.saveState === 'full'
                    ? 'There is no room left on this computer to save this draft, so its window stays open. Free some disk space; the draft is saved by itself once there is room.'
                    : 'This draft could not be saved, so its window stays open. It is tried again by itself; or Discard it.'}
                </MessageBarBody>
              </MessageBar>
            )}
            {limits?.maxSize && size > limits.maxSize && (
              <MessageBar intent="warning">
                <MessageBarBody>
                  About {formatBytes(size)}: more than the {formatBytes(limits.maxSize)} your server accepts.
                </MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions fluid>
            <Text size={200} className={styles.status} aria-live="polite">
              {saveText}
            </Text>
            <Button icon={<DeleteRegular />} onClick={() => void discard()}>
              Discard
            </Button>
            <Button
              appearance="primary"
              icon={<SendRegular />}
              disabled={sending}
              onClick={() => void send()}
            >
              Send
            </Button>
          </DialogActions>
        </DialogBody>
        {tooLarge !== null && (
          <SizeWarning
            size={size}
            maxSize={tooLarge}
            onCancel={() => setTooLarge(null)}
            onSend={() => {
              setTooLarge(null)
              void send(true)
            }}
          />
        )}
      </DialogSurface>
    </Dialog>
  )
}
