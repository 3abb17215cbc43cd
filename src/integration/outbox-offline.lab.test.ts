import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec } from '../lab/exec'
import { startLab, type Lab } from '../lab/lab'
import { ComposeWorker } from '../renderer/src/sync/outbox/compose-worker'
import { MailError } from '../shared/errors'
import { newMessageId } from '../shared/mail/message-id'
import { addSendingAccount, waitForCopies } from './compose-kit'
import { startSyncHarness, type SyncHarness } from './sync-harness'

// Stops and reconfigures Postfix, so it runs on a private lab, never on the suite's shared one.
describe('outbox with the submission server down, and a server that refuses to relay', () => {
  let lab: Lab
  let h: SyncHarness
  let bob: ImapFlow
  let alice: string

  beforeAll(async () => {
    lab = await startLab()
    h = await startSyncHarness()
    alice = await addSendingAccount(h, lab, 'alice')
    await h.engine.syncAll()
    bob = await lab.otherDevice('bob')
  })
  afterAll(async () => {
    await bob?.logout().catch(() => undefined)
    await h?.dispose()
    await lab?.stop()
  })

  it('waits while the server is down, then delivers exactly once when it is back', async () => {
    const w = new ComposeWorker(h.store, h.connection.client, { backoff: { delaysMs: [200, 400, 800] } })
    await lab.postfix.stop()
    const messageId = newMessageId(lab.user('alice').address)
    try {
      const { outboxId } = await w.sendDraft({
        id: 'offline-1',
        accountId: alice,
        messageId,
        from: { name: 'Alice', address: lab.user('alice').address },
        to: [{ name: 'Bob', address: lab.user('bob').address }],
        cc: [],
        bcc: [],
        subject: 'Written offline',
        html: '',
        text: 'Sent when the server came back.',
        attachments: [],
        inReplyTo: null,
        references: [],
        source: null,
        createdAt: Date.now(),
      })
      await expect
        .poll(async () => (await h.store.fast.outbox.get(outboxId))?.attempts ?? 0, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(3)
      const waiting = await h.store.fast.outbox.get(outboxId)
      expect(waiting?.state === 'queued' || waiting?.state === 'sending').toBe(true)
      expect(waiting?.lastError?.code).toBe('CONNECTION_REFUSED')
      await lab.postfix.start()
      await expect.poll(() => h.store.fast.outbox.get(outboxId), { timeout: 20_000 }).toBeUndefined()
      expect(await waitForCopies(bob, messageId, 1, 15_000)).toHaveLength(1)
    } finally {
      w.stop()
      await lab.postfix.start().catch(() => undefined)
    }
  })

  it('RELAY_DENIED from a server that relays only to its own domain', async () => {
    await exec('postconf', [
      '-c',
      lab.paths.postfixDir,
      '-e',
      'smtpd_relay_restrictions=reject_unauth_destination',
    ])
    await lab.postfix.stop()
    await lab.postfix.start()
    const { raw } = await h.connection.client.call('compose.build', {
      message: {
        messageId: newMessageId(lab.user('alice').address),
        date: Date.now(),
        from: { name: '', address: lab.user('alice').address },
        to: [{ name: '', address: 'someone@example.com' }],
        text: 'x',
      },
    })
    const error = await h.connection.client
      .call('smtp.send', {
        accountId: alice,
        raw,
        envelope: { from: lab.user('alice').address, to: ['someone@example.com'] },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).code).toBe('RELAY_DENIED')
    expect((error as MailError).detail).toMatch(/someone@example\.com: 554 5\.7\.1 .*Relay access denied/)
  })
})
