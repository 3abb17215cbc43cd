import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { fillLabSettings as fillLab, startWizard as startLabWizard } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import {
  fillServer,
  openAccountMenu,
  shot,
  testResult,
  wizard,
  type ColorScheme,
  isFocused,
} from './support/ui'

/**
 * The account wizard against the real mail lab (Dovecot + Postfix on loopback with their own CA): the
 * settings a user of a self-hosted server would type, the CA pasted into the trust field.
 */
describe('account setup against the mail lab', () => {
  // A fresh core (empty accounts.json) per test: no test depends on what another one saved.
  const env = useLabApp({ hostPerTest: true })

  const fillLabSettings = (page: Page, kind: 'imap' | 'pop3'): Promise<void> =>
    fillLab(page, env.lab, 'alice', kind)
  async function startWizard(page: Page, password: string): Promise<void> {
    await startLabWizard(page, env.lab, 'alice', password)
    await wizard(page).getByLabel('Your name').fill('Alice Lab')
  }

  for (const scheme of ['light', 'dark'] as ColorScheme[]) {
    it(`IMAP: a wrong password shows core's AUTH error, the right one saves the account (${scheme})`, async () => {
      const { lab } = env
      const { page, context, errors } = await env.openApp(scheme)
      await page.getByRole('heading', { name: 'Welcome to Harbor Mail' }).waitFor()
      await shot(page, `welcome-${scheme}`)

      await startWizard(page, 'not-the-password')
      await shot(page, `wizard-start-${scheme}`)
      await wizard(page).getByRole('button', { name: 'Next' }).click()
      // The lab's domain is in no provider table: the wizard says it guessed.
      expect(await page.getByTestId('settings-source').textContent()).toContain('guessed')
      await fillLabSettings(page, 'imap')
      await wizard(page).getByRole('button', { name: 'Test connection' }).click()
      const badImap = await testResult(page, 'incoming')
      const badSmtp = await testResult(page, 'smtp')
      // Core's own sentences for AUTH_FAILED (src/core/imap/errors.ts, src/core/smtp): shown verbatim.
      expect(badImap).toMatch(/password|user name|sign in|log in|authenticat/i)
      expect(badSmtp).toMatch(/password|user name|sign in|log in|authenticat/i)
      await shot(page, `wizard-auth-error-${scheme}`)

      // Back to the first step for the right password; the settings typed are kept.
      await wizard(page).getByRole('button', { name: 'Back' }).click()
      await wizard(page).getByLabel('Password').fill(lab.user('alice').password)
      await wizard(page).getByRole('button', { name: 'Next' }).click()
      await fillLabSettings(page, 'imap')
      await wizard(page).getByRole('button', { name: 'Test connection' }).click()
      expect(await testResult(page, 'incoming')).toBe('ok')
      expect(await testResult(page, 'smtp')).toBe('ok')
      await shot(page, `wizard-tests-ok-${scheme}`)

      await wizard(page).getByRole('button', { name: 'Save' }).click()
      await wizard(page).waitFor({ state: 'detached' })
      const account = page.locator(
        `[data-testid=account-item][data-account-email="${lab.user('alice').address}"]`,
      )
      await account.waitFor()
      const tree = page.locator('[role=tree]').first()
      expect(await tree.getAttribute('aria-label')).toBe('Folders')
      expect(await tree.locator('[role=treeitem]').count()).toBeGreaterThan(0)
      await shot(page, `account-added-${scheme}`)

      // Edit shows the saved settings; removing asks first.
      await openAccountMenu(account)
      await page.getByRole('menuitem', { name: 'Edit account…' }).click()
      await wizard(page).waitFor()
      expect(await page.getByTestId('server-incoming').getByLabel('Port').inputValue()).toBe(
        String(lab.ports.imaps),
      )
      await shot(page, `wizard-edit-${scheme}`)
      await wizard(page).getByRole('button', { name: 'Cancel' }).click()
      await wizard(page).waitFor({ state: 'detached' })

      await openAccountMenu(account)
      await page.getByRole('menuitem', { name: 'Remove account…' }).click()
      const remove = page.getByTestId('remove-account-dialog')
      await remove.waitFor()
      expect(await remove.textContent()).toContain('stays on the server')
      await shot(page, `remove-account-${scheme}`)
      await remove.getByRole('button', { name: 'Remove account' }).click()
      await account.waitFor({ state: 'detached' })
      await page.getByRole('heading', { name: 'Welcome to Harbor Mail' }).waitFor()

      expect(errors).toEqual([])
      await context.close()
    })
  }

  it('POP3: tests the POP3 server and warns on removal', async () => {
    const { lab } = env
    const { page, context, errors } = await env.openApp('light')
    await startWizard(page, lab.user('alice').password)
    await wizard(page).getByRole('button', { name: 'Next' }).click()
    await fillLabSettings(page, 'pop3')
    await wizard(page).getByRole('button', { name: 'Test connection' }).click()
    // Core signs in to the lab's POP3 server with these settings.
    expect(await testResult(page, 'incoming')).toBe('ok')
    expect(await testResult(page, 'smtp')).toBe('ok')
    await shot(page, 'wizard-pop3-light')
    await wizard(page).getByRole('button', { name: 'Save' }).click()
    await wizard(page).waitFor({ state: 'detached' })
    const account = page.locator('[data-testid=account-item]').first()
    await account.waitFor()
    expect(await account.textContent()).toContain('POP3')
    await openAccountMenu(account)
    await page.getByRole('menuitem', { name: 'Remove account…' }).click()
    await page.getByTestId('pop3-loss-warning').waitFor()
    await shot(page, 'remove-pop3-account-light')
    await page.getByTestId('remove-account-dialog').getByRole('button', { name: 'Remove account' }).click()
    await page.getByRole('heading', { name: 'Welcome to Harbor Mail' }).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('asks for consent before a password may cross the network unencrypted', async () => {
    const { lab } = env
    const { page, context } = await env.openApp('dark')
    await startWizard(page, 'whatever')
    await wizard(page).getByRole('button', { name: 'Next' }).click()
    await fillServer(page, 'incoming', {
      host: lab.host,
      port: lab.ports.imap,
      tls: 'None',
      username: 'alice',
    })
    await wizard(page).getByRole('button', { name: 'Test connection' }).click()
    const consent = page.getByTestId('server-incoming').getByRole('checkbox', { name: /unencrypted/ })
    await consent.waitFor()
    // Without the tick nothing is sent: no test result appears.
    expect(await page.getByTestId('server-incoming-result').count()).toBe(0)
    expect(await page.getByTestId('server-incoming').textContent()).toContain('Confirm that the password')
    await shot(page, 'wizard-plaintext-warning-dark')
    await context.close()
  })

  it('is usable from the keyboard: Tab to "Add account", Enter submits a step, Escape closes', async () => {
    const { lab } = env
    const { page, context } = await env.openApp('light')
    const addButton = page.getByRole('main').getByRole('button', { name: 'Add account' })
    for (let i = 0; i < 40 && !(await isFocused(addButton)); i++) {
      await page.keyboard.press('Tab')
    }
    expect(await isFocused(addButton)).toBe(true)
    await page.keyboard.press('Enter')
    await wizard(page).waitFor()
    // The address field has the focus; Enter in a field goes to the next step.
    await page.keyboard.type(lab.user('alice').address)
    await page.keyboard.press('Tab')
    await page.keyboard.type(lab.user('alice').password)
    await page.keyboard.press('Enter')
    await page.getByTestId('server-incoming').waitFor()
    expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true')
    await page.keyboard.press('Escape')
    await wizard(page).waitFor({ state: 'detached' })
    await context.close()
  })
})
