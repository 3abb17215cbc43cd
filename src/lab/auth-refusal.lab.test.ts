import { createTransport } from 'nodemailer'
import { describe, expect, it } from 'vitest'
import { imapClient, smtpTransport } from './testing/lab-clients'
import { Pop3LineClient } from './testing/pop3-line-client'
import { sharedLab } from './testing/shared-lab'
import { SmtpLine } from './testing/smtp-line'

// What the servers refuse. Not here: "IMAP/POP3 plaintext login without TLS is refused" — Dovecot treats
// loopback as a secured connection, so with disable_plaintext_auth = yes it still accepts LOGIN from
// 127.0.0.1 over plain TCP (mail-lab-notes.md). That rule must be tested on the client side.
const lab = sharedLab()
const sender = lab.user('erin')
const recipient = lab.user('frank')

describe('wrong passwords are refused', () => {
  it.each(['imaps', 'starttls'] as const)('IMAP (%s) answers NO [AUTHENTICATIONFAILED]', async (mode) => {
    const client = imapClient(lab, sender, mode, 'not-the-password')
    const error: unknown = await client.connect().then(
      () => new Error('login succeeded'),
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
      responseStatus: 'NO',
      executedCommand: expect.stringMatching(/AUTHENTICATE PLAIN$/),
    })
    client.close()
  })

  it.each([
    ['POP3S', true],
    ['POP3 + STLS', false],
  ] as const)('%s answers -ERR [AUTH]', async (_name, tls) => {
    const { client } = await Pop3LineClient.connect({
      host: lab.host,
      port: tls ? lab.ports.pop3s : lab.ports.pop3,
      tls,
      ca: lab.caPem,
    })
    try {
      if (!tls) expect((await client.stls()).ok).toBe(true)
      expect(await client.command(`USER ${sender.address}`)).toEqual({ ok: true, text: expect.any(String) })
      expect(await client.command('PASS not-the-password')).toEqual({
        ok: false,
        text: '[AUTH] Authentication failed.',
      })
      // The right password still works on a fresh attempt: the refusal was about the password.
      expect(await client.login(sender.address, sender.password)).toMatchObject({ ok: true })
    } finally {
      await client.quit()
    }
  })

  it.each(['submission', 'submissions'] as const)('submission (%s) answers 535 5.7.8', async (mode) => {
    const transport = smtpTransport(lab, sender, mode, 'not-the-password')
    try {
      const error = await transport
        .sendMail({ from: sender.address, to: recipient.address, subject: 'x', text: 'x' })
        .then(
          () => new Error('sent'),
          (e: unknown) => e,
        )
      expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 })
      expect((error as { response: string }).response).toMatch(/^535 5\.7\.8 Error: authentication failed/)
    } finally {
      transport.close()
    }
  })
})

describe('submission policy', () => {
  it('on the STARTTLS port offers no AUTH before STARTTLS and refuses AUTH with 530', async () => {
    const { smtp, greeting } = await SmtpLine.open(lab.ports.submission)
    try {
      expect(greeting).toMatch(/^220 localhost ESMTP/)
      const ehlo = await smtp.send('EHLO client.test')
      expect(ehlo).toMatch(/^250-STARTTLS$/m)
      expect(ehlo).not.toMatch(/AUTH/)
      const credentials = Buffer.from(`\0${sender.address}\0${sender.password}`).toString('base64')
      expect(await smtp.send(`AUTH PLAIN ${credentials}`)).toBe(
        '530 5.7.0 Must issue a STARTTLS command first',
      )
      expect(await smtp.send(`MAIL FROM:<${sender.address}>`)).toBe(
        '530 5.7.0 Must issue a STARTTLS command first',
      )
    } finally {
      smtp.close()
    }
  })

  it('refuses mail from an unauthenticated client even over TLS', async () => {
    // No credentials: nodemailer then skips AUTH and goes straight to MAIL FROM.
    const noAuth = createTransport({
      host: lab.host,
      port: lab.ports.submissions,
      secure: true,
      tls: { ca: [lab.caPem], servername: 'localhost' },
    })
    try {
      const error = await noAuth
        .sendMail({ from: sender.address, to: recipient.address, subject: 'x', text: 'x' })
        .then(
          () => new Error('sent'),
          (e: unknown) => e,
        )
      expect(error).toMatchObject({ code: 'EENVELOPE', responseCode: 554 })
      expect((error as { response: string }).response).toMatch(/Client host rejected: Access denied/)
    } finally {
      noAuth.close()
    }
  })

  it('refuses recipients outside the lab domain and unknown lab users, even when authenticated', async () => {
    const transport = smtpTransport(lab, sender, 'submissions')
    try {
      const outside = await transport
        .sendMail({ from: sender.address, to: 'someone@example.com', subject: 'x', text: 'x' })
        .then(
          () => new Error('sent'),
          (e: unknown) => e,
        )
      expect(outside).toMatchObject({ code: 'EENVELOPE', responseCode: 550 })
      expect((outside as { response: string }).response).toMatch(/delivers only to its own domain/)
      const unknown = await transport
        .sendMail({ from: sender.address, to: `nobody@${lab.domain}`, subject: 'x', text: 'x' })
        .then(
          () => new Error('sent'),
          (e: unknown) => e,
        )
      expect((unknown as { response: string }).response).toMatch(/^550 5\.1\.1 .*User unknown/)
    } finally {
      transport.close()
    }
  })
})
