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

export interface RichTextEditorProps {
  /** The HTML to start from; later changes come from the user and are reported through onChange. */
  initialHtml: string
  onChange(html: string): void
}

/**
 * Rich text the simple way: a contenteditable with a small toolbar (bold, italic, underline, lists, link,
 * clear). Browsers' editing commands are enough for mail; pasted HTML is sanitized to the composer's small
 * tag set, so nothing active or remote ever enters a draft.
 */
export function RichTextEditor({ initialHtml, onChange }: RichTextEditorProps): React.JSX.Element {
  const styles = useStyles()
  const ref = useRef<HTMLDivElement>(null)
  const initial = useRef(initialHtml)

  useEffect(() => {
    if (ref.current) ref.current.innerHTML = sanitizeComposeHtml(initial.current)
  }, [])

  const report = (): void => onChange(ref.current?.innerHTML ?? '')
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

  const button = (label: string, icon: React.JSX.Element, onClick: () => void): React.JSX.Element => (
    <Tooltip content={label} relationship="label">
      <ToolbarButton
        aria-label={label}
        icon={icon}
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
      />
    </Tooltip>
  )

  return (
    <>
      <Toolbar size="small" aria-label="Formatting">
        {button('Bold (Ctrl+B)', <TextBoldRegular />, () => run('bold'))}
        {button('Italic (Ctrl+I)', <TextItalicRegular />, () => run('italic'))}
        {button('Underline (Ctrl+U)', <TextUnderlineRegular />, () => run('underline'))}
        <ToolbarDivider />
        {button('Bulleted list', <TextBulletListLtrRegular />, () => run('insertUnorderedList'))}
        {button('Numbered list', <TextNumberListLtrRegular />, () => run('insertOrderedList'))}
        {button('Insert link', <LinkRegular />, addLink)}
        <ToolbarDivider />
        {button('Clear formatting', <TextClearFormattingRegular />, () => run('removeFormat'))}
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
