import type { ImapFlow } from 'imapflow'
import { simpleParser } from 'mailparser'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copiesOf } from '../src/integration/compose-kit'
import { TINY_PNG } from '../src/lab/testing/remote-picture'
import { screenshot } from './support/browser'
import { ensureLabAccount } from './support/lab-account'
import { useLabApp } from './support/lab-app'
import { openAccountMenu, shotLightAndDark, type ColorScheme } from './support/ui'

const ORIGINAL_SUBJECT = 'AW: Quartalszahlen für März'
const ORIGINAL_ID = '<quarter-e2e@lab.test>'
const PICTURE_SUBJECT = 'Logo im Text'

/** A screenshot once Fluent's dialog animations (about 250 ms) have finished. */
async function shot(page: Page, name: string): Promise<string> {
  await page.waitForTimeout(500)
  return screenshot(page, name)
}

/** Writing mail in the real UI through the web host, delivered by the lab's Postfix and read back over IMAP. */
describe('composing and sending from the UI', () => {
  let bob: ImapFlow
  let carol: ImapFlow
  let dave: ImapFlow

  const env = useLabApp()

  beforeAll(async () => {
    const { lab } = env
    const original = [
      `From: "Bob Builder" <${lab.user('bob').address}>`,
      `To: ${lab.user('alice').address}`,
      `Cc: ${lab.user('carol').address}`,
      `Subject: =?UTF-8?Q?AW:_Quartalszahlen_f=C3=BCr_M=C3=A4rz?=`,
      `Message-ID: ${ORIGINAL_ID}`,
      `References: <root-e2e@lab.test>`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hallo Alice, die Zahlen sind da.',
      '',
    ].join('\r\n')
    await lab.deliver('alice', original)
    await lab.deliver(
      'alice',
      [
        `From: "Bob Builder" <${lab.user('bob').address}>`,
        `To: ${lab.user('alice').address}`,
        `Subject: ${PICTURE_SUBJECT}`,
        `Message-ID: <logo-e2e@lab.test>`,
        `Date: ${new Date(Date.now() - 60_000).toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/related; boundary="rel"',
        '',
        '--rel',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Unser Logo: <img alt="Logo" width="40" height="40" src="cid:logo.e2e@lab.test"></p>',
        '--rel',
        'Content-Type: image/png; name="logo.png"',
        'Content-Disposition: inline; filename="logo.png"',
        'Content-ID: <logo.e2e@lab.test>',
        'Content-Transfer-Encoding: base64',
        '',
        TINY_PNG.toString('base64'),
        '--rel--',
        '',
      ].join('\r\n'),
    )
    bob = await lab.otherDevice('bob')
    carol = await lab.otherDevice('carol')
    dave = await lab.otherDevice('dave')
  })
  afterAll(async () => {
    await bob?.logout().catch(() => undefined)
    await carol?.logout().catch(() => undefined)
    await dave?.logout().catch(() => undefined)
  })

  async function delivered(device: ImapFlow, subject: string): Promise<Buffer> {
    const until = Date.now() + 30_000
    for (;;) {
      const lock = await device.getMailboxLock('INBOX')
      try {
        await device.noop()
        const uids = (await device.search({ subject }, { uid: true })) || []
        if (uids.length > 0) {
          expect(uids).toHaveLength(1)
          const msg = await device.fetchOne(String(uids[0]), { source: true }, { uid: true })
          if (msg !== false && msg.source) return msg.source
        }
      } finally {
        lock.release()
      }
      if (Date.now() > until) throw new Error(`"${subject}" did not arrive`)
      await new Promise((r) => setTimeout(r, 300))
    }
  }

  async function ready(
    scheme: ColorScheme,
  ): Promise<{ page: Page; close(): Promise<void>; errors: string[] }> {
    const app = await env.openApp(scheme)
    await ensureLabAccount(app.page, env.lab, 'alice')
    await app.page
      .getByTestId('message-row')
      .filter({ hasText: ORIGINAL_SUBJECT })
      .waitFor({ timeout: 90_000 })
    return { page: app.page, errors: app.errors, close: () => app.context.close() }
  }

  it('replies all with quoting and thread headers, and sends through the outbox (light)', async () => {
    const { lab } = env
    const { page, close, errors } = await ready('light')
    await page.getByTestId('message-row').filter({ hasText: ORIGINAL_SUBJECT }).click()
    await page.getByTestId('reading-pane').getByTestId('message-subject').waitFor()
    await page.getByRole('button', { name: /^Reply all/ }).click()
    const composer = page.getByTestId('composer')
    await composer.waitFor()
    expect(await composer.getByLabel('Subject').inputValue()).toBe('Re: Quartalszahlen für März')
    expect(await composer.getByRole('textbox', { name: 'To' }).inputValue()).toContain(
      lab.user('bob').address,
    )
    expect(await composer.getByRole('textbox', { name: 'Cc' }).inputValue()).toBe(lab.user('carol').address)
    const body = composer.getByTestId('compose-body')
    await expect.poll(() => body.textContent()).toContain('die Zahlen sind da')
    await body.click()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Danke, Bob — schöne Grüße!')
    await shot(page, 'composer-reply-light')
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })

    const raw = await delivered(bob, 'Re: Quartalszahlen')
    const parsed = await simpleParser(raw)
    expect(parsed.subject).toBe('Re: Quartalszahlen für März')
    expect(parsed.inReplyTo).toBe(ORIGINAL_ID)
    expect(parsed.references).toEqual(['<root-e2e@lab.test>', ORIGINAL_ID])
    expect(parsed.text).toMatch(/^Danke, Bob — schöne Grüße!/)
    expect(parsed.text).toContain('> Hallo Alice, die Zahlen sind da.')
    expect(parsed.html).toContain('<blockquote type="cite">')
    await delivered(carol, 'Re: Quartalszahlen')
    expect(errors).toEqual([])
    await close()
  })

  it('forwards a message with a picture in its text and a pasted screenshot: shown in the composer, sent inline, not as files (light)', async () => {
    const { lab } = env
    const { page, close, errors } = await ready('light')
    await page.getByTestId('message-row').filter({ hasText: PICTURE_SUBJECT }).click()
    await page.getByTestId('reading-pane').getByTestId('message-subject').waitFor()
    await page.keyboard.press('Control+F')
    const composer = page.getByTestId('composer')
    await composer.waitFor()
    const picture = composer.getByTestId('compose-body').getByRole('img', { name: 'Logo' })
    // Shown from the draft's own bytes (a blob: URL), so it has loaded: a width of 1 pixel.
    await expect
      .poll(() => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1)
    expect(await picture.getAttribute('src')).toMatch(/^blob:/)
    expect(await composer.getByText('logo.png').count()).toBe(0)
    // A screenshot pasted into the text joins it as a second inline picture.
    await composer.getByTestId('compose-body').click()
    await page.keyboard.press('Control+Home')
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${TINY_PNG.toString('base64')}'), (c) => c.charCodeAt(0))
      const data = new DataTransfer()
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
      document.querySelector('[data-testid=compose-body]')
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })()`)
    const pasted = composer.getByTestId('compose-body').getByRole('img', { name: 'image.png' })
    await expect
      .poll(() => pasted.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1)
    expect(await composer.getByText('image.png').count()).toBe(0)
    await composer.getByRole('textbox', { name: 'To' }).fill(lab.user('dave').address)
    await shotLightAndDark(page, 'composer-forward-picture')
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })

    const parsed = await simpleParser(await delivered(dave, PICTURE_SUBJECT), { keepCidLinks: true })
    expect(parsed.subject).toBe(`Fwd: ${PICTURE_SUBJECT}`)
    expect(parsed.html).toContain('src="cid:logo.e2e@lab.test"')
    expect(parsed.attachments).toHaveLength(2)
    const logo = parsed.attachments.find((a) => a.contentId === '<logo.e2e@lab.test>')
    const screenshot = parsed.attachments.find((a) => a !== logo)
    for (const picture of [logo, screenshot]) {
      expect(picture!.contentDisposition).toBe('inline')
      expect(picture!.related).toBe(true)
      expect(Buffer.compare(picture!.content, TINY_PNG)).toBe(0)
    }
    expect(screenshot!.contentId).toMatch(/^<[\w-]+@harbor-mail\.invalid>$/)
    expect(parsed.html).toContain(`src="cid:${screenshot!.contentId!.slice(1, -1)}"`)
    expect(errors).toEqual([])
    await close()
  })

  it('writes a new message with a non-ASCII name and an attachment, autosaves it, and sends it (dark)', async () => {
    const { lab } = env
    const { page, close, errors } = await ready('dark')
    await page.getByRole('button', { name: /^New mail/ }).click()
    const composer = page.getByTestId('composer')
    await composer.waitFor()
    await composer.getByRole('textbox', { name: 'To' }).fill(`"Ünal, Carol" <${lab.user('carol').address}>`)
    await composer.getByLabel('Subject').fill('Grüße aus dem Composer ✓')
    await composer.getByTestId('compose-body').click()
    await page.keyboard.type('Anbei die Übersicht.')
    const bytes = Buffer.from('Quartal;Umsatz\nQ1;100\n', 'utf8')
    await composer.getByTestId('compose-file-input').setInputFiles({
      name: 'Übersicht März.csv',
      mimeType: 'text/csv',
      buffer: bytes,
    })
    await composer.getByText('Übersicht März.csv').waitFor()
    await composer.getByText('Draft saved').waitFor({ timeout: 10_000 })
    await shot(page, 'composer-new-dark')
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })

    const parsed = await simpleParser(await delivered(carol, 'Grüße aus dem Composer'))
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : undefined).toEqual({
      name: 'Ünal, Carol',
      address: lab.user('carol').address,
    })
    expect(parsed.attachments[0]?.filename).toBe('Übersicht März.csv')
    expect(Buffer.compare(parsed.attachments[0]!.content, bytes)).toBe(0)
    await page.getByRole('button', { name: /^Outbox/ }).click()
    await page.getByText('Nothing waiting to be sent.').waitFor({ timeout: 20_000 })
    await shot(page, 'outbox-dark')
    expect(errors).toEqual([])
    await close()
  })

  it('edits identities and signatures, and the composer switches the signature with From (light + dark)', async () => {
    const { lab } = env
    const alias = `sales@${lab.domain}`
    for (const scheme of ['light', 'dark'] as const) {
      const { page, close, errors } = await ready(scheme)
      await openAccountMenu(page.getByTestId('account-item').first())
      await page.getByRole('menuitem', { name: 'Identities and signatures…' }).click()
      const dialog = page.getByTestId('identities-dialog')
      await dialog.waitFor()
      if (scheme === 'light') {
        await dialog.getByLabel(/^Signature for /).fill('Alice\nHarbor Lab')
        await dialog.getByRole('button', { name: 'Add another address' }).click()
        await dialog.getByRole('button', { name: 'Save' }).click()
        // An empty alias is refused with a message, not saved.
        await dialog.getByText('Enter an address like name@example.org.').waitFor()
        await dialog.getByLabel('Alias 1 address').fill(alias)
        await dialog.getByLabel('Alias 1 name').fill('Vertrieb, Harbor')
        await dialog.getByLabel('Alias 1 signature').fill('Ihr Vertriebsteam')
      } else {
        // What the light round saved came back from core's settings.
        expect(await dialog.getByLabel('Alias 1 address').inputValue()).toBe(alias)
        expect(await dialog.getByLabel(/^Signature for /).inputValue()).toBe('Alice\nHarbor Lab')
      }
      await shot(page, `identities-${scheme}`)
      await dialog.getByRole('button', { name: 'Save' }).click()
      await dialog.waitFor({ state: 'detached' })
      expect(errors).toEqual([])
      await close()
    }

    const { page, close, errors } = await ready('light')
    await page.getByRole('button', { name: /^New mail/ }).click()
    const composer = page.getByTestId('composer')
    await composer.waitFor()
    const body = composer.getByTestId('compose-body')
    await expect.poll(() => body.innerText()).toContain('Harbor Lab')
    await composer.getByRole('textbox', { name: 'To' }).fill(lab.user('bob').address)
    await composer.getByLabel('Subject').fill('Signatur-Wechsel')
    await body.click()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Text, den ich selbst schrieb.')
    await composer.getByRole('combobox', { name: 'From' }).click()
    await page.getByRole('option', { name: new RegExp(alias) }).click()
    await expect.poll(() => body.innerText()).toContain('Ihr Vertriebsteam')
    const text = await body.innerText()
    expect(text).not.toContain('Harbor Lab')
    expect(text.startsWith('Text, den ich selbst schrieb.')).toBe(true)
    await shot(page, 'composer-identity-light')
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })

    const parsed = await simpleParser(await delivered(bob, 'Signatur-Wechsel'))
    expect(parsed.from?.value[0]).toEqual({ name: 'Vertrieb, Harbor', address: alias })
    expect(parsed.text).toMatch(/^Text, den ich selbst schrieb\.\s+-- \r?\nIhr Vertriebsteam/)
    expect(parsed.text).not.toContain('Harbor Lab')
    expect(errors).toEqual([])
    await close()
  })

  it('reopens a local draft with its attachment, and a draft another device saved in Drafts', async () => {
    const { lab } = env
    const { page, close, errors } = await ready('light')
    // A draft of this device: closed, then opened again from the Outbox and drafts list.
    await page.getByRole('button', { name: /^New mail/ }).click()
    let composer = page.getByTestId('composer')
    await composer.getByRole('textbox', { name: 'To' }).fill(`"Ünal, Carol" <${lab.user('carol').address}>`)
    await composer.getByLabel('Subject').fill('Entwurf lokal')
    await composer.getByTestId('compose-body').click()
    await page.keyboard.type('Noch nicht fertig.')
    const bytes = Buffer.from('%PDF-1.4 local draft attachment', 'utf8')
    await composer.getByTestId('compose-file-input').setInputFiles({
      name: 'Angebot.pdf',
      mimeType: 'application/pdf',
      buffer: bytes,
    })
    await composer.getByText('Draft saved').waitFor({ timeout: 10_000 })
    await composer.getByRole('button', { name: 'Close' }).click()
    await composer.waitFor({ state: 'detached' })
    await page.getByRole('button', { name: /^Outbox/ }).click()
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Entwurf lokal' })
      .getByRole('button', { name: 'Open' })
      .click()
    composer = page.getByTestId('composer')
    await composer.waitFor()
    expect(await composer.getByLabel('Subject').inputValue()).toBe('Entwurf lokal')
    expect(await composer.getByRole('textbox', { name: 'To' }).inputValue()).toBe(
      `"Ünal, Carol" <${lab.user('carol').address}>`,
    )
    await composer.getByText('Angebot.pdf').waitFor()
    expect(await composer.getByTestId('compose-body').innerText()).toContain('Noch nicht fertig.')
    await composer.getByRole('button', { name: 'Discard' }).click()
    await composer.waitFor({ state: 'detached' })

    // A draft saved by another device (the phone) in the IMAP Drafts folder.
    const messageId = '<phone-draft-e2e@lab.test>'
    const pdf = Buffer.from('%PDF-1.4 phone draft attachment ✓', 'utf8')
    const phone = await lab.otherDevice('alice')
    try {
      await phone.append(
        'Drafts',
        [
          `From: Alice <${lab.user('alice').address}>`,
          `To: Team: ${lab.user('bob').address}, "Ünal, Carol" <${lab.user('carol').address}>;`,
          `Bcc: ${lab.user('dave').address}`,
          'Subject: =?UTF-8?Q?Entwurf_vom_Telefon_=E2=9C=93?=',
          `Message-ID: ${messageId}`,
          `In-Reply-To: <parent-e2e@lab.test>`,
          `References: <root-e2e@lab.test> <parent-e2e@lab.test>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b1"',
          '',
          '--b1',
          'Content-Type: multipart/alternative; boundary="b2"',
          '',
          '--b2',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Vom Telefon begonnen.',
          '--b2',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<p>Vom <b>Telefon</b> begonnen.</p>',
          '--b2--',
          '--b1',
          'Content-Type: application/pdf; name="Plan.pdf"',
          'Content-Disposition: attachment; filename="Plan.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          pdf.toString('base64'),
          '--b1--',
          '',
        ].join('\r\n'),
        ['\\Draft', '\\Seen'],
      )
      await page.getByRole('button', { name: /^Send\/Receive/ }).click()
      await page.locator('[data-testid=folder-item][data-folder-path=Drafts]').click()
      await page
        .getByTestId('message-row')
        .filter({ hasText: 'Entwurf vom Telefon' })
        .click({ timeout: 30_000 })
      await page.getByTestId('draft-bar').getByRole('button', { name: 'Edit draft' }).click()
      composer = page.getByTestId('composer')
      await composer.waitFor()
      expect(await composer.getByLabel('Subject').inputValue()).toBe('Entwurf vom Telefon ✓')
      expect(await composer.getByRole('textbox', { name: 'To' }).inputValue()).toBe(
        `Team: ${lab.user('bob').address}, "Ünal, Carol" <${lab.user('carol').address}>;`,
      )
      expect(await composer.getByRole('textbox', { name: 'Bcc' }).inputValue()).toBe(lab.user('dave').address)
      await composer.getByText('Plan.pdf').waitFor()
      const body = composer.getByTestId('compose-body')
      expect(await body.innerHTML()).toContain('<b>Telefon</b>')
      await body.click()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(' Am Rechner fertig geschrieben.')
      await composer.getByText('Draft saved').waitFor({ timeout: 10_000 })
      await shot(page, 'composer-server-draft-light')
      // The server copy is replaced by Message-ID: one copy, with the new text (uploaded ~5 s after saving).
      await expect
        .poll(
          async () => {
            const copies = await copiesOf(phone, messageId, 'Drafts')
            return copies.length === 1 && copies[0]!.toString().includes('Am Rechner fertig')
              ? 'one new'
              : copies.length
          },
          { timeout: 30_000 },
        )
        .toBe('one new')
      await composer.getByRole('button', { name: 'Send' }).click()
      await composer.waitFor({ state: 'detached' })
      const parsed = await simpleParser(await delivered(bob, 'Entwurf vom Telefon'))
      expect(parsed.messageId).toBe(messageId)
      expect(parsed.inReplyTo).toBe('<parent-e2e@lab.test>')
      expect(parsed.text).toContain('Am Rechner fertig geschrieben.')
      expect(Buffer.compare(parsed.attachments.find((a) => a.filename === 'Plan.pdf')!.content, pdf)).toBe(0)
      await delivered(dave, 'Entwurf vom Telefon')
      // Sent: the Drafts folder no longer holds it.
      await expect
        .poll(async () => (await copiesOf(phone, messageId, 'Drafts')).length, { timeout: 20_000 })
        .toBe(0)

      // A draft beyond the parser's limits (multiparts nested 40 deep) is refused with the reason, not
      // parsed on the window's thread.
      const depth = 40
      const nested = [
        ...Array.from({ length: depth }, (_, i) => [
          `Content-Type: multipart/mixed; boundary="n${i}"`,
          '',
          `--n${i}`,
        ]),
        ['Content-Type: text/plain', '', 'deep'],
        ...Array.from({ length: depth }, (_, i) => [`--n${depth - 1 - i}--`]),
      ].flat()
      await phone.append(
        'Drafts',
        [
          `From: Alice <${lab.user('alice').address}>`,
          'Subject: Tiefer Entwurf',
          'MIME-Version: 1.0',
          ...nested,
          '',
        ].join('\r\n'),
        ['\\Draft', '\\Seen'],
      )
      await page.getByRole('button', { name: /^Send\/Receive/ }).click()
      await page.getByTestId('message-row').filter({ hasText: 'Tiefer Entwurf' }).click({ timeout: 30_000 })
      await page.getByTestId('draft-bar').getByRole('button', { name: 'Edit draft' }).click()
      await page
        .getByText(/This draft cannot be opened for editing: .*It stays in Drafts/)
        .first()
        .waitFor()
      expect(await page.getByTestId('composer').count()).toBe(0)
      // The toast's own animation keeps running: shot after a pause (this file's `shot`), in both themes.
      await shot(page, 'composer-draft-refused-light')
      await page.emulateMedia({ colorScheme: 'dark' })
      await shot(page, 'composer-draft-refused-dark')
      await page.emulateMedia({ colorScheme: 'light' })
    } finally {
      await phone.logout().catch(() => undefined)
    }
    expect(errors).toEqual([])
    await close()
  })

  it('warns before a message above SIZE, and shows a refused (quoted) recipient in the Outbox (light + dark)', async () => {
    const { lab } = env
    const { page, close, errors } = await ready('light')
    await page.getByRole('button', { name: /^New mail/ }).click()
    const composer = page.getByTestId('composer')
    // The account sends through port 587, which does not offer SMTPUTF8: said before Send, not after.
    await composer.getByRole('textbox', { name: 'To' }).fill(lab.user('bob').intlAddress)
    await composer.getByTestId('smtputf8-warning').getByText(lab.user('bob').intlAddress).waitFor()
    await composer
      .getByRole('textbox', { name: 'To' })
      .fill(`${lab.user('bob').address}, "john doe"@${lab.domain}`)
    await composer.getByTestId('smtputf8-warning').waitFor({ state: 'detached' })
    await composer.getByLabel('Subject').fill('Teilweise abgelehnt')
    await composer.getByTestId('compose-body').click()
    await page.keyboard.type('Einer kommt nicht an.')
    // The lab's Postfix announces SIZE 10240000.
    await composer.getByTestId('compose-file-input').setInputFiles({
      name: 'Riesig.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(8_000_000, 0x42),
    })
    await composer.getByText(/more than the .* your server accepts/).waitFor()
    await composer.getByRole('button', { name: 'Send' }).click()
    const warning = page.getByRole('alertdialog', { name: 'This message is probably too large' })
    await warning.waitFor()
    await shot(page, 'composer-size-warning-light')
    await warning.getByRole('button', { name: 'Back to the message' }).click()
    await composer.getByRole('button', { name: 'Remove Riesig.bin' }).click()
    await composer.getByText(/more than the .* your server accepts/).waitFor({ state: 'detached' })
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.waitFor({ state: 'detached' })

    await delivered(bob, 'Teilweise abgelehnt')
    await page.getByRole('button', { name: /^Outbox/ }).click()
    const row = page.getByTestId('outbox-row').filter({ hasText: 'Teilweise abgelehnt' })
    await row
      .getByText(new RegExp(`^"john doe"@${lab.domain} did not get it: 55\\d`))
      .waitFor({ timeout: 30_000 })
    expect(await row.getAttribute('data-state')).toBe('sent')
    await shot(page, 'outbox-refused-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'outbox-refused-dark')
    await row.getByRole('button', { name: 'Dismiss' }).click()
    await row.waitFor({ state: 'detached' })
    expect(errors).toEqual([])
    await close()
  })

  it('shows the composer in light and dark for review', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, close } = await ready(scheme)
      await page.getByRole('button', { name: /^New mail/ }).click()
      const composer = page.getByTestId('composer')
      const to = composer.getByRole('textbox', { name: 'To' })
      await to.click()
      // Focus leaving and coming straight back (as when the dialog places focus while the user clicks in)
      // must not let the late close of the first blur hide the suggestions.
      await composer.getByLabel('Subject').focus()
      await to.focus()
      await to.pressSequentially('Bob')
      const suggestions = composer.getByRole('listbox', { name: 'To suggestions' })
      await suggestions.waitFor()
      await page.waitForTimeout(400)
      expect(await suggestions.isVisible()).toBe(true)
      await shot(page, `composer-autocomplete-${scheme}`)
      await composer.getByRole('button', { name: 'Discard' }).click()
      await close()
    }
  })
})
