import { useEffect, useMemo, useState } from 'react'
import { makeStyles, tokens } from '@fluentui/react-components'
import { linkIndexFromBlockedUri, sanitizeMessageHtml } from './sanitize-html'

const useStyles = makeStyles({
  frame: {
    flex: '1 0 320px',
    width: '100%',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: '#fff',
  },
})

interface Props {
  html: string
  /** Remote pictures core fetched on the user's consent, as data: URLs by their original address. */
  remoteImages: ReadonlyMap<string, string>
  cidUrls: Map<string, string>
  title: string
  onRemote(remote: { count: number; imageUrls: string[] }): void
  onLink(href: string): void
}

/**
 * The message's HTML in `<iframe sandbox="">`: no scripts, an opaque origin, no popups, no forms, no top
 * navigation, plus the frame's own CSP. Clicks on links arrive as CSP reports (see sanitize-html.ts); the
 * blocked navigation leaves an error page in the frame, so the frame is rebuilt after each click.
 */
export function MessageFrame({
  html,
  remoteImages,
  cidUrls,
  title,
  onRemote,
  onLink,
}: Props): React.JSX.Element {
  const styles = useStyles()
  const safe = useMemo(
    () => sanitizeMessageHtml(html, { remoteImages, cidUrls }),
    [html, remoteImages, cidUrls],
  )
  const [generation, setGeneration] = useState(0)

  const urlsKey = safe.remoteImageUrls.join('\n')
  useEffect(
    () => onRemote({ count: safe.remoteCount, imageUrls: urlsKey ? urlsKey.split('\n') : [] }),
    [safe.remoteCount, urlsKey, onRemote],
  )

  useEffect(() => {
    const onViolation = (e: SecurityPolicyViolationEvent): void => {
      if (!e.effectiveDirective.startsWith('frame-src') && !e.effectiveDirective.startsWith('child-src'))
        return
      const index = linkIndexFromBlockedUri(e.blockedURI, safe.nonce)
      if (index === null) return
      const href = safe.links[index]
      setGeneration((g) => g + 1)
      if (href !== undefined) onLink(href)
    }
    document.addEventListener('securitypolicyviolation', onViolation)
    return () => document.removeEventListener('securitypolicyviolation', onViolation)
  }, [safe, onLink])

  return (
    <iframe
      // A new frame when pictures arrive, rather than a new srcdoc for the same one: a srcdoc changed while
      // the first one is still loading can be lost, leaving the pictures blocked (seen in CI on reopening
      // a trusted sender's message, where the pictures come within milliseconds).
      key={`${generation}:${remoteImages.size}`}
      className={styles.frame}
      sandbox=""
      srcDoc={safe.document}
      title={title}
      referrerPolicy="no-referrer"
      data-testid="message-frame"
    />
  )
}
