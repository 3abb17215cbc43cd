import { describe, expect, it } from 'vitest'
import type { LabMaildirMessage } from './lab'
import { imapClient } from './testing/lab-clients'
import { sharedLab } from './testing/shared-lab'

const lab = sharedLab()

function message(i: number): LabMaildirMessage {
  const raw = Buffer.from(
    `Message-ID: <bulk-${i}@lab.test>\r\nSubject: bulk ${i}\r\n\r\n${'body line\r\n'.repeat(50)}`,
  )
  return {
    raw,
    flags: i % 3 === 0 ? ['\\Seen'] : i % 3 === 1 ? ['\\Flagged', '\\Seen'] : [],
    date: new Date(Date.UTC(2020, 0, 1) + i * 60_000),
  }
}

describe('loadMaildir', () => {
  it('bulk-loads messages that IMAP sees in order, with their flags and INTERNALDATE', async () => {
    const folder = `Bulk-${Date.now()}`
    const count = 3000
    const result = await lab.loadMaildir(
      'erin',
      folder,
      Array.from({ length: count }, (_, i) => message(i)),
    )
    expect(result.count).toBe(count)
    console.log(`loadMaildir: ${count} messages, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.ms} ms`)
    expect(result.ms).toBeLessThan(15_000)

    const client = imapClient(lab, lab.user('erin'), 'imaps')
    await client.connect()
    try {
      const box = await client.mailboxOpen(folder, { readOnly: true })
      expect(box.exists).toBe(count)
      let i = 0
      for await (const m of client.fetch('1:*', {
        uid: true,
        flags: true,
        envelope: true,
        internalDate: true,
      })) {
        const want = message(i)
        expect(m.uid).toBe(i + 1)
        expect(m.envelope?.subject).toBe(`bulk ${i}`)
        // \Recent is session state (RFC 3501), not something the Maildir stores.
        expect([...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort()).toEqual(
          [...(want.flags ?? [])].sort(),
        )
        expect(new Date(m.internalDate ?? 0).getTime()).toBe(want.date!.getTime())
        i++
      }
      expect(i).toBe(count)
      const listed = await client.list()
      expect(listed.find((l) => l.path === folder)?.subscribed).toBe(true)
    } finally {
      await client.logout()
    }
  })

  it('appends to INBOX behind existing mail with plain Buffers', async () => {
    const before = await lab.doveadm(['-f', 'flow', 'mailbox', 'status', '-u', 'frank', 'messages', 'INBOX'])
    const n = Number(/messages=(\d+)/.exec(before.stdout)?.[1])
    await lab.loadMaildir('frank', 'INBOX', [Buffer.from('Subject: plain buffer\r\n\r\nx\r\n')])
    const after = await lab.doveadm(['-f', 'flow', 'mailbox', 'status', '-u', 'frank', 'messages', 'INBOX'])
    expect(after.stdout).toContain(`messages=${n + 1}`)
  })
})
