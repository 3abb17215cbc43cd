import { describe, expect, it } from 'vitest'
import type { ConsoleMessage } from 'playwright-core'
import { screenshot } from './support/browser'
import { useWebApp } from './support/lab-app'

describe('app shell through the web host', () => {
  const env = useWebApp()

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`renders, connects to the core and makes an RPC round trip (${colorScheme})`, async () => {
      const { host, browser } = env
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m: ConsoleMessage) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`)
      })

      await page.goto(host.url)
      await page.getByTestId('app-shell').waitFor()
      await expect.poll(() => page.getByTestId('app-shell').getAttribute('data-core-state')).toBe('connected')
      expect(await page.getByTestId('core-state').textContent()).toBe('Mail engine connected')
      // The token must not linger in the address bar.
      expect(page.url()).not.toContain('token=')

      await page.getByRole('button', { name: 'Check connection' }).click()
      await page.getByTestId('ping-result').waitFor()
      expect(await page.getByTestId('ping-result').textContent()).toMatch(/answered in \d+(\.\d)? ms/)

      const background = String(
        await page.evaluate(
          'getComputedStyle(document.querySelector("[data-testid=app-shell]")).backgroundColor',
        ),
      )
      // The theme follows the OS: dark backgrounds are dark, light ones light.
      const [r = 0, g = 0, b = 0] = background.match(/\d+/g)!.map(Number)
      const luminance = (r + g + b) / 3
      if (colorScheme === 'dark') expect(luminance).toBeLessThan(80)
      else expect(luminance).toBeGreaterThan(180)

      await screenshot(page, `app-shell-${colorScheme}`)
      expect(errors).toEqual([])
      await context.close()
    })
  }

  it('elects exactly one sync worker as the store writer across tabs, and promotes another when it goes', async () => {
    const { host, browser } = env
    const context = await browser.newContext()
    const first = await context.newPage()
    await first.goto(host.url)
    const role = (page: typeof first) => page.getByTestId('app-shell').getAttribute('data-store-role')
    await expect.poll(() => role(first)).toBe('writer')
    const second = await context.newPage()
    // Same origin, so the token from the first tab's sessionStorage does not carry over: pass it again.
    await second.goto(host.url)
    await expect.poll(() => second.getByTestId('app-shell').getAttribute('data-core-state')).toBe('connected')
    expect(await role(second)).toBe('reader')
    expect(await second.getByTestId('reader-note').isVisible()).toBe(true)
    await screenshot(second, 'app-shell-second-window')
    await first.close()
    await expect.poll(() => role(second)).toBe('writer')
    await context.close()
  })

  it('refuses to work without the token and says what to do', async () => {
    const { host, browser } = env
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(host.origin + '/')
    await page.getByTestId('core-error').waitFor()
    expect(await page.getByTestId('core-error').textContent()).toContain('#token=')
    expect(await page.getByTestId('app-shell').getAttribute('data-core-state')).toBe('disconnected')
    await screenshot(page, 'app-shell-no-token')
    await context.close()
  })
})
