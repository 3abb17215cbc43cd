import { describe, expect, it } from 'vitest'
import { imapClient } from '../testing/lab-clients'
import { sharedLab } from '../testing/shared-lab'

const lab = sharedLab()

describe('mailbox faults on the shared lab', () => {
  it('resetUidValidity() gives the folder a UIDVALIDITY imapflow sees change, keeping the mail', async () => {
    const folder = `Reset-${Date.now()}`
    await lab.deliver('erin', 'Subject: survives\r\n\r\nx\r\n', { folder })
    const client = imapClient(lab, lab.user('erin'), 'imaps')
    await client.connect()
    try {
      const before = await client.mailboxOpen(folder)
      const next = await lab.resetUidValidity('erin', folder)
      expect(next).not.toBe(Number(before.uidValidity))
      await client.mailboxClose()
      const after = await client.mailboxOpen(folder)
      expect(Number(after.uidValidity)).toBe(next)
      expect(after.exists).toBe(1)
      expect(await lab.uidValidity('erin', folder)).toBe(next)
    } finally {
      await client.logout()
    }
  })

  it('otherDevice() changes flags and expunges where the client under test sees it', async () => {
    const folder = `Other-${Date.now()}`
    await lab.deliver('erin', 'Subject: one\r\n\r\nx\r\n', { folder })
    await lab.deliver('erin', 'Subject: two\r\n\r\nx\r\n', { folder })
    const other = await lab.otherDevice('erin')
    try {
      await other.mailboxOpen(folder)
      await other.messageFlagsAdd('1', ['\\Flagged'], { uid: true })
      await other.messageDelete('2', { uid: true })
    } finally {
      await other.logout()
    }
    const client = imapClient(lab, lab.user('erin'), 'starttls')
    await client.connect()
    try {
      await client.mailboxOpen(folder, { readOnly: true })
      const msgs = []
      for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true })) msgs.push(m)
      expect(msgs.map((m) => [m.uid, m.envelope?.subject, [...(m.flags ?? [])]])).toEqual([
        [1, 'one', ['\\Flagged']],
      ])
    } finally {
      await client.logout()
    }
  })
})
