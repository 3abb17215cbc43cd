import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { shot, shotLightAndDark, type ColorScheme } from './support/ui'
import { lanAddress, TINY_PNG } from '../src/lab/testing/remote-picture'

const CRLF = '\r\n'
function simpleMessage(to: string, subject: string, minutesAgo: number): string {
  const date = new Date(Date.now() - minutesAgo * 60_000).toUTCString().replace('GMT', '+0000')
  return [
    'From: Carol Organizer <carol@lab.test>',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${subject.replace(/\W/g, '')}-${Date.now()}@lab.test>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of ${subject}.`,
    '',
  ].join(CRLF)
}

const SUBJECTS = {
  dragged: 'Drag me to the archive',
  draggedToo: 'Drag me along',
  keyboard: 'Move me with the keyboard',
  stays: 'I stay in the inbox',
}
const PICTURE_SUBJECT = 'Newsletter with a remote picture'
const THREAD_SUBJECT = 'Planning the offsite'
const PICTURE_SENDER = 'news@pictures.example'

function pictureMessage(to: string, pictureUrl: string): string {
  return [
    `From: Picture News <${PICTURE_SENDER}>`,
    `To: ${to}`,
    `Subject: ${PICTURE_SUBJECT}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <pictures-${Date.now()}@pictures.example>`,
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><p>This week's picture:</p><img alt="remote picture" src="${pictureUrl}" width="40" height="40"></body></html>`,
    '',
  ].join(CRLF)
}

function threadMessage(to: string, n: number): string {
  const root = '<offsite-root@lab.test>'
  return [
    `From: ${n === 1 ? 'Dana' : 'Eli'} <${n === 1 ? 'dana' : 'eli'}@lab.test>`,
    `To: ${to}`,
    `Subject: ${n === 1 ? '' : 'Re: '}${THREAD_SUBJECT}`,
    `Date: ${new Date(Date.now() - (3 - n) * 30_000).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${n === 1 ? root : `<offsite-${n}@lab.test>`}`,
    ...(n === 1 ? [] : [`In-Reply-To: ${root}`, `References: ${root}`]),
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Part ${n} of the offsite thread.`,
    '',
  ].join(CRLF)
}

/**
 * Organizing mail in the window: messages dragged onto a folder (or moved with Ctrl+Shift+V) go there in the
 * store at once and on the server after replay; folders pinned to Favorites stay pinned across a reload.
 */
describe('moving messages and favorite folders', () => {
  let pictures: Server
  let pictureUrl: string
  /** Every request the picture server answered (core's downloads; the renderer must never reach it). */
  const pictureRequests: string[] = []

  const env = useLabApp()

  beforeAll(async () => {
    const { lab } = env
    pictures = createServer((req, res) => {
      pictureRequests.push(req.url ?? '')
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG)
    })
    await new Promise<void>((r) => pictures.listen(0, '0.0.0.0', r))
    pictureUrl = `http://${lanAddress()}:${(pictures.address() as AddressInfo).port}/pixel.png?u=alice`
    const to = lab.user('alice').address
    let age = 0
    for (const subject of Object.values(SUBJECTS))
      await lab.deliver('alice', simpleMessage(to, subject, ++age))
    await lab.deliver('alice', pictureMessage(to, pictureUrl))
    for (const n of [1, 2, 3]) await lab.deliver('alice', threadMessage(to, n))
  })
  afterAll(async () => {
    await new Promise<void>((r) => (pictures ? pictures.close(() => r()) : r()))
  })

  const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ hasText: subject })
  const folder = (page: Page, path: string) =>
    page.locator(`[data-testid=folder-item][data-folder-path="${path}"] [data-testid=folder-layout]`).first()

  async function serverSubjects(mailbox: string): Promise<string[]> {
    const { lab } = env
    const client = await lab.otherDevice('alice')
    try {
      const lock = await client.getMailboxLock(mailbox)
      try {
        const out: string[] = []
        for await (const m of client.fetch('1:*', { envelope: true })) out.push(m.envelope?.subject ?? '')
        return out
      } catch {
        return [] // an empty mailbox has no 1:*
      } finally {
        lock.release()
      }
    } finally {
      await client.logout()
    }
  }

  async function open(
    scheme: ColorScheme,
  ): Promise<{ page: Page; close(): Promise<void>; errors: string[] }> {
    const app = await env.openApp(scheme)
    await ensureLabAccount(app.page, env.lab, 'alice')
    await folder(app.page, 'INBOX').click()
    await row(app.page, SUBJECTS.stays).waitFor({ timeout: 90_000 })
    return { page: app.page, errors: app.errors, close: () => app.context.close() }
  }

  it('drags a multi-selection onto Archive and moves one message with Ctrl+Shift+V (light)', async () => {
    const { page, close, errors } = await open('light')
    await row(page, SUBJECTS.dragged).click()
    await row(page, SUBJECTS.draggedToo).click({ modifiers: ['Control'] })
    expect(await row(page, SUBJECTS.dragged).getAttribute('aria-selected')).toBe('true')

    // Pressing on a selected row starts the drag of the whole selection (it is not collapsed to one row).
    await row(page, SUBJECTS.dragged).dragTo(folder(page, 'Archive'))
    await row(page, SUBJECTS.dragged).waitFor({ state: 'detached' })
    await row(page, SUBJECTS.draggedToo).waitFor({ state: 'detached' })
    expect(await row(page, SUBJECTS.stays).count()).toBe(1)
    await expect
      .poll(() => serverSubjects('Archive'), { timeout: 60_000 })
      .toEqual(expect.arrayContaining([SUBJECTS.dragged, SUBJECTS.draggedToo]))

    await row(page, SUBJECTS.keyboard).click()
    await page.keyboard.press('Control+Shift+V')
    const dialog = page.getByTestId('move-dialog')
    await dialog.waitFor()
    await shot(page, 'move-dialog-light')
    await dialog.getByRole('option', { name: 'Junk' }).click()
    await dialog.getByRole('button', { name: 'Move' }).click()
    await dialog.waitFor({ state: 'detached' })
    await row(page, SUBJECTS.keyboard).waitFor({ state: 'detached' })
    await expect.poll(() => serverSubjects('Junk'), { timeout: 60_000 }).toContain(SUBJECTS.keyboard)

    // Ctrl held while dropping copies: the message stays here and the server's Archive gets it too.
    await row(page, SUBJECTS.stays).click()
    await row(page, SUBJECTS.stays).hover()
    await page.mouse.down()
    await folder(page, 'Archive').hover()
    await page.keyboard.down('Control')
    await folder(page, 'Archive').hover({ position: { x: 20, y: 10 } })
    await page.mouse.up()
    await page.keyboard.up('Control')
    await page.getByText(`Copying 1 message to “Archive”: uploading to the server.`).first().waitFor()
    await shotLightAndDark(page, 'copied-by-ctrl-drop')
    await expect
      .poll(() => serverSubjects('Archive'), { timeout: 60_000 })
      .toEqual(expect.arrayContaining([SUBJECTS.stays]))
    expect(await row(page, SUBJECTS.stays).count()).toBe(1)

    await folder(page, 'Archive').click()
    await row(page, SUBJECTS.dragged).waitFor()
    await shot(page, 'archive-after-drop-light')
    expect(errors).toEqual([])
    await close()
  })

  it('pins a folder to Favorites from its context menu, keeps it after a reload, and unpins it (light + dark)', async () => {
    for (const scheme of ['light', 'dark'] as ColorScheme[]) {
      const { page, close, errors } = await open(scheme)
      await folder(page, 'Archive').click({ button: 'right' })
      await page.getByRole('menuitem', { name: 'Add to Favorites' }).click()
      const favorite = page.getByTestId('favorite-item').filter({ hasText: 'Archive' })
      await favorite.waitFor()
      await favorite.click()
      await row(page, SUBJECTS.dragged).waitFor()
      await shot(page, `favorites-${scheme}`)

      await page.reload()
      await favorite.waitFor()
      await favorite.getByTestId('favorite-layout').click({ button: 'right' })
      await page.getByRole('menuitem', { name: 'Remove from Favorites' }).click()
      await page.getByTestId('favorites').waitFor({ state: 'detached' })
      expect(errors).toEqual([])
      await close()
    }
  })

  it('reopens the folder that was open when the page was closed, its rows in the first frame (light + dark)', async () => {
    const { page, close, errors } = await open('light')
    // A script for every new document: what the first frame that has the message list pane shows.
    await page.context().addInitScript(`(() => {
      const look = () => {
        const pane = document.querySelector('[data-testid=message-list-pane]')
        if (!pane) return requestAnimationFrame(look)
        window.__firstFrame = {
          fromSnapshot: performance.getEntriesByName('harbor:first-render')[0]?.detail?.snapshot === true,
          title: pane.querySelector('h2')?.textContent ?? null,
          rows: [...pane.querySelectorAll('[data-testid=message-row][data-message-id]')].map((r) => r.dataset.messageId),
        }
      }
      requestAnimationFrame(look)
    })()`)
    // open() opened the account's INBOX; the default on a first start is "All inboxes".
    const inbox = page.locator('[data-testid=folder-item][data-folder-path="INBOX"]').first()
    expect(await inbox.getAttribute('aria-selected')).toBe('true')
    // The rows on screen, by message id (snippets may still be arriving: the text can change, not the rows).
    const shownIds = async (): Promise<(string | null)[]> =>
      Promise.all((await page.getByTestId('message-row').all()).map((r) => r.getAttribute('data-message-id')))
    const before = await shownIds()
    expect(before.length).toBeGreaterThan(3)
    expect(before).not.toContain(null)

    await page.reload()
    await page.waitForFunction(() => (globalThis as unknown as { __firstFrame?: unknown }).__firstFrame)
    const first = (await page.evaluate('window.__firstFrame')) as {
      fromSnapshot: boolean
      title: string
      rows: string[]
    }
    // Rendered with the startup snapshot (the store read within main.tsx's wait; a very busy machine may
    // miss it, then the list draws after its first query): the first frame already has the rows.
    if (first.fromSnapshot) {
      expect(first.title).toBe('Inbox')
      expect(first.rows.length).toBeGreaterThan(0)
      expect(before.slice(0, first.rows.length)).toEqual(first.rows)
    } else console.warn('reopened-folder: the first render came before the startup snapshot', first)
    await page.getByRole('heading', { name: 'Inbox' }).waitFor()
    await expect.poll(shownIds).toEqual(before)
    expect(await inbox.getAttribute('aria-selected')).toBe('true')
    expect(await page.getByTestId('unified-inbox').getAttribute('aria-selected')).toBe('false')
    await shotLightAndDark(page, 'reopened-folder')

    // Another folder, with the Unread filter: both come back after the next reload.
    await folder(page, 'Archive').click()
    await page.getByRole('heading', { name: 'Archive' }).waitFor()
    await page.getByRole('tab', { name: 'Unread' }).click()
    await page.reload()
    await page.waitForFunction(() => (globalThis as unknown as { __firstFrame?: unknown }).__firstFrame)
    await page.getByRole('heading', { name: 'Archive' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Unread' }).getAttribute('aria-selected')).toBe('true')
    await page.getByRole('tab', { name: 'All' }).click()
    expect(errors).toEqual([])
    await close()
  })

  it('keeps the remembered folder when the store answers only after the first render', async () => {
    const { page, close, errors } = await open('light')
    await folder(page, 'Archive').click()
    await page.getByRole('heading', { name: 'Archive' }).waitFor()
    const rememberedNow = (): Promise<unknown> =>
      page.evaluate(`JSON.parse(localStorage.getItem('harbor-mail:open-folder'))`)
    const remembered = await rememberedNow()
    expect(remembered).toMatchObject({ kind: 'folder' })

    // A store slow to answer, as when the sync worker holds it (an upgrade, a long write) or a cold disk:
    // another connection of the page holds a read-write transaction on the accounts from before the app opens
    // the store until its first render has been committed without the startup snapshot (by the render's mark,
    // not a fixed time: a slow machine cannot let the snapshot in first). The folders of no account answer
    // meanwhile, as in the runs that opened "All inboxes": the pane took the remembered folder for gone. The
    // titles of the message list show whether the window ever switched away from it.
    await page.context().addInitScript(`(() => {
      if (window !== window.top) return
      window.__titles = []
      const watch = () => {
        const title = document.querySelector('[data-testid=message-list-pane] h2')?.textContent ?? null
        if (title !== null && window.__titles.at(-1) !== title) window.__titles.push(title)
        requestAnimationFrame(watch)
      }
      requestAnimationFrame(watch)
      const open = indexedDB.open('harbor-mail')
      open.onsuccess = () => {
        const db = open.result
        const tx = db.transaction(['accounts'], 'readwrite')
        const store = tx.objectStore('accounts')
        const from = performance.now()
        let renderedAt
        // One request after another keeps the transaction alive; 10 s at most, whatever happens.
        const spin = () => {
          const now = performance.now()
          if (renderedAt === undefined && performance.getEntriesByName('harbor:first-render').length > 0)
            renderedAt = now
          if ((renderedAt === undefined || now - renderedAt < 300) && now - from < 10000)
            store.count().onsuccess = spin
        }
        spin()
        tx.oncomplete = () => {
          window.__storeHeld = { rendered: renderedAt !== undefined, ms: Math.round(performance.now() - from) }
          db.close()
        }
      }
    })()`)
    await page.reload()
    await page.waitForFunction(() => (globalThis as unknown as { __storeHeld?: unknown }).__storeHeld)
    expect(await page.evaluate('window.__storeHeld')).toMatchObject({ rendered: true })
    // The first render had no snapshot: the store answered too late for it.
    expect(
      await page.evaluate(
        `performance.getEntriesByName('harbor:first-render')[0]?.detail?.snapshot ?? 'no mark'`,
      ),
    ).toBe(false)

    // Once the accounts and folders are read, the list has its name: the remembered folder's. Before, it may
    // have none yet ('Mail'); it never showed another list.
    await folder(page, 'INBOX').waitFor()
    const titles = async (): Promise<string[]> =>
      ((await page.evaluate('window.__titles')) as string[]).filter((t) => t !== 'Mail')
    await expect.poll(titles).not.toEqual([])
    expect(await titles()).toEqual(['Archive'])
    const archive = page.locator('[data-testid=folder-item][data-folder-path="Archive"]').first()
    expect(await archive.getAttribute('aria-selected')).toBe('true')
    expect(await page.getByTestId('unified-inbox').getAttribute('aria-selected')).toBe('false')
    expect(await rememberedNow()).toEqual(remembered)
    expect(errors).toEqual([])
    await close()
  })

  it('turns the unified Inbox off and on from the View menu', async () => {
    const { page, close } = await open('light')
    await page.getByTestId('unified-inbox').waitFor()
    const toggle = async (): Promise<void> => {
      await page.getByRole('button', { name: 'View' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Show “All inboxes”' }).click()
      await page.keyboard.press('Escape')
    }
    await toggle()
    await page.getByTestId('unified-inbox').waitFor({ state: 'detached' })
    await toggle()
    await page.getByTestId('unified-inbox').waitFor()
    await close()
  })

  it('shows remote pictures only after consent, downloaded by core, never by the page (light + dark)', async () => {
    for (const scheme of ['light', 'dark'] as ColorScheme[]) {
      const { page, close, errors } = await open(scheme)
      const pageRequests: string[] = []
      page.on('request', (r) => {
        if (r.url().includes(new URL(pictureUrl).host)) pageRequests.push(r.url())
      })
      pictureRequests.length = 0
      await row(page, PICTURE_SUBJECT).click()
      const pane = page.getByTestId('reading-pane')
      await pane.getByTestId('remote-content-bar').waitFor({ timeout: 30_000 })
      const frame = pane.getByTestId('message-frame')
      const inFrame = page.frameLocator('[data-testid=message-frame]')
      await inFrame.getByText("This week's picture").waitFor()
      expect(await inFrame.locator('img[alt="remote picture"]').getAttribute('src')).toBeNull()
      expect(await frame.getAttribute('srcdoc')).not.toContain(new URL(pictureUrl).host)
      // Nothing was fetched before consent, by anyone.
      await page.waitForTimeout(500)
      expect(pictureRequests).toEqual([])
      await shot(page, `remote-pictures-blocked-${scheme}`)

      const button = scheme === 'light' ? 'Show images' : `Always from ${PICTURE_SENDER}`
      // The picture's src, or what the pane says instead: a failed poll then tells why.
      const picture = async (): Promise<string> =>
        (await inFrame.locator('img[alt="remote picture"]').getAttribute('src')) ??
        `no picture; pane: ${(await pane.innerText()).replace(/\s+/g, ' ').slice(0, 400)}; ` +
          `server saw: ${pictureRequests.join(', ') || 'nothing'}; frames: ${await frame.count()}, ` +
          `srcdoc has the picture: ${String((await frame.first().getAttribute('srcdoc'))?.includes('data:image/png'))}`
      await pane.getByRole('button', { name: button }).click()
      await pane.getByTestId('remote-content-bar').waitFor({ state: 'detached' })
      await expect.poll(picture, { timeout: 30_000 }).toMatch(/^data:image\/png;base64,/)
      expect(pictureRequests).toEqual(['/pixel.png?u=alice'])
      // The frame's policy still allows no network at all.
      expect(await frame.getAttribute('srcdoc')).toContain('img-src data:;')
      await shot(page, `remote-pictures-shown-${scheme}`)

      if (scheme === 'dark') {
        // Trusted sender: the next time the message opens, its pictures come without asking.
        await row(page, SUBJECTS.stays).click()
        await row(page, PICTURE_SUBJECT).click()
        await expect.poll(picture, { timeout: 30_000 }).toMatch(/^data:image\/png;base64,/)
        expect(await pane.getByTestId('remote-content-bar').count()).toBe(0)
      }
      expect(pageRequests).toEqual([])
      expect(errors).toEqual([])
      await close()
    }
  })

  it('groups the list by conversation from the View menu (light + dark)', async () => {
    for (const scheme of ['light', 'dark'] as ColorScheme[]) {
      const { page, close, errors } = await open(scheme)
      await row(page, THREAD_SUBJECT).first().waitFor()
      expect(await row(page, THREAD_SUBJECT).count()).toBe(3)
      const flaggedRows = async (): Promise<number> => {
        const labels = await Promise.all(
          (await row(page, THREAD_SUBJECT).all()).map((r) => r.getAttribute('aria-label')),
        )
        return labels.filter((l) => l?.includes('Flagged')).length
      }
      // The server keeps flags between the light and the dark run: Insert flags all, or clears all.
      const before = await flaggedRows()
      expect([0, 3]).toContain(before)
      const setGrouping = async (): Promise<void> => {
        await page.getByRole('button', { name: 'View' }).click()
        await page.getByRole('menuitemcheckbox', { name: 'Group by conversation' }).click()
        await page.keyboard.press('Escape')
      }
      await setGrouping()
      await expect.poll(() => row(page, THREAD_SUBJECT).count()).toBe(1)
      const thread = row(page, THREAD_SUBJECT)
      expect(await thread.getByTestId('thread-size').textContent()).toBe('3')
      expect(await thread.getAttribute('aria-label')).toContain('3 messages')
      // The conversation shows its newest message.
      await thread.click()
      await page.getByTestId('message-text').waitFor({ timeout: 30_000 })
      expect(await page.getByTestId('message-text').textContent()).toContain('Part 3 of the offsite thread')
      await shot(page, `conversations-${scheme}`)
      // Flagging a conversation (Insert) flags all of its messages, or clears all of their flags.
      await page.keyboard.press('Insert')
      await page.waitForTimeout(1500)
      await shot(page, `conversations-flagged-${scheme}`)
      await setGrouping()
      await shot(page, `conversations-off-${scheme}`)
      await expect.poll(flaggedRows).toBe(before === 3 ? 0 : 3)
      expect(errors).toEqual([])
      await close()
    }
  })

  it('notifies about new mail once permission is granted, asking only once (web host)', async () => {
    const { lab, host, browser } = env
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } })
    // Watch the page's own Notification API (the real one still runs) and its permission requests.
    await context.addInitScript(`(() => {
      const Real = window.Notification
      window.__notices = []
      window.__asked = 0
      const Watched = function (title, options) { window.__notices.push({ title, body: options && options.body }); return new Real(title, options) }
      Object.defineProperty(Watched, 'permission', { get: () => Real.permission })
      Watched.requestPermission = () => { window.__asked++; return Real.requestPermission() }
      window.Notification = Watched
    })()`)
    const page = await context.newPage()
    await page.goto(host.url)
    await page.locator('[data-testid=app-shell][data-core-state=connected]').waitFor()
    await ensureLabAccount(page, lab, 'alice')
    await row(page, SUBJECTS.stays).waitFor({ timeout: 90_000 })
    await page.getByTestId('message-list').click()
    await page.keyboard.press('ArrowDown')
    await page.reload()
    await page.getByTestId('message-list').click()
    expect(await page.evaluate('window.__asked')).toBe(0) // asked before the reload: never again
    await context.grantPermissions(['notifications'])
    expect(await page.evaluate('Notification.permission')).toBe('granted')

    await row(page, SUBJECTS.stays).waitFor({ timeout: 90_000 })
    await lab.deliver('alice', simpleMessage(lab.user('alice').address, 'A fresh arrival', 0))
    await page.keyboard.press('F9')
    await row(page, 'A fresh arrival').waitFor({ timeout: 60_000 })
    await expect
      .poll(() => page.evaluate('window.__notices'), { timeout: 60_000 })
      .toEqual([{ title: 'New mail from Carol Organizer', body: 'A fresh arrival' }])
    await context.close()
  })

  it('keeps every toolbar action reachable at 1366 px: what does not fit is under "More" (light + dark)', async () => {
    for (const scheme of ['light', 'dark'] as ColorScheme[]) {
      const { page, close } = await open(scheme)
      const bar = page.getByRole('toolbar', { name: 'Mail actions' })
      // Nothing is cut off: the bar is not wider than the window.
      const [scrollWidth, clientWidth] = (await page.evaluate(
        `(() => { const el = document.querySelector('[role=toolbar][aria-label="Mail actions"]'); return [el.scrollWidth, el.clientWidth] })()`,
      )) as [number, number]
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
      const labels = [
        'New mail',
        'Delete',
        'Archive',
        'Reply',
        'Reply all',
        'Read',
        'Unread',
        'Flag',
        'Send/Receive',
        'Add account',
      ]
      const more = bar.getByTestId('toolbar-more')
      const inMenu: string[] = []
      if (await more.isVisible()) {
        await more.click()
        inMenu.push(
          ...(await page.getByRole('menuitem').allTextContents()).map((t) =>
            t.replace(/(Ctrl|Insert|Delete|F9).*$/, '').trim(),
          ),
        )
        await shot(page, `toolbar-more-${scheme}`)
        await page.keyboard.press('Escape')
      }
      for (const label of labels) {
        const onBar = await bar
          .getByRole('button', { name: label, exact: true })
          .filter({ visible: true })
          .count()
        expect(onBar > 0 || inMenu.includes(label), label).toBe(true)
      }
      await shot(page, `toolbar-1366-${scheme}`)
      // A narrow window moves more into the menu rather than clipping.
      await page.setViewportSize({ width: 900, height: 700 })
      await more.waitFor()
      await shot(page, `toolbar-900-${scheme}`)
      await close()
    }
  })
})
