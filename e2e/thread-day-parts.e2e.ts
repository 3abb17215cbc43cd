/**
 * A day with hundreds of conversations, in Chromium's IndexedDB through the web host: POP3 mail without a Date
 * header is dated at its download, so a download of it puts every thread in one day, which the store splits
 * into parts of at most MAX_PART_THREADS (store/thread-days.ts, schema version 14). The conversation view
 * must list each thread once, with its size, however the day is cut.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { labPop3Account } from '../src/lab/lab-accounts'
import { MAX_PART_THREADS } from '../src/renderer/src/store/thread-days'
import { readStore } from './support/store-in-page'
import { useLabApp } from './support/lab-app'
import { shot } from './support/ui'

const USER = 'parts'
const THREADS = 420
/** Threads 0 to REPLIES - 1 get one reply each. */
const REPLIES = 40

function message(i: number): Buffer {
  const replyTo = i >= THREADS ? i - THREADS : null
  const subject = replyTo === null ? `Day part ${i}` : `Re: Day part ${replyTo}`
  return Buffer.from(
    `From: Sender ${i % 7} <s${i % 7}@lab.test>\r\nTo: ${USER}@lab.test\r\nSubject: ${subject}\r\n` +
      `Message-ID: <part-${i}@lab.test>\r\n` +
      (replyTo === null
        ? ''
        : `In-Reply-To: <part-${replyTo}@lab.test>\r\nReferences: <part-${replyTo}@lab.test>\r\n`) +
      `\r\nNo Date header: dated when downloaded (${i}).\r\n`,
  )
}

/** The thread records of the store, as the page reads them with plain IndexedDB. */
function threadRecords(page: Page): Promise<{ day: number; threads: number; parts: number }[]> {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('harbor-mail'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    const all = await new Promise((ok, fail) => { const r = db.transaction('threadDays').objectStore('threadDays').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
    db.close()
    return all.map((d) => ({ day: d.day, threads: d.threads.length, parts: (d.parts ?? []).length }))
  })()`) as Promise<{ day: number; threads: number; parts: number }[]>
}

/** The rows the list draws now: position and accessible label. */
function shownRows(page: Page): Promise<[number, string][]> {
  return page.evaluate(
    `[...document.querySelectorAll('[data-testid=message-row]')].map((e) => [Number(e.dataset.row), e.getAttribute('aria-label') ?? ''])`,
  ) as Promise<[number, string][]>
}

describe('conversations of one crowded day (Chromium, web host, real Dovecot POP3)', () => {
  const env = useLabApp({ users: [{ name: USER }] })

  it('lists every thread once with its size after the day was split into parts', async () => {
    const { lab } = env
    await lab.loadMaildir(
      USER,
      'INBOX',
      Array.from({ length: THREADS + REPLIES }, (_, i) => message(i)),
    )
    const { page, errors, context } = await env.openApp('light')
    const { account } = await env.addAccount(
      labPop3Account(lab, USER, {
        account: { name: 'Crowded day', smtp: null, retention: { kind: 'leave' } },
      }),
    )
    await expect
      .poll(async () => (await readStore(page, [account.id]))[account.id]?.rows.length, { timeout: 60_000 })
      .toBe(THREADS + REPLIES)

    // Stored: the Inbox's threads in one day, cut into parts no bigger than the limit.
    const records = await threadRecords(page)
    const days = new Set(records.map((r) => Math.floor(r.day)))
    expect(records.reduce((n, r) => n + r.threads, 0)).toBe(THREADS)
    expect(records.length).toBeGreaterThan(THREADS / MAX_PART_THREADS)
    expect(Math.max(...records.map((r) => r.threads))).toBeLessThanOrEqual(MAX_PART_THREADS)
    expect(records.some((r) => r.parts > 0)).toBe(true)
    expect(days.size).toBeLessThanOrEqual(2) // a download that ran across midnight UTC

    // Shown: one row per thread; a thread with a reply says so.
    await page.getByRole('button', { name: 'View' }).click()
    await page.getByRole('menuitemcheckbox', { name: 'Group by conversation' }).click()
    await page.keyboard.press('Escape')
    const list = page.getByTestId('message-list')
    await expect.poll(() => list.getAttribute('data-row-count')).toBe(String(THREADS))
    await shot(page, 'thread-day-parts-light')
    // Page through the whole list: every row once, in its place, each with its data (no row left loading).
    const seen = new Map<number, string>()
    await list.click()
    await page.keyboard.press('Home')
    for (let step = 0; step < 200 && seen.size < THREADS; step++) {
      await expect
        .poll(() => shownRows(page).then((rows) => rows.every(([, label]) => label !== 'Loading')))
        .toBe(true)
      for (const [i, label] of await shownRows(page)) seen.set(i, label)
      await page.keyboard.press('PageDown')
    }
    expect([...seen.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: THREADS }, (_, i) => i))
    const labels = [...seen.values()]
    expect(new Set(labels.map((l) => /Day part (\d+)/.exec(l)?.[1])).size).toBe(THREADS)
    expect(labels.filter((l) => l.endsWith('2 messages'))).toHaveLength(REPLIES)
    expect(errors).toEqual([])
    await context.close()
  })
})
