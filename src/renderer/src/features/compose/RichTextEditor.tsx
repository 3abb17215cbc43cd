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
import type { DraftAttachment } from '../../store/compose-rows'
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
}

/** Shows each `cid:` picture from a blob: URL of its bytes; `data-cid` remembers which part it is. */
function showPictures(root: HTMLElement, urls: ReadonlyMap<string, string>): void {
  for (const img of root.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? ''
    if (!/^cid:/i.test(src)) continue
    let cid = src.slice(4)
    try {
      cid = decodeURIComponent(cid)
    } catch {
      // Not percent-encoded after all: the raw text is the Content-ID.
    }
    const url = urls.get(cid)
    if (!url) continue
    img.setAttribute('data-cid', cid)
    img.setAttribute('src', url)
  }
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
}: RichTextEditorProps): React.JSX.Element {
  const styles = useStyles()
  const ref = useRef<HTMLDivElement>(null)
  const initial = useRef(initialHtml)
  const initialImages = useRef(inlineImages)
  const shownSignature = useRef(signature)

  useEffect(() => {
    const urls = new Map<string, string>()
    for (const a of initialImages.current) {
      if (a.contentId === undefined) continue
      urls.set(a.contentId, URL.createObjectURL(new Blob([a.content], { type: a.contentType })))
    }
    if (ref.current) {
      ref.current.innerHTML = sanitizeComposeHtml(initial.current)
      showPictures(ref.current, urls)
    }
    return () => {
      for (const url of urls.values()) URL.revokeObjectURL(url)
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
  const onPaste = (event: ClipboardEvent<HTMLDivElement>): void => {
    const html = event.clipboardData.getData('text/html')
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
