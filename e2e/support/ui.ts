import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core'
import { screenshot } from './browser'
import type { WebHostProcess } from './web-host-process'

export type ColorScheme = 'light' | 'dark'

export interface AppPage {
  context: BrowserContext
  page: Page
  /** Page errors, console errors and HTTP errors seen so far. */
  errors: string[]
}

/** Opens the app through the web host and waits until the core is connected. */
export async function openApp(
  browser: Browser,
  host: WebHostProcess,
  colorScheme: ColorScheme,
  viewport = { width: 1366, height: 860 },
  /** Runs before the app's first load (e.g. DevTools settings that apply only to storage not yet opened). */
  beforeLoad?: (page: Page, context: BrowserContext) => Promise<void>,
): Promise<AppPage> {
  const context = await browser.newContext({ colorScheme, viewport, deviceScaleFactor: 1 })
  const page = await context.newPage()
  await beforeLoad?.(page, context)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m: ConsoleMessage) => {
    // The sandboxed message frame's blocked navigations and remote images are expected CSP reports.
    if (m.type() === 'error' && !/Content Security Policy/.test(m.text())) errors.push(m.text())
  })
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`)
  })
  await page.goto(host.url)
  await page.getByTestId('app-shell').waitFor()
  await page.locator('[data-testid=app-shell][data-core-state=connected]').waitFor()
  return { context, page, errors }
}

export interface ServerInput {
  host: string
  port: number
  tls: 'SSL/TLS' | 'STARTTLS' | 'None'
  username: string
}

/** Fills one server fieldset of the wizard ('incoming' or 'smtp'). */
export async function fillServer(page: Page, which: 'incoming' | 'smtp', s: ServerInput): Promise<void> {
  const set = page.getByTestId(`server-${which}`)
  await set.getByLabel('Server').fill(s.host)
  await set.getByLabel('Port').fill(String(s.port))
  const tls = set.getByRole('combobox')
  if ((await tls.textContent())?.trim() !== s.tls) {
    await tls.click()
    await page.getByRole('option', { name: s.tls, exact: true }).click()
  }
  await set.getByLabel('User name').fill(s.username)
}

/** A server's test result: 'ok', or the error text shown next to it. */
export async function testResult(page: Page, which: 'incoming' | 'smtp'): Promise<string> {
  const result = page.getByTestId(`server-${which}-result`)
  const id = `[data-testid="server-${which}-result"]`
  await page.locator(`${id}[data-status=ok], ${id}[data-status=failed]`).waitFor({ timeout: 60_000 })
  if ((await result.getAttribute('data-status')) === 'ok') return 'ok'
  return (await page.getByTestId(`server-${which}-error`).textContent()) ?? ''
}

/** The ⋯ menu of an account shows on hover or focus (Fluent tree item actions). */
export async function openAccountMenu(account: Locator): Promise<void> {
  await account.locator('.fui-TreeItemLayout').first().hover()
  await account.getByRole('button', { name: /Options for/ }).click()
}

export function wizard(page: Page): Locator {
  return page.getByTestId('account-wizard')
}

/** Resolves once no Fluent toast is on screen (so screenshots are not covered by old ones). */
export async function waitForToastsGone(page: Page): Promise<void> {
  const deadline = Date.now() + 15_000
  while ((await page.locator('[data-testid^="toast-"]').count()) > 0) {
    if (Date.now() > deadline) throw new Error('toasts did not go away in 15 s')
    await page.waitForTimeout(200)
  }
}

/**
 * A screenshot once Fluent's open/close animations have finished (dialogs fade and scale in). A toast's
 * countdown is an animation too (an invisible one on its timer, `data-timer-status`) that runs as long as
 * the toast is up: not waited for.
 */
export async function shot(page: Page, name: string): Promise<string> {
  // A function, not a string: the app's CSP forbids eval, which string expressions need.
  type Target = { hasAttribute?(name: string): boolean } | null | undefined
  type AnimatedDocument = {
    document: { getAnimations(): { playState: string; effect: { target?: Target } | null }[] }
  }
  await page.waitForFunction(
    () =>
      (globalThis as unknown as AnimatedDocument).document
        .getAnimations()
        .every(
          (a) => a.playState !== 'running' || a.effect?.target?.hasAttribute?.('data-timer-status') === true,
        ),
    undefined,
    { timeout: 5_000 },
  )
  return screenshot(page, name)
}

/**
 * The screen in the light theme, then the dark one (the app follows the OS), each once its transitions have
 * ended; the page is left light. Names get `-light` / `-dark`.
 */
export async function shotLightAndDark(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // Theme colours change with CSS transitions, not Web Animations: give them their time.
    await page.waitForTimeout(400)
    await shot(page, `${name}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** Whether the element has the keyboard focus (the e2e code is type-checked without the DOM library). */
export async function isFocused(locator: Locator): Promise<boolean> {
  return (await locator.and(locator.page().locator(':focus')).count()) === 1
}
