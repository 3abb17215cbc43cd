import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../lab'
import { eventually, imapClient, smtpTransport, uniqueMessage } from '../testing/lab-clients'

// Killing servers would break every other test, so this file runs its own lab.
let lab: Lab

beforeAll(async () => {
  lab = await startLab({ users: [{ name: 'erin' }, { name: 'frank' }] })
})

afterAll(async () => {
  await lab?.stop()
})

function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' })
    s.once('connect', () => {
      s.destroy()
      resolve('connected')
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
  })
}

async function inboxCount(userName: string): Promise<number> {
  const client = imapClient(lab, lab.user(userName), 'imaps')
  await client.connect()
  try {
    const status = await client.status('INBOX', { messages: true })
    return status ? (status.messages ?? -1) : -1
  } finally {
    await client.logout()
  }
}

describe('Dovecot faults', () => {
  it('kill() drops live sessions and refuses connections; restart() serves the same mail again', async () => {
    await lab.deliver('erin', 'Subject: before the crash\r\n\r\nkept\r\n')
    const live = imapClient(lab, lab.user('erin'), 'imaps')
    await live.connect()
    const closed = new Promise<void>((resolve) => live.once('close', () => resolve()))
    await lab.dovecot.kill()
    await closed
    expect(live.usable).toBe(false)
    for (const port of [lab.ports.imap, lab.ports.imaps, lab.ports.pop3, lab.ports.pop3s, lab.ports.lmtp]) {
      expect(await connectError(port)).toBe('ECONNREFUSED')
    }
    await lab.dovecot.restart()
    expect(await inboxCount('erin')).toBe(1)
  })

  it('kickUser() cuts only that user', async () => {
    const erin = imapClient(lab, lab.user('erin'), 'imaps')
    const frank = imapClient(lab, lab.user('frank'), 'imaps')
    await Promise.all([erin.connect(), frank.connect()])
    const closed = new Promise<void>((resolve) => erin.once('close', () => resolve()))
    expect(await lab.kickUser('erin')).toBe(true)
    await closed
    expect(erin.usable).toBe(false)
    expect(frank.usable).toBe(true)
    expect(await frank.status('INBOX', { messages: true })).toMatchObject({ path: 'INBOX' })
    await frank.logout()
    expect(await lab.kickUser('erin')).toBe(false)
  })
})

describe('Postfix faults', () => {
  it('stop() refuses submission; start() accepts and delivers again', async () => {
    await lab.postfix.stop()
    expect(await connectError(lab.ports.submission)).toBe('ECONNREFUSED')
    expect(await connectError(lab.ports.submissions)).toBe('ECONNREFUSED')
    await lab.postfix.start()
    const { messageId, subject } = uniqueMessage('after-restart', lab.domain)
    const transport = smtpTransport(lab, lab.user('erin'), 'submissions')
    try {
      const info = await transport.sendMail({
        from: lab.user('erin').address,
        to: lab.user('frank').address,
        subject,
        messageId,
        text: 'x',
      })
      expect(info.accepted).toEqual([lab.user('frank').address])
    } finally {
      transport.close()
    }
    expect(await eventually(async () => ((await inboxCount('frank')) === 1 ? true : undefined))).toBe(true)
  })
})
