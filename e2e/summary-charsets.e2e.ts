import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { generateCorpus } from '../src/lab/corpus/generate'
import { summarizeMessage, type MessageSummary } from '../src/renderer/src/sync/pop3/mime/message-summary'
import { launchChromium } from './support/browser'
import { bundleForPage } from './support/page-bundle'

/**
 * The summary of a downloaded or imported message (subject, snippet) is made in the sync worker, so with
 * Chromium's TextDecoder, which differs from Node's: reused for ISO-2022-JP it kept the escape state of
 * the previous call and put U+FFFD into Japanese subjects and snippets (Node's decoder has no such state,
 * so a unit test in Node cannot see this). Here the summariser runs in a Chromium worker on the lab
 * corpus's Japanese mail, real ISO-2022-JP / Shift_JIS / UTF-8 bytes, one message after another as a
 * download does, and must give what the corpus wrote and what Node's decoder reads.
 */

const ENTRY = resolve(import.meta.dirname, '../src/renderer/src/sync/pop3/mime/message-summary.ts')

describe('message summaries of Japanese mail in a Chromium worker', () => {
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const code = await bundleForPage(ENTRY, 'harborSummary')
    browser = await launchChromium()
    page = await browser.newPage()
    // A dedicated worker, like the sync worker: it answers base64 messages with their summaries.
    await page.evaluate(
      `window.summaries = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(code)} + \`
        onmessage = (e) => postMessage(e.data.map((b64) => {
          const bin = atob(b64)
          const raw = new Uint8Array(bin.length)
          for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i)
          return harborSummary.summarizeMessage(raw)
        }))\`])))`,
    )
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('subjects and snippets come out as written, for every charset of the ja corpus', async () => {
    const messages = [...generateCorpus({ count: 1500, seed: 7, size: 'small' })].filter(
      (m) => m.meta.locale === 'ja',
    )
    const charsets = new Set(messages.map((m) => m.meta.bodyCharset))
    expect([...charsets].sort()).toEqual(['iso-2022-jp', 'shift_jis', 'utf-8'])
    const inWorker = (await page.evaluate(
      `new Promise((ok) => {
        window.summaries.onmessage = (e) => ok(e.data)
        window.summaries.postMessage(${JSON.stringify(messages.map((m) => m.raw.toString('base64')))})
      })`,
    )) as MessageSummary[]
    const wrong: string[] = []
    messages.forEach((m, i) => {
      const got = inWorker[i]!
      // Node's decoder keeps no state between calls: its reading of the same bytes is the reference.
      const node = summarizeMessage(m.raw)
      const what = `#${m.meta.index} (${m.meta.headerCharset}/${m.meta.bodyCharset})`
      if (got.subject !== m.meta.subject) wrong.push(`${what} subject ${JSON.stringify(got.subject)}`)
      if (got.snippet !== node.snippet || got.snippet.includes('\uFFFD')) {
        wrong.push(`${what} snippet ${JSON.stringify(got.snippet.slice(0, 40))}`)
      }
    })
    expect(wrong).toEqual([])
    expect(messages.filter((m) => m.meta.headerCharset === 'iso-2022-jp').length).toBeGreaterThan(40)
  })
})
