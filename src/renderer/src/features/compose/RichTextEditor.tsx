import {
  makeStyles,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  tokens,
  Tooltip,
} from '@fluentui/react-components'
import {
  LinkRegular,
  TextBoldRegular,
  TextBulletListLtrRegular,
  TextClearFormattingRegular,
  TextItalicRegular,
  TextNumberListLtrRegular,
  TextUnderlineRegular,
} from '@fluentui/react-icons'
import { useEffect, useRef, type ClipboardEvent } from 'react'
import { contentIdOf } from '../../../../shared/mail/inline-images'
import type { DraftAttachment } from '../../store/compose-rows'
import { filesToAttachments } from './AttachmentBar'
import { applySignature } from './compose-html'
import { sanitizeComposeHtml } from './compose-sanitize'

const useStyles = makeStyles({
  editor: {
    minHeight: '220px',
    flexGrow: 1,
    overflowY: 'auto',
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    outlineStyle: 'none',
    ':focus-visible': { border: `1px solid ${tokens.colorBrandStroke1}` },
    '& p': { margin: '0 0 0.6em 0' },
    '& blockquote': {
      margin: '0 0 0.6em 0',
      paddingLeft: tokens.spacingHorizontalM,
      borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
      color: tokens.colorNeutralForeground2,
    },
    '& .signature': { color: tokens.colorNeutralForeground2 },
    '& a': { color: tokens.colorBrandForegroundLink },
    '& img': { maxWidth: '100%' },
  },
})

function FormatButton(props: { label: string; icon: React.JSX.Element; onClick(): void }): React.JSX.Element {
  return (
    <Tooltip content={props.label} relationship="label">
      <ToolbarButton
        aria-label={props.label}
        icon={props.icon}
        // Keeps the selection in the editor: a focused button would take it away before the command runs.
        onMouseDown={(e) => e.preventDefault()}
        onClick={props.onClick}
      />
    </Tooltip>
  )
}

export interface RichTextEditorProps {
  /** The HTML to start from; later changes come from the user and are reported through onChange. */
  initialHtml: string
  /** The From identity's signature: when it changes, the signature block in the text follows. */
  signature: string
  /** The draft's pictures in the text (`contentId` set): shown from their bytes, never fetched. */
  inlineImages: readonly DraftAttachment[]
  onChange(html: string): void
  /** Pictures pasted into the text (a screenshot): they join the draft as inline parts. */
  onPastePictures(pictures: DraftAttachment[]): void
}

/** Raster pictures only: an SVG is a document that could refer to more. */
const PASTABLE = /^image\/(png|jpeg|gif|webp|bmp)$/

/** Shows each `cid:` picture from a blob: URL of its bytes; `data-cid` remembers which part it is. */
function showPictures(root: HTMLElement, urls: ReadonlyMap<string, string>): void {
  for (const img of root.querySelectorAll('img')) {
    const cid = contentIdOf(img.getAttribute('src') ?? '')
    const url = cid === null ? undefined : urls.get(cid)
    if (cid === null || !url) continue
    img.setAttribute('data-cid', cid)
    img.setAttribute('src', url)
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The editor's HTML as the draft keeps it: pictures point at their parts (`cid:`) again. */
function draftHtml(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement
  for (const img of copy.querySelectorAll('img[data-cid]')) {
    img.setAttribute('src', `cid:${encodeURI(img.getAttribute('data-cid') ?? '')}`)
    img.removeAttribute('data-cid')
  }
  return copy.innerHTML
}

/**
 * Rich text the simple way: a contenteditable with a small toolbar (bold, italic, underline, lists, link,
 * clear). Browsers' editing commands are enough for mail; pasted HTML is sanitized to the composer's small
 * tag set, so nothing active or remote ever enters a draft.
 */
export function RichTextEditor({
  initialHtml,
  signature,
  inlineImages,
  onChange,
  onPastePictures,
}: RichTextEditorProps): React.JSX.Element {
  const styles = useStyles()
  const ref = useRef<HTMLDivElement>(null)
  const initial = useRef(initialHtml)
  const initialImages = useRef(inlineImages)
  const shownSignature = useRef(signature)
  /** Every blob: URL this editor made, released when it closes. */
  const blobUrls = useRef<string[]>([])
  const blobUrlOf = (a: DraftAttachment): string => {
    const url = URL.createObjectURL(new Blob([a.content], { type: a.contentType }))
    blobUrls.current.push(url)
    return url
  }

  useEffect(() => {
    const urls = new Map<string, string>()
    for (const a of initialImages.current) if (a.contentId !== undefined) urls.set(a.contentId, blobUrlOf(a))
    if (ref.current) {
      ref.current.innerHTML = sanitizeComposeHtml(initial.current)
      showPictures(ref.current, urls)
    }
    const made = blobUrls.current
    return () => {
      for (const url of made.splice(0)) URL.revokeObjectURL(url)
    }
  }, [])

  useEffect(() => {
    // The initial HTML already holds the first identity's signature; only a change of From swaps it.
    if (!ref.current || shownSignature.current === signature) return
    shownSignature.current = signature
    applySignature(ref.current, signature)
    onChange(draftHtml(ref.current))
  }, [signature, onChange])

  const report = (): void => onChange(ref.current ? draftHtml(ref.current) : '')
  const run = (command: string, value?: string): void => {
    ref.current?.focus()
    // execCommand is deprecated but remains the only cross-browser editing API that keeps undo working.
    document.execCommand(command, false, value)
    report()
  }
  const addLink = (): void => {
    const url = window.prompt('Link address (https:// or mailto:)')
    if (url && /^(https?:|mailto:)/i.test(url.trim())) run('createLink', url.trim())
  }
  const pastePictures = async (files: File[]): Promise<void> => {
    const pictures = (await filesToAttachments(files)).map((a) => ({
      ...a,
      contentId: `${a.id}@harbor-mail.invalid`,
    }))
    onPastePictures(pictures)
    ref.current?.focus()
    const tags = pictures.map(
      (p) => `<img src="${blobUrlOf(p)}" data-cid="${p.contentId}" alt="${escapeAttribute(p.filename)}">`,
    )
    document.execCommand('insertHTML', false, tags.join(''))
    report()
  }
  const onPaste = (event: ClipboardEvent<HTMLDivElement>): void => {
    const html = event.clipboardData.getData('text/html')
    const pictures = Array.from(event.clipboardData.files).filter((f) => PASTABLE.test(f.type))
    if (!html && pictures.length > 0) {
      // A screenshot or a copied picture: into the text, sent inline with the message.
      event.preventDefault()
      void pastePictures(pictures)
      return
    }
    if (!html) return
    event.preventDefault()
    document.execCommand('insertHTML', false, sanitizeComposeHtml(html))
    report()
  }

  return (
    <>
      <Toolbar size="small" aria-label="Formatting">
        <FormatButton label="Bold (Ctrl+B)" icon={<TextBoldRegular />} onClick={() => run('bold')} />
        <FormatButton label="Italic (Ctrl+I)" icon={<TextItalicRegular />} onClick={() => run('italic')} />
        <FormatButton
          label="Underline (Ctrl+U)"
          icon={<TextUnderlineRegular />}
          onClick={() => run('underline')}
        />
        <ToolbarDivider />
        <FormatButton
          label="Bulleted list"
          icon={<TextBulletListLtrRegular />}
          onClick={() => run('insertUnorderedList')}
        />
        <FormatButton
          label="Numbered list"
          icon={<TextNumberListLtrRegular />}
          onClick={() => run('insertOrderedList')}
        />
        <FormatButton label="Insert link" icon={<LinkRegular />} onClick={addLink} />
        <ToolbarDivider />
        <FormatButton
          label="Clear formatting"
          icon={<TextClearFormattingRegular />}
          onClick={() => run('removeFormat')}
        />
      </Toolbar>
      <div
        ref={ref}
        className={styles.editor}
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-label="Message body"
        data-testid="compose-body"
        onInput={report}
        onPaste={onPaste}
        suppressContentEditableWarning
      />
    </>
  )
}
