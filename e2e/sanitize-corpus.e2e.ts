import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hostileCorpus, type HostileCase } from '../src/lab/hostile'
import { launchChromium } from './support/browser'
import { bundleForPage } from './support/page-bundle'

/**
 * The reading pane's path from raw bytes to the frame document (parse with limits → sanitize → srcdoc),
 * run in Chromium for every hostile case, without the rest of the app: the finished srcdoc is parsed again
 * and must hold nothing that runs or loads (safety/srcdoc-audit.ts), and shown in a frame sandboxed like the
 * app's, Chromium must not report a single blocked script. The app e2e (hostile-mail.e2e.ts) proves the same
 * end to end; this one names the case and the element when it fails.
 */

interface ProbeResult {
  kind: 'html' | 'text' | 'limited'
  srcdoc: string
  findings: string[]
  sanitizeMs: number
  htmlChars: number
}

const ENTRY = resolve(
  import.meta.dirname,
  '../src/renderer/src/features/reading-pane/safety/pipeline-probe.ts',
)

async function probe(page: Page, c: HostileCase, allowRemote: boolean): Promise<ProbeResult> {
  return (await page.evaluate(
    `(async () => {
      const bin = atob(${JSON.stringify(c.raw.toString('base64'))})
      const raw = new Uint8Array(bin.length)
      for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i)
      return harborProbe.probe(raw, ${allowRemote})
    })()`,
  )) as ProbeResult
}

/** Shows `srcdoc` in a frame sandboxed as the app's and resolves when it has loaded. */
async function show(page: Page, srcdoc: string): Promise<void> {
  await page.evaluate(
    `new Promise((ok) => {
      const f = document.getElementById('frame')
      f.onload = () => ok()
      f.srcdoc = ${JSON.stringify(srcdoc)}
    })`,
  )
}

describe('sanitizer on the hostile corpus, in Chromium', () => {
  let browser: Browser
  let page: Page
  let corpus: HostileCase[]
  const blocked: string[] = []
  let current = ''

  beforeAll(async () => {
    const code = await bundleForPage(ENTRY, 'harborProbeBundle')
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('console', (m) => {
      if (/Blocked script execution/.test(m.text())) blocked.push(`${current}: ${m.text()}`)
    })
    await page.setContent('<iframe id="frame" sandbox="" referrerpolicy="no-referrer"></iframe>')
    await page.addScriptTag({ content: code })
    corpus = hostileCorpus({ to: 'mallory@lab.test', canary: 'http://127.0.0.1:9', now: new Date(0) })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('every case: the frame document re-parses without anything that runs or loads, and no script is blocked in the frame', async () => {
    const problems: string[] = []
    let htmlCases = 0
    for (const c of corpus.filter((x) => x.key !== 'very-large')) {
      for (const allowRemote of [false, true]) {
        current = `case ${c.id} ${c.key}${allowRemote ? ' (remote allowed)' : ''}`
        const result = await probe(page, c, allowRemote)
        if (result.kind !== 'html') continue
        htmlCases++
        for (const f of result.findings) problems.push(`${current}: ${f}`)
        await show(page, result.srcdoc)
      }
    }
    // Fast switching: each document replaced before it finished loading.
    const docs: string[] = []
    for (const c of corpus.filter((x) => x.key !== 'very-large')) {
      const r = await probe(page, c, false)
      if (r.kind === 'html') docs.push(r.srcdoc)
    }
    current = 'fast switching'
    for (let round = 0; round < 3; round++) {
      for (const d of docs) {
        await page.evaluate(`document.getElementById('frame').srcdoc = ${JSON.stringify(d)}`)
      }
    }
    await show(page, '<p>end</p>')
    await page.waitForTimeout(500)
    expect(htmlCases).toBeGreaterThan(20)
    expect(problems).toEqual([])
    expect(blocked).toEqual([])
  }, 180_000)

  it('the sanitizer at the display limit (2 M characters of newsletter HTML): time on the UI thread', async () => {
    const row = (i: number): string =>
      `<tr><td style="padding:8px;border-bottom:1px solid #eee"><a href="https://shop.example/item/${i}?utm_source=news">` +
      `<img src="https://cdn.example/img/${i}.jpg" width="120" height="80" alt="item ${i}"></a></td>` +
      `<td style="font:14px Arial;color:#333"><b>Item ${i}</b><br>Only today: <i>${i % 90}% off</i> ` +
      `<span style="background:url(https://t.example/p/${i}.gif)">&nbsp;</span></td></tr>\n`
    let html = '<html><head><style>td{vertical-align:top}</style></head><body><table>'
    for (let i = 0; html.length < 1_990_000; i++) html += row(i)
    html += '</table></body></html>'
    const runs: number[] = []
    let findings: string[] = []
    for (let i = 0; i < 2; i++) {
      const r = (await page.evaluate(`harborProbe.sanitizeOnly(${JSON.stringify(html)})`)) as {
        ms: number
        findings: string[]
      }
      runs.push(Math.round(r.ms))
      findings = r.findings
    }
    console.info(
      `sanitizer: ${(html.length / 1e6).toFixed(2)} M characters of HTML in ${runs.join(' / ')} ms (2 runs, UI thread)`,
    )
    expect(findings).toEqual([])
  }, 120_000)

  it('the audit itself finds what it must, and the CSS rewrite cannot close the style element', async () => {
    const audit = async (html: string): Promise<string[]> =>
      (await page.evaluate(
        `harborProbe.audit(${JSON.stringify(`<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body>${html}</body></html>`)}, { allowRemote: false })`,
      )) as string[]
    for (const bad of [
      '<style>p{}</style><script>x()</script>',
      '<img src=x onerror=x()>',
      '<a href=" java\tscript:x()">a</a>',
      '<svg><a xlink:href="javascript:x()">a</a></svg>',
      '<iframe srcdoc="x"></iframe>',
      '<img src="https://t.example/p.gif">',
      '<div style="background:url(//t.example/p.gif)">d</div>',
      '<template><img src=x onerror=x()></template>',
      '<noscript><p>n</p></noscript>',
    ]) {
      expect((await audit(bad)).length, bad).toBeGreaterThan(0)
    }
    expect(await audit('<p>plain <a href="https://l0-abc.link.harbor.invalid/">link</a></p>')).toEqual([])

    // The style hook rewrites CSS text after DOMPurify read it: escapes decoded by that rewrite must not
    // turn into markup that ends the style element when the document is serialized and parsed again.
    const css =
      '<style>.a{background:url(http://t.example/y.gif)} .b::after{content:"\\3c /style\\3e \\3c script\\3e x()\\3c /script\\3e"}</style><p class="b">p</p>'
    const r = (await page.evaluate(`harborProbe.sanitizeOnly(${JSON.stringify(css)})`)) as {
      findings: string[]
    }
    expect(r.findings).toEqual([])
  })
})
