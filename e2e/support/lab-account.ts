import type { Page } from 'playwright-core'
import type { LabTools } from '../../src/lab/lab'
import { fillServer, testResult, wizard } from './ui'

/** Fills the wizard's settings step with a lab user's servers and the lab CA. */
export async function fillLabSettings(
  page: Page,
  lab: LabTools,
  userName: string,
  kind: 'imap' | 'pop3',
): Promise<void> {
  const user = lab.user(userName)
  if (kind === 'pop3') await wizard(page).getByRole('radio', { name: /POP3/ }).check()
  await fillServer(page, 'incoming', {
    host: lab.host,
    port: kind === 'imap' ? lab.ports.imaps : lab.ports.pop3s,
    tls: 'SSL/TLS',
    username: user.address,
  })
  await fillServer(page, 'smtp', {
    host: lab.host,
    port: lab.ports.submission,
    tls: 'STARTTLS',
    username: user.address,
  })
  const advanced = wizard(page).getByRole('button', { name: 'Advanced' })
  if ((await advanced.getAttribute('aria-expanded')) !== 'true') await advanced.click()
  await wizard(page).getByLabel('Trust this certificate authority (PEM)').fill(lab.caPem)
}

/** Opens the wizard and fills the first step. */
export async function startWizard(
  page: Page,
  lab: LabTools,
  userName: string,
  password: string,
): Promise<void> {
  // The toolbar's button may sit in its "More" menu on a narrow window; the folder pane's is always there.
  await page.getByRole('button', { name: 'Add account' }).filter({ visible: true }).first().click()
  await wizard(page).waitFor()
  await wizard(page).getByLabel('E-mail address').fill(lab.user(userName).address)
  await wizard(page).getByLabel('Password').fill(password)
}

/** The whole wizard for a lab user, tested and saved: what a user of a self-hosted server does. */
export async function addLabAccount(
  page: Page,
  lab: LabTools,
  userName: string,
  kind: 'imap' | 'pop3' = 'imap',
): Promise<void> {
  await startWizard(page, lab, userName, lab.user(userName).password)
  await wizard(page).getByRole('button', { name: 'Next' }).click()
  await fillLabSettings(page, lab, userName, kind)
  await wizard(page).getByRole('button', { name: 'Test connection' }).click()
  await testResult(page, 'smtp')
  await wizard(page).getByRole('button', { name: 'Save' }).click()
  await wizard(page).waitFor({ state: 'detached' })
}

/**
 * The first page of a test file adds the account through the wizard; later pages find it in core's
 * settings. Waits for either the account list or the welcome screen: right after load neither is shown
 * yet, so counting account items at once would take a slow load for an empty app.
 */
export async function ensureLabAccount(page: Page, lab: LabTools, userName: string): Promise<void> {
  const welcome = page.getByRole('heading', { name: 'Welcome to Harbor Mail' })
  await page.getByTestId('account-item').or(welcome).first().waitFor()
  if (await welcome.isVisible()) await addLabAccount(page, lab, userName)
}
