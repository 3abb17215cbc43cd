import { useMemo } from 'react'
import { Link, makeStyles, tokens } from '@fluentui/react-components'
import { linkify } from './linkify'

const useStyles = makeStyles({
  text: {
    flex: '1 0 auto',
    margin: 0,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
  },
})

/** Plain-text mail as React text nodes (nothing is parsed as HTML); URLs become links that ask first. */
export function PlainTextBody({
  text,
  onLink,
}: {
  text: string
  onLink(href: string): void
}): React.JSX.Element {
  const styles = useStyles()
  const parts = useMemo(() => linkify(text), [text])
  return (
    <pre className={styles.text} data-testid="message-text">
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          p.text
        ) : (
          <Link
            key={i}
            href={p.href}
            title={p.href}
            onClick={(e) => {
              e.preventDefault()
              onLink(p.href)
            }}
          >
            {p.text}
          </Link>
        ),
      )}
    </pre>
  )
}
