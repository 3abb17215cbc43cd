import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const E2E_OUTPUT = resolve(import.meta.dirname, '../../e2e-output')

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Flags that let Debian's Chromium run headless as root on these machines without reaching for the
 * network on its own (platform-notes.md): every e2e test, kill harness and bench uses the same set.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]

/** Debian's Chromium; Playwright's own browser download is not possible (nor wanted) here. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraArgs] })
}

/** Saves a full-page screenshot under e2e-output/screenshots (kept as a CI artifact, never committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(E2E_OUTPUT, 'screenshots')
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
