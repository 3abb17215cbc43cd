import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, Request } from 'playwright-core'
import {
  EXECUTED_PREFIX,
  EXECUTED_STORAGE_KEY,
  HUGE_RECIPIENTS,
  hostileCorpus,
  type HostileCase,
} from '../src/lab/hostile'
import { addLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { shot } from './support/ui'

/**
 * The hostile corpus (src/lab/hostile) in a private lab user, synced through the web host and opened one
 * message at a time in Chromium. Nothing may run (no execution marker anywhere), nothing may leave (no
 * request to any origin but the web host's, counted for every frame at the browser, and no connection to
 * the canary the corpus points at), every message must show its marker or the "too large or malformed"
 * notice, and the app must keep answering.
 */

const USER = 'mallory'
/** Screenshot these (light), and a few of them again in dark. */
const SHOTS = new Set([
  'script-tags',
  'display-name-address',
  'encoded-words-controls',
  'homoglyph-domain',
  'attachment-rtl',
  'deep-nesting',
  'very-large',
  'huge-header-values',
])
const DARK_SHOTS = ['script-tags', 'attachment-rtl', 'deep-nesting', 'homoglyph-domain']

interface Shown {
  id: number
  kind: 'body' | 'limited'
  text: string
}

/** Which case the reading pane shows now, by its marker (or the subject, for a notice); null while loading. */
async function shownCase(page: Page): Promise<Shown | null> {
  const pane = page.getByTestId('reading-pane')
  let text = await pane.innerText().catch(() => '')
  if ((await pane.getByTestId('message-frame').count()) > 0) {
    const frameText = await page
      .frameLocator('[data-testid=message-frame]')
      .locator('body')
      .innerText({ timeout: 2000 })
      .catch(() => '')
    text += `\n${frameText}`
  }
  const marker = /HOSTILE-CASE-(\d\d) visible/.exec(text)
  if (marker) return { id: Number(marker[1]), kind: 'body', text }
  // The notice and the subject are read apart: the same subject before and after proves they belong together.
  const subjectBefore = await pane
    .getByTestId('message-subject')
    .innerText()
    .catch(() => '')
  if ((await pane.getByTestId('limited-notice').count()) > 0) {
    const reason = await pane.getByTestId('limited-notice').getAttribute('data-reason')
    const subjectAfter = await pane
      .getByTestId('message-subject')
      .innerText()
      .catch(() => '')
    const subject = /HOSTILE-CASE-(\d\d)/.exec(subjectBefore)
    if (subject && subjectAfter === subjectBefore) {
      return { id: Number(subject[1]), kind: 'limited', text: `${reason}: ${text}` }
    }
  }
  return null
}

/** Waits until the pane shows a case other than `previous`; returns it and how long it took. */
async function nextShown(
  page: Page,
  previous: number | null,
  timeoutMs: number,
): Promise<Shown & { ms: number }> {
  const started = Date.now()
  for (;;) {
    const shown = await shownCase(page)
    if (shown && shown.id !== previous) return { ...shown, ms: Date.now() - started }
    if (Date.now() - started > timeoutMs) {
      await shot(page, 'hostile-stuck')
      const text = await page.getByTestId('reading-pane').innerText()
      throw new Error(
        `no new case shown within ${timeoutMs} ms (after ${previous}); the pane shows:\n${text}`,
      )
    }
    await page.waitForTimeout(50)
  }
}

/** Messages in the store, read with the plain IndexedDB API (never creating the database). */
async function storedCount(page: Page): Promise<number> {
  const script = `(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'harbor-mail')) return 0
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const chunks = await new Promise((ok) => { const r = db.transaction('messageChunks').objectStore('messageChunks').getAll(); r.onsuccess = () => ok(r.result) })
    const n = chunks.reduce((sum, c) => sum + c.rows.length, 0)
    db.close()
    return n
  })()`
  return (await page.evaluate(script)) as number
}

describe('hostile mail', () => {
  let canary: Server
  let canaryHits = 0
  let corpus: HostileCase[]

  const env = useLabApp({ users: [{ name: USER }] })

  beforeAll(async () => {
    const { lab } = env
    canary = createServer((socket) => {
      canaryHits++
      socket.destroy()
    })
    await new Promise<void>((ok) => canary.listen(0, '127.0.0.1', ok))
    const port = (canary.address() as { port: number }).port
    corpus = hostileCorpus({
      to: lab.user(USER).address,
      canary: `http://127.0.0.1:${port}`,
      now: new Date(),
    })
    // Straight into the Maildir: LMTP would repair bare LFs and refuse some bytes; a hostile server does not.
    await lab.loadMaildir(
      USER,
      'INBOX',
      corpus.map((c) => c.raw),
    )
  })
  afterAll(async () => {
    await new Promise((ok) => canary?.close(ok))
  })

  it('opens every hostile message: nothing runs, nothing leaks, every one is shown, the app keeps answering', async () => {
    const { lab, host } = env
    const app = await env.openApp('light')
    const { page, context } = app
    const hostOrigin = new URL(host.origin)
    const outbound: string[] = []
    let frameRequests = 0
    const onRequest = (r: Request): void => {
      const url = new URL(r.url())
      if (r.frame() !== page.mainFrame()) frameRequests++
      if (url.protocol === 'data:' || url.protocol === 'blob:') return
      if (url.host !== hostOrigin.host) outbound.push(`${r.resourceType()} ${r.url()}`)
    }
    context.on('request', onRequest)
    // Long tasks on the UI thread while the corpus is shown, observed in the main frame only (evaluated
    // through CDP, so the page CSP does not apply). Not with context.addInitScript: an init script is meant
    // for every new document, the sandboxed message frames included, where Chromium blocks it and logs
    // "Blocked script execution in 'about:srcdoc'". That was the test's own script, not mail: with it, 8 such
    // messages in 6 runs; without it, none in 6 runs and ~700 message switches (issue 9 notes).
    await page.evaluate(
      `window.__longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration) }).observe({ type: 'longtask', buffered: true })`,
    )
    const title = await page.title()

    await addLabAccount(page, lab, USER)
    await expect.poll(() => storedCount(page), { timeout: 120_000, interval: 500 }).toBe(corpus.length)
    await page.getByTestId('message-row').first().click()

    const byId = new Map(corpus.map((c) => [c.id, c]))
    const seen = new Map<number, Shown & { ms: number; index: number }>()
    let previous: number | null = null
    for (let index = 0; index < corpus.length; index++) {
      if (index > 0) {
        await page.getByTestId('message-list').focus()
        await page.keyboard.press('ArrowDown')
      }
      const shown = await nextShown(page, previous, 20_000)
      previous = shown.id
      const c = byId.get(shown.id)!
      seen.set(shown.id, { ...shown, index })
      // The 21 MiB message may run past the parse time limit when CI's two cores are saturated: then the
      // product shows what it promises for that (the timeout notice and the source), which is also safe.
      const timedOut = c.key === 'very-large' && shown.kind === 'limited' && shown.text.startsWith('timeout:')
      if (timedOut)
        console.warn(`hostile corpus: case ${c.id} ${c.key} hit the parse time limit (machine load)`)
      else expect(shown.kind, `case ${c.id} ${c.key}: ${shown.text.slice(0, 300)}`).toBe(c.expect)
      expect(shown.text, `case ${c.id} ${c.key}`).not.toContain(EXECUTED_PREFIX)
      const pane = page.getByTestId('reading-pane')
      if (c.flags.includes('sender-warning')) {
        expect(await pane.getByTestId('sender-warning').count(), `case ${c.id} ${c.key}`).toBeGreaterThan(0)
      }
      if (c.flags.includes('risky-attachment')) {
        // The shown name is the one saved: the Save buttons are labelled with it.
        const saves = pane.getByRole('button', { name: /^Save / })
        const names = await Promise.all((await saves.all()).map((b) => b.getAttribute('aria-label')))
        expect(names.length, `case ${c.id}`).toBeGreaterThan(0)
        expect(await pane.getByTestId('attachment-warning').count()).toBe(names.length)
        for (const n of names) expect(n, `case ${c.id}`).not.toMatch(/[\u202a-\u202e\u2066-\u2069/\\]|\.\./)
      }
      if (c.key === 'attachment-rtl') {
        // An executable needs an extra confirmation: the dialog comes first, Cancel saves nothing.
        await pane
          .getByRole('button', { name: /^Save / })
          .first()
          .click()
        const dialog = page.getByTestId('risky-attachment-dialog')
        await dialog.waitFor()
        if (SHOTS.has(c.key)) await shot(page, `hostile-${c.key}-confirm-light`)
        await dialog.getByRole('button', { name: 'Cancel' }).click()
        await dialog.waitFor({ state: 'detached' })
      }
      if (c.key === 'huge-header-values') {
        // A megabyte Subject and 10,000 recipients: the header shows a bounded part and says how many more.
        const subject = await pane.getByTestId('message-subject').innerText()
        expect(subject.length, c.key).toBeLessThanOrEqual(300)
        expect(subject, c.key).toMatch(/^HOSTILE-CASE-\d\d a 1 MiB Subject/)
        expect(await pane.innerText(), c.key).toContain(
          `and ${(HUGE_RECIPIENTS - 20).toLocaleString('en-US')} more`,
        )
      }
      if (c.expect === 'limited') {
        await pane.getByRole('button', { name: 'View raw source' }).click()
        expect(await pane.getByTestId('raw-source').innerText()).toContain('Content-Type: multipart/mixed')
      }
      if (SHOTS.has(c.key)) await shot(page, `hostile-${c.key}-light`)
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(corpus.map((c) => c.id))

    // Fast switching: frames replaced before or just after they finished loading, three times over the first
    // twenty messages of the list; the checks at the end (errors, requests, canary) cover these frames too.
    for (let round = 0; round < 3; round++) {
      await page.getByTestId('message-list').focus()
      await page.keyboard.press('Home')
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('ArrowDown')
        await page.waitForTimeout(round === 1 ? 150 : 40)
      }
    }

    // Still responsive after the worst of it: with the ~20 MiB message open, a move to its neighbour is
    // answered quickly.
    const large = seen.get(corpus.find((c) => c.key === 'very-large')!.id)!
    await page.getByTestId('message-list').focus()
    await page.keyboard.press('Home')
    for (let i = 0; i < large.index; i++) await page.keyboard.press('ArrowDown')
    await expect
      .poll(async () => (await shownCase(page))?.id, { timeout: 30_000, interval: 50 })
      .toBe(large.id)
    const neighbour = [...seen.values()].find((x) => x.index === (large.index > 0 ? large.index - 1 : 1))!
    const clickStarted = Date.now()
    await page.keyboard.press(large.index > 0 ? 'ArrowUp' : 'ArrowDown')
    await expect
      .poll(async () => (await shownCase(page))?.id, { timeout: 30_000, interval: 20 })
      .toBe(neighbour.id)
    const responseMs = Date.now() - clickStarted

    // Replying goes through the same limited parse: beyond the limits (60 levels) the reply is built from
    // the list row without a quote; 20,000 References do not come along whole.
    for (const key of ['deep-nesting', 'references-absurd']) {
      const target = seen.get(corpus.find((c) => c.key === key)!.id)!
      await page.getByTestId('message-list').focus()
      await page.keyboard.press('Home')
      for (let i = 0; i < target.index; i++) await page.keyboard.press('ArrowDown')
      await expect.poll(async () => (await shownCase(page))?.id, { timeout: 30_000 }).toBe(target.id)
      await page
        .getByRole('button', { name: /^Reply(?! all)/ })
        .first()
        .click()
      const composer = page.getByTestId('composer')
      await composer.waitFor()
      expect(await composer.getByLabel('Subject').inputValue(), key).toMatch(
        new RegExp(`^Re: HOSTILE-CASE-${String(target.id).padStart(2, '0')}`),
      )
      await composer.getByRole('button', { name: 'Discard' }).click()
      await composer.waitFor({ state: 'detached' })
    }

    // Dark mode: a few representative cases again.
    await page.emulateMedia({ colorScheme: 'dark' })
    for (const key of DARK_SHOTS) {
      const target = seen.get(corpus.find((c) => c.key === key)!.id)!
      await page.getByTestId('message-list').focus()
      await page.keyboard.press('Home')
      for (let i = 0; i < target.index; i++) await page.keyboard.press('ArrowDown')
      await expect.poll(async () => (await shownCase(page))?.id, { timeout: 30_000 }).toBe(target.id)
      if (key === 'deep-nesting') await page.getByRole('button', { name: 'View raw source' }).click()
      await shot(page, `hostile-${key}-dark`)
    }

    // Nothing ran: no marker in the page's title, window.name or the app origin's storage.
    expect(await page.title()).toBe(title)
    const marks = (await page.evaluate(
      `({ name: window.name, stored: localStorage.getItem(${JSON.stringify(EXECUTED_STORAGE_KEY)}), longTasks: window.__longTasks })`,
    )) as { name: string; stored: string | null; longTasks: number[] }
    expect(marks.name).toBe('')
    expect(marks.stored).toBeNull()
    const slowest = Math.max(0, ...marks.longTasks)
    const openMs = [...seen.values()].map((s) => s.ms)
    console.info(
      `hostile corpus: ${seen.size} messages opened (${corpus.filter((c) => c.expect === 'limited').length} as notices), ` +
        `${outbound.length} outbound requests, ${frameRequests} requests from frames, ${canaryHits} canary connections; ` +
        `open times median ${openMs.sort((a, b) => a - b)[Math.floor(openMs.length / 2)]} ms, max ${Math.max(...openMs)} ms; ` +
        `from the large message to its neighbour in ${responseMs} ms; ${marks.longTasks.length} long tasks, slowest ${Math.round(slowest)} ms`,
    )
    // Nothing left: not one request to any other origin, from any frame; the canary never saw a connection.
    expect(outbound).toEqual([])
    expect(canaryHits).toBe(0)
    expect(responseMs).toBeLessThan(2_000)
    // Not one script element or handler may reach a message frame, even one the sandbox would block.
    expect(app.errors).toEqual([])
    await context.close()
  }, 420_000)
})
