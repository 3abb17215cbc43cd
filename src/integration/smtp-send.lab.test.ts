import { randomBytes, randomUUID } from 'node:crypto'
import type { ImapFlow } from 'imapflow'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { openSmtpSession } from '../core/smtp/smtp-session'
import { createTcpProxy } from '../lab/lab'
import type { OutgoingMessage } from '../shared/contract/compose'
import { MailError } from '../shared/errors'
import { addSendingAccount, copiesOf, waitForCopies } from './compose-kit'
import { startSyncHarness, type SyncHarness } from './sync-harness'

// Core's smtp.* and compose.build against the real lab: what arrives is read back byte for byte by another
// client, and every error the contract names is produced by the real Postfix (or a real TLS/TCP failure).
describe('smtp.send through the lab submission server', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let bob: ImapFlow
  let carol: ImapFlow
  let alice: string
  const domain = (): string => labHandle.lab.domain
  const call = (): SyncHarness['connection']['client'] => h.connection.client

  beforeAll(async () => {
    labHandle = await useLab()
    h = await startSyncHarness()
    alice = await addSendingAccount(h, labHandle.lab, 'alice')
    bob = await labHandle.lab.otherDevice('bob')
    carol = await labHandle.lab.otherDevice('carol')
  })
  afterAll(async () => {
    await bob?.logout().catch(() => undefined)
    await carol?.logout().catch(() => undefined)
    await h?.dispose()
    await labHandle?.release()
  })

  const newId = (tag: string): string => `<${tag}-${randomUUID()}@${domain()}>`

  async function send(message: OutgoingMessage, accountId = alice) {
    const built = await call().call('compose.build', { message })
    return call().call('smtp.send', {
      accountId,
      raw: built.raw,
      envelope: { from: message.from.address, to: built.recipients },
    })
  }

  async function sendError(message: OutgoingMessage, accountId = alice): Promise<MailError> {
    const error = await send(message, accountId).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MailError)
    return error as MailError
  }

  const simple = (to: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    messageId: newId('err'),
    date: Date.now(),
    from: { name: 'Alice', address: labHandle.lab.user('alice').address },
    to: [{ name: '', address: to }],
    text: 'hi',
    ...extra,
  })

  it('delivers names, subject, groups, MIME tree and attachment bytes intact (two-phase send)', async () => {
    const lab = labHandle.lab
    const messageId = newId('full')
    const pdf = randomBytes(70_000)
    const forwarded = Buffer.from(
      `From: x@${domain()}\r\nSubject: Orig\r\nMessage-ID: <orig@${domain()}>\r\n\r\nbody\r\n`,
    )
    const message: OutgoingMessage = {
      messageId,
      date: Date.UTC(2024, 4, 1, 12, 0, 0),
      from: { name: 'Zoë Ångström, Jr.', address: lab.user('alice').address },
      to: [{ name: 'Bob "the" Builder', address: lab.user('bob').address }],
      cc: [{ group: 'Équipe', members: [{ name: 'Carol Ünal', address: lab.user('carol').address }] }],
      subject: 'Grüße — 日本語の件名 that is long enough to be folded across several encoded words',
      text: 'Hallo Bob,\n\nschöne Grüße.\n',
      html: '<p>Hallo Bob,</p><p><b>schöne</b> Grüße.</p>',
      inReplyTo: `<parent@${domain()}>`,
      references: [`<root@${domain()}>`, `<parent@${domain()}>`],
      attachments: [
        {
          filename: 'Résumé – 履歴書 with a rather long file name.pdf',
          contentType: 'application/pdf',
          content: pdf,
        },
        { filename: 'Orig.eml', contentType: 'message/rfc822', content: forwarded },
      ],
    }
    const built = await call().call('compose.build', { message })
    const chunks: string[] = []
    const result = await call().call(
      'smtp.send',
      {
        accountId: alice,
        raw: built.raw,
        envelope: { from: lab.user('alice').address, to: built.recipients },
        hold: true,
      },
      {
        onChunk: (chunk) => {
          chunks.push(chunk.phase)
          void call().call('smtp.commit', { ticket: chunk.ticket })
        },
      },
    )
    expect(chunks).toEqual(['ready'])
    expect(result.accepted.sort()).toEqual([lab.user('bob').address, lab.user('carol').address].sort())
    expect(result.rejected).toEqual([])
    expect(result.response).toMatch(/^250 /)
    expect(result.limits.maxSize).toBeGreaterThan(1_000_000)

    const [delivered] = await waitForCopies(bob, messageId)
    expect(await copiesOf(carol, messageId)).toHaveLength(1)
    const text = delivered!.toString('latin1')
    // RFC 2047 encoded-words for the non-ASCII display names and subject, RFC 2231 for the filename.
    expect(text).toMatch(/^From: =\?UTF-8\?Q\?Zo=C3=AB/m)
    expect(text).toMatch(/^Subject: =\?UTF-8\?/m)
    expect(text).toMatch(/filename\*0\*=utf-8''R%C3%A9sum%C3%A9/)
    expect(text).not.toMatch(/^Bcc:/m)
    const parsed = await simpleParser(delivered!)
    expect(parsed.from?.value).toEqual([{ name: 'Zoë Ångström, Jr.', address: lab.user('alice').address }])
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : undefined).toMatchObject({
      name: 'Bob "the" Builder',
    })
    expect(text).toMatch(/^Cc: =\?UTF-8\?Q\?=C3=89quipe\?=:/m)
    expect(parsed.subject).toBe(message.subject)
    expect(parsed.messageId).toBe(messageId)
    expect(parsed.inReplyTo).toBe(`<parent@${domain()}>`)
    expect(parsed.references).toEqual([`<root@${domain()}>`, `<parent@${domain()}>`])
    // mailparser appends the forwarded message's text; the own text part comes first.
    expect(parsed.text).toMatch(/^Hallo Bob,\n\nschöne Grüße\.\n/)
    expect(parsed.html).toContain('<b>schöne</b>')
    const pdfPart = parsed.attachments.find((a) => a.contentType === 'application/pdf')
    expect(pdfPart?.filename).toBe('Résumé – 履歴書 with a rather long file name.pdf')
    expect(Buffer.compare(pdfPart!.content, pdf)).toBe(0)
    // MIME tree as the server sees it: mixed(alternative(plain, html), pdf, message/rfc822).
    const lock = await bob.getMailboxLock('INBOX')
    try {
      const [uid] = (await bob.search({ header: { 'message-id': messageId } }, { uid: true })) || []
      const msg = await bob.fetchOne(String(uid), { bodyStructure: true }, { uid: true })
      const tree = msg !== false ? msg.bodyStructure : undefined
      expect(tree?.type).toBe('multipart/mixed')
      expect(tree?.childNodes?.map((n) => n.type)).toEqual([
        'multipart/alternative',
        'application/pdf',
        'message/rfc822',
      ])
      expect(tree?.childNodes?.[0]?.childNodes?.map((n) => n.type)).toEqual(['text/plain', 'text/html'])
    } finally {
      lock.release()
    }
  })

  it('SMTPUTF8: sends from and to internationalized addresses where offered; the bytes arrive as UTF-8', async () => {
    const lab = labHandle.lab
    // The lab's submissions port offers SMTPUTF8 (RFC 6531), its submission port does not.
    const intl = await addSendingAccount(h, lab, 'alice', {
      smtp: { port: lab.ports.submissions, tls: 'implicit' },
    })
    expect((await call().call('smtp.limits', { accountId: intl })).smtpUtf8).toBe(true)
    const messageId = newId('utf8')
    const message: OutgoingMessage = {
      messageId,
      date: Date.now(),
      from: { name: 'Alice Grüße', address: lab.user('alice').intlAddress },
      to: [{ name: 'Bob', address: lab.user('bob').intlAddress }],
      subject: 'Internationale Adressen',
      text: 'Grüße an grüße.\n',
    }
    const result = await send(message, intl)
    expect(result.accepted).toEqual([lab.user('bob').intlAddress])
    const [delivered] = await waitForCopies(bob, messageId)
    expect(delivered).toBeDefined()
    const text = delivered!.toString('utf8')
    // RFC 6532: the addresses travel as raw UTF-8 in the headers and in the envelope (Return-Path).
    expect(text).toMatch(new RegExp(`^Return-Path: <${lab.user('alice').intlAddress}>`, 'm'))
    expect(text).toMatch(new RegExp(`^To: Bob <${lab.user('bob').intlAddress}>`, 'm'))
    expect(text).toContain(`<${lab.user('alice').intlAddress}>`)
    const parsed = await simpleParser(delivered!)
    expect(parsed.from?.value).toEqual([{ name: 'Alice Grüße', address: lab.user('alice').intlAddress }])
    expect(parsed.text).toBe('Grüße an grüße.\n')
  })

  it('without SMTPUTF8: a non-ASCII local part is a clear CAPABILITY_MISSING, an IDN domain goes as its A-label', async () => {
    const lab = labHandle.lab
    expect((await call().call('smtp.limits', { accountId: alice })).smtpUtf8).toBe(false)
    const local = await sendError(simple(lab.user('bob').intlAddress))
    expect(local.code).toBe('CAPABILITY_MISSING')
    expect(local.message).toContain(lab.user('bob').intlAddress)
    expect(local.message).toMatch(/does not support international addresses/)
    // bücher.example has an ASCII form that means the same; the server sees it (and refuses to relay).
    const idn = await sendError(simple('info@bücher.example'))
    expect(idn.code).toBe('RECIPIENT_REJECTED')
    expect(idn.detail).toContain('info@xn--bcher-kva.example')
  })

  it('reports per-recipient refusals when some recipients are accepted', async () => {
    const lab = labHandle.lab
    const message = simple(lab.user('bob').address, {
      cc: [{ name: '', address: `nobody-here@${domain()}` }],
    })
    const result = await send(message)
    expect(result.accepted).toEqual([lab.user('bob').address])
    expect(result.rejected).toEqual([
      {
        address: `nobody-here@${domain()}`,
        code: 'RECIPIENT_REJECTED',
        response: expect.stringMatching(/^550 5\.1\.1/),
      },
    ])
    expect(await waitForCopies(bob, message.messageId)).toHaveLength(1)
  })

  it('RECIPIENT_REJECTED when every recipient is unknown', async () => {
    const error = await sendError(simple(`nobody-here@${domain()}`))
    expect(error.code).toBe('RECIPIENT_REJECTED')
    expect(error.detail).toMatch(/nobody-here@.*550 5\.1\.1/)
  })

  it('MESSAGE_TOO_LARGE when the server refuses the size it announced in EHLO', async () => {
    const { maxSize } = await call().call('smtp.limits', { accountId: alice })
    expect(maxSize).toBeGreaterThan(0)
    const big = simple(labHandle.lab.user('bob').address, {
      attachments: [
        {
          filename: 'big.bin',
          contentType: 'application/octet-stream',
          content: randomBytes(maxSize! * 0.76),
        },
      ],
    })
    const error = await sendError(big)
    expect(error.code).toBe('MESSAGE_TOO_LARGE')
    expect(error.detail).toMatch(/^552/)
  })

  it('AUTH_FAILED with a wrong SMTP password', async () => {
    const wrong = await addSendingAccount(h, labHandle.lab, 'alice', { smtpPassword: 'not-the-password' })
    const error = await sendError(simple(labHandle.lab.user('bob').address), wrong)
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.detail).toMatch(/^535/)
  })

  it('TLS_UNTRUSTED when the account does not trust the lab CA', async () => {
    const untrusted = await addSendingAccount(h, labHandle.lab, 'alice', { trust: false })
    const error = await sendError(simple(labHandle.lab.user('bob').address), untrusted)
    expect(error.code).toBe('TLS_UNTRUSTED')
  })

  it('TLS_REQUIRED when implicit TLS meets the STARTTLS port', async () => {
    const wrongMode = await addSendingAccount(h, labHandle.lab, 'alice', {
      smtp: { port: labHandle.lab.ports.submission, tls: 'implicit' },
    })
    const error = await sendError(simple(labHandle.lab.user('bob').address), wrongMode)
    expect(error.code).toBe('TLS_REQUIRED')
  })

  it('TIMEOUT when the link stalls in the middle of the message', async () => {
    const lab = labHandle.lab
    const proxy = await createTcpProxy({ targetPort: lab.ports.submissions })
    try {
      const session = await openSmtpSession({
        server: {
          host: lab.host,
          port: proxy.port,
          tls: 'implicit',
          username: lab.user('alice').address,
          allowPlaintext: false,
        },
        password: lab.user('alice').password,
        ca: [lab.caPem],
        timeoutMs: 1_500,
      })
      proxy.stall()
      const error = await session
        .send(
          { from: lab.user('alice').address, to: [lab.user('bob').address] },
          Buffer.from('Subject: x\r\n\r\nx\r\n'),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(error).toBeInstanceOf(MailError)
      expect((error as MailError).code).toBe('TIMEOUT')
    } finally {
      proxy.resume()
      await proxy.close()
    }
  })

  it('never delivers a held send that is cancelled before the commit', async () => {
    const lab = labHandle.lab
    const message = simple(lab.user('bob').address)
    const built = await call().call('compose.build', { message })
    const controller = new AbortController()
    const error = await call()
      .call(
        'smtp.send',
        {
          accountId: alice,
          raw: built.raw,
          envelope: { from: message.from.address, to: built.recipients },
          hold: true,
        },
        { signal: controller.signal, onChunk: () => controller.abort() },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect((error as MailError).code).toBe('CANCELLED')
    expect(await waitForCopies(bob, message.messageId, 1, 2_500)).toHaveLength(0)
    expect(await call().call('smtp.commit', { ticket: 'f'.repeat(32) })).toEqual({ committed: false })
  })
})
