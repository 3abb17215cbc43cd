/**
 * Test entry, never imported by the app: e2e/sanitize-corpus.e2e.ts bundles it and runs the reading pane's
 * exact path (parse with limits → inline images → sanitize → srcdoc) in Chromium, where DOMPurify and the
 * frame really run.
 */
import { inlineImageUrls } from '../inline-images'
import { sanitizeMessageHtml } from '../sanitize-html'
import { parseWithLimits } from './parse-with-limits'
import { auditSrcdoc } from './srcdoc-audit'

const PIXEL =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

export interface ProbeResult {
  kind: 'html' | 'text' | 'limited'
  /** The frame document (html only). */
  srcdoc: string
  findings: string[]
  sanitizeMs: number
  htmlChars: number
}

async function probe(raw: Uint8Array, allowRemote: boolean): Promise<ProbeResult> {
  const outcome = await parseWithLimits(raw)
  if (outcome.kind === 'limited')
    return { kind: 'limited', srcdoc: '', findings: [], sanitizeMs: 0, htmlChars: 0 }
  const { message } = outcome
  if (!message.html) return { kind: 'text', srcdoc: '', findings: [], sanitizeMs: 0, htmlChars: 0 }
  const cidUrls = inlineImageUrls(message)
  const started = performance.now()
  let safe = sanitizeMessageHtml(message.html, { remoteImages: new Map(), cidUrls })
  const sanitizeMs = performance.now() - started
  if (allowRemote) {
    // As the reading pane does after consent: core's downloads come back as data: URLs (a stand-in here).
    const fetched = new Map(safe.remoteImageUrls.map((url) => [url, `data:image/png;base64,${PIXEL}`]))
    safe = sanitizeMessageHtml(message.html, { remoteImages: fetched, cidUrls })
  }
  return {
    kind: 'html',
    srcdoc: safe.document,
    findings: auditSrcdoc(safe.document, { allowRemote }),
    sanitizeMs,
    htmlChars: message.html.length,
  }
}

/** Sanitizes HTML alone (no MIME), for timing the sanitizer at the size limit. */
function sanitizeOnly(html: string): { ms: number; findings: string[] } {
  const started = performance.now()
  const safe = sanitizeMessageHtml(html, { remoteImages: new Map(), cidUrls: new Map() })
  const ms = performance.now() - started
  return { ms, findings: auditSrcdoc(safe.document, { allowRemote: false }) }
}

Object.assign(globalThis, { harborProbe: { probe, sanitizeOnly, audit: auditSrcdoc } })
