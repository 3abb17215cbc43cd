/**
 * Test entry, never imported by the app: e2e/sanitize-corpus.e2e.ts bundles it and runs the reading pane's
 * exact path (parse with limits → inline images → sanitize → srcdoc) in Chromium, where DOMPurify and the
 * frame really run.
 */
import { inlineImageUrls } from '../inline-images'
import { sanitizeMessageHtml } from '../sanitize-html'
import { parseWithLimits } from './parse-with-limits'
import { auditSrcdoc } from './srcdoc-audit'

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
  const started = performance.now()
  const safe = sanitizeMessageHtml(message.html, { allowRemote, cidUrls: inlineImageUrls(message) })
  const sanitizeMs = performance.now() - started
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
  const safe = sanitizeMessageHtml(html, { allowRemote: false, cidUrls: new Map() })
  const ms = performance.now() - started
  return { ms, findings: auditSrcdoc(safe.document, { allowRemote: false }) }
}

Object.assign(globalThis, { harborProbe: { probe, sanitizeOnly, audit: auditSrcdoc } })
