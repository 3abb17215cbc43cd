import type { ImapFlow } from 'imapflow'
import { describe, expect, it } from 'vitest'
import { eventually, imapClient, smtpTransport, uniqueMessage } from './testing/lab-clients'
import { Pop3LineClient } from './testing/pop3-line-client'
import { sharedLab } from './testing/shared-lab'

// The "done when": mail sent with auth through Postfix (both TLS modes) lands in another
// user's INBOX and can be read over IMAP and POP3 in both TLS modes, trusting only the lab's CA.
const lab = sharedLab()
// erin and frank: the lab's own users, so other suites' assumptions about alice..dave hold.
const sender = lab.user('erin')
const recipient = lab.user('frank')

async function findByMessageId(
  client: ImapFlow,
  messageId: string,
): Promise<{ subject: string; uid: number } | undefined> {
  const lock = await client.getMailboxLock('INBOX')
  try {
    const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true })
    const uid = uids ? uids[0] : undefined
    if (uid === undefined) return undefined
    const msg = await client.fetchOne(String(uid), { envelope: true }, { uid: true })
    return msg === false ? undefined : { subject: msg.envelope?.subject ?? '', uid }
  } finally {
    lock.release()
  }
}

async function pop3Find(
  tls: boolean,
  messageId: string,
): Promise<{ uidl: string; size: number; raw: string }> {
  const { client, greeting } = await Pop3LineClient.connect({
    host: lab.host,
    port: tls ? lab.ports.pop3s : lab.ports.pop3,
    tls,
    ca: lab.caPem,
  })
  try {
    expect(greeting.ok).toBe(true)
    if (!tls) {
      expect((await client.multiline('CAPA')).lines).toContain('STLS')
      expect((await client.stls()).ok).toBe(true)
    }
    expect(client.encrypted).toBe(true)
    expect(await client.login(recipient.address, recipient.password)).toMatchObject({ ok: true })
    const sizes = await client.list()
    const uidls = await client.uidl()
    expect([...uidls.keys()]).toEqual([...sizes.keys()])
    for (const [n, size] of sizes) {
      const raw = await client.retr(n)
      if (raw.includes(`Message-ID: ${messageId}`)) return { uidl: uidls.get(n)!, size, raw }
    }
    throw new Error(`${messageId} not in the POP3 maildrop (${sizes.size} messages)`)
  } finally {
    await client.quit()
  }
}

describe('mail flow through the lab', () => {
  const sent: { mode: 'submission' | 'submissions'; messageId: string; subject: string }[] = []

  it.each(['submission', 'submissions'] as const)(
    'sends with AUTH over %s, trusting only the lab CA',
    async (mode) => {
      const { messageId, subject } = uniqueMessage(mode, lab.domain)
      const transport = smtpTransport(lab, sender, mode)
      try {
        const info = await transport.sendMail({
          from: sender.address,
          to: recipient.address,
          subject,
          messageId,
          text: 'hi',
        })
        expect(info.accepted).toEqual([recipient.address])
        expect(info.rejected).toEqual([])
        expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]+/)
        sent.push({ mode, messageId, subject })
      } finally {
        transport.close()
      }
    },
  )

  it.each(['imaps', 'starttls'] as const)('reads both messages over IMAP (%s)', async (mode) => {
    expect(sent).toHaveLength(2)
    const client = imapClient(lab, recipient, mode)
    await client.connect()
    try {
      // "Is the connection currently encrypted": implicit TLS, or the upgrade doSTARTTLS insisted on.
      expect(client.secureConnection).toBe(true)
      for (const m of sent) {
        const found = await eventually(() => findByMessageId(client, m.messageId), 10_000, m.messageId)
        expect(found.subject).toBe(m.subject)
      }
    } finally {
      await client.logout()
    }
  })

  it.each([
    ['POP3S', true],
    ['POP3 + STLS', false],
  ] as const)('reads the message over %s with LIST/UIDL/RETR', async (_name, tls) => {
    const m = sent[0]!
    const found = await pop3Find(tls, m.messageId)
    expect(found.raw).toContain(`Subject: ${m.subject}`)
    // pop3_uidl_format = %08Xu%08Xv: UID then UIDVALIDITY, 8 hex digits each — lowercase, despite the X.
    const uidValidity = await lab.uidValidity(recipient.name, 'INBOX')
    expect(found.uidl).toMatch(/^[0-9a-f]{16}$/)
    expect(found.uidl.slice(8)).toBe(uidValidity.toString(16).padStart(8, '0'))
    expect(found.size).toBeGreaterThan(m.subject.length)
  })

  it('rejects a client that does not trust the lab CA', async () => {
    const client = imapClient({ ...lab.info(), caPem: '' }, recipient, 'imaps')
    await expect(client.connect()).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i)
  })
})
