import { randomBytes } from 'node:crypto'
import type { ImapFlow } from 'imapflow'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { connectOverMessageChannel } from '../core/rpc/test-kit'
import type { DraftContent, OutboxRow } from '../renderer/src/store/compose-rows'
import { folderId } from '../renderer/src/store/rows'
import { ComposeWorker } from '../renderer/src/sync/outbox/compose-worker'
import type { SendPoint } from '../renderer/src/sync/outbox/outbox-runner'
import { newMessageId } from '../shared/mail/message-id'
import { addSendingAccount, copiesOf, waitForCopies } from './compose-kit'
import { startSyncHarness, type SyncHarness } from './sync-harness'
import { readBody } from '../renderer/src/store/bodies/body-store'
import { folderMessages } from '../renderer/src/store/messages'

const FAST = { backoff: { delaysMs: [300, 600, 1_000] }, draftSyncDelayMs: 60_000 }

describe('outbox, Sent copy and drafts against the lab', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let bob: ImapFlow
  let aliceDevice: ImapFlow
  let alice: string
  const workers: ComposeWorker[] = []

  beforeAll(async () => {
    labHandle = await useLab()
    h = await startSyncHarness()
    alice = await addSendingAccount(h, labHandle.lab, 'alice')
    await h.engine.syncAll() // folders, so Sent and Drafts are known by their special use
    bob = await labHandle.lab.otherDevice('bob')
    aliceDevice = await labHandle.lab.otherDevice('alice')
  })
  afterAll(async () => {
    for (const w of workers) w.stop()
    await bob?.logout().catch(() => undefined)
    await aliceDevice?.logout().catch(() => undefined)
    await h?.dispose()
    await labHandle?.release()
  })

  function worker(opts: ConstructorParameters<typeof ComposeWorker>[2] = {}, client = h.connection.client) {
    const w = new ComposeWorker(h.store, client, { ...FAST, ...opts })
    workers.push(w)
    return w
  }

  function draft(subject: string, extra: Partial<DraftContent> = {}): DraftContent {
    const lab = labHandle.lab
    return {
      id: globalThis.crypto.randomUUID(),
      accountId: alice,
      messageId: newMessageId(lab.user('alice').address),
      from: { name: 'Alice Lab', address: lab.user('alice').address },
      to: [{ name: 'Bob', address: lab.user('bob').address }],
      cc: [],
      bcc: [],
      subject,
      html: '<p>Hello <b>Bob</b></p>',
      text: 'Hello *Bob*',
      attachments: [],
      inReplyTo: null,
      references: [],
      source: null,
      createdAt: Date.now(),
      ...extra,
    }
  }

  const row = (id: string): Promise<OutboxRow | undefined> => h.store.fast.outbox.get(id)
  const settled = (id: string) =>
    expect.poll(() => row(id), { timeout: 20_000, interval: 100 }).toBeUndefined()

  it('sends once, files one Sent copy (with Bcc), and removes the server draft', async () => {
    const w = worker()
    const d = draft('Outbox basic', { bcc: [{ name: '', address: labHandle.lab.user('carol').address }] })
    await w.saveDraft(d)
    await w.syncDraftNow(d.id)
    expect(await copiesOf(aliceDevice, d.messageId, 'Drafts')).toHaveLength(1)
    const { outboxId } = await w.sendDraft(d)
    expect(await h.store.fast.drafts.get(d.id)).toBeUndefined()
    await settled(outboxId)
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
    const sent = await copiesOf(aliceDevice, d.messageId, 'Sent')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.toString()).toMatch(/^Bcc: carol@/m)
    expect((await waitForCopies(bob, d.messageId))[0]!.toString()).not.toMatch(/^Bcc:/m)
    expect(await copiesOf(aliceDevice, d.messageId, 'Drafts')).toHaveLength(0)
    // A replayed Sent copy (crash after APPEND, before the row noted it) finds the first one.
    const again = await h.connection.client.call('compose.store-sent', {
      accountId: alice,
      folder: 'Sent',
      raw: new Uint8Array(sent[0]!),
      messageId: d.messageId,
    })
    expect(again.stored).toBe('exists')
  })

  it('two outbox runners over one store send a queued message once', async () => {
    // Queued by a worker that is not running, so neither runner below has seen it before both look.
    const queuer = worker()
    queuer.stop()
    const d = draft('Two runners, one send')
    const { outboxId } = await queuer.sendDraft(d)
    expect((await row(outboxId))?.state).toBe('queued')
    const [a, b] = [worker(), worker()]
    await Promise.all([a.outbox.kick(), b.outbox.kick()])
    await settled(outboxId)
    // Waits for a second copy long enough for it to arrive, if there were one.
    expect(await waitForCopies(bob, d.messageId, 2, 4_000)).toHaveLength(1)
  })

  it('a late autosave of a draft being sent does not bring the draft back', async () => {
    const w = worker()
    const d = draft('Sent while autosaving')
    await w.saveDraft(d)
    // The composer's autosave timer can fire while Send is still building the message.
    const sending = w.sendDraft(d)
    await w.saveDraft({ ...d, subject: 'Sent while autosaving (late save)' })
    const { outboxId } = await sending
    await w.saveDraft({ ...d, subject: 'Sent while autosaving (later save)' })
    expect(await h.store.fast.drafts.get(d.id)).toBeUndefined()
    await settled(outboxId)
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
    expect(await h.store.fast.drafts.get(d.id)).toBeUndefined()
  })

  it("moves a draft's server copy when From switches to another account's identity", async () => {
    const lab = labHandle.lab
    const bobAccount = await addSendingAccount(h, lab, 'bob')
    await h.engine.syncAll()
    const w = worker()
    const d = draft('Switched accounts')
    await w.saveDraft(d)
    await w.syncDraftNow(d.id)
    expect(await copiesOf(aliceDevice, d.messageId, 'Drafts')).toHaveLength(1)
    await w.saveDraft({
      ...d,
      accountId: bobAccount,
      from: { name: 'Bob', address: lab.user('bob').address },
    })
    await w.syncDraftNow(d.id)
    expect(await copiesOf(bob, d.messageId, 'Drafts')).toHaveLength(1)
    await expect.poll(async () => (await copiesOf(aliceDevice, d.messageId, 'Drafts')).length).toBe(0)
    await w.discardDraft(d.id)
    await w.syncDraftNow(d.id)
    expect(await copiesOf(bob, d.messageId, 'Drafts')).toHaveLength(0)
    await h.connection.client.call('accounts.remove', { id: bobAccount })
  })

  it('records per-recipient refusals and still delivers to the others', async () => {
    const w = worker()
    const d = draft('Partly refused', { cc: [{ name: '', address: `ghost@${labHandle.lab.domain}` }] })
    const { outboxId } = await w.sendDraft(d)
    await expect.poll(async () => (await row(outboxId))?.state, { timeout: 15_000 }).toBe('sent')
    const r = (await row(outboxId))!
    expect(r.accepted).toEqual([labHandle.lab.user('bob').address])
    expect(r.rejected).toEqual([
      expect.objectContaining({ address: `ghost@${labHandle.lab.domain}`, code: 'RECIPIENT_REJECTED' }),
    ])
    await w.resolve(outboxId, 'dismiss')
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
  })

  it('keeps a refused message as failed(needs user) with the reason', async () => {
    const w = worker()
    const d = draft('All refused', { to: [{ name: '', address: `ghost@${labHandle.lab.domain}` }] })
    const { outboxId } = await w.sendDraft(d)
    await expect.poll(async () => (await row(outboxId))?.state, { timeout: 15_000 }).toBe('failed')
    expect((await row(outboxId))?.lastError?.code).toBe('RECIPIENT_REJECTED')
    await w.resolve(outboxId, 'edit')
    expect(await row(outboxId)).toBeUndefined()
    expect((await h.store.fast.drafts.get(d.id))?.messageId).toBe(d.messageId)
  })

  it('autosaves drafts: one server copy per draft, replaced by Message-ID; reopening restores attachments', async () => {
    const w = worker()
    const bytes = new Uint8Array(randomBytes(30_000))
    const attachment = {
      id: 'a1',
      filename: 'Übersicht 2024.xlsx',
      contentType: 'application/vnd.ms-excel',
      size: bytes.length,
      content: bytes,
    }
    const d = draft('Draft v1', { attachments: [attachment] })
    await w.saveDraft(d)
    await w.syncDraftNow(d.id)
    await w.saveDraft({ ...d, subject: 'Draft v2 — geändert' })
    await w.syncDraftNow(d.id)
    const copies = await copiesOf(aliceDevice, d.messageId, 'Drafts')
    expect(copies).toHaveLength(1)
    const parsed = await simpleParser(copies[0]!)
    expect(parsed.subject).toBe('Draft v2 — geändert')
    expect(parsed.attachments[0]?.filename).toBe('Übersicht 2024.xlsx')
    expect(Buffer.compare(parsed.attachments[0]!.content, Buffer.from(bytes))).toBe(0)
    const reopened = await h.store.fast.drafts.get(d.id)
    expect(reopened?.attachments[0]?.content).toEqual(bytes)
    expect(reopened?.revision).toBe(reopened?.serverRevision)
    await w.discardDraft(d.id)
    await w.syncDraftNow(d.id)
    expect(await copiesOf(aliceDevice, d.messageId, 'Drafts')).toHaveLength(0)
    expect(await h.store.fast.drafts.get(d.id)).toBeUndefined()
  })

  /**
   * The app "dies" at a point of a send: its runner freezes there (no further write, as after a crash) and
   * its core connection closes (core drops the SMTP session). A fresh runner on the same store recovers.
   */
  async function dieAt(point: SendPoint, subject: string): Promise<{ d: DraftContent; outboxId: string }> {
    const conn = connectOverMessageChannel(h.core.rpc)
    let reached!: () => void
    const atPoint = new Promise<void>((resolve) => (reached = resolve))
    const w = worker(
      {
        at: (p) => {
          if (p !== point) return
          reached()
          return new Promise<void>(() => undefined)
        },
      },
      conn.client,
    )
    const d = draft(subject)
    const { outboxId } = await w.sendDraft(d)
    await atPoint
    w.stop()
    conn.close()
    return { d, outboxId }
  }

  async function restart(): Promise<ComposeWorker> {
    const conn = connectOverMessageChannel(h.core.rpc)
    const w = worker({}, conn.client)
    await w.start()
    return w
  }

  it('dies after marking the row sending, before DATA: recovered as queued, delivered exactly once', async () => {
    const { d, outboxId } = await dieAt('connecting', 'Crash before DATA')
    expect((await row(outboxId))?.state).toBe('sending')
    await restart()
    await settled(outboxId)
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
  })

  it('dies with the body sent but the final dot held: unknown, nothing delivered; "retry" delivers once', async () => {
    const { d, outboxId } = await dieAt('committing', 'Crash before the dot')
    const w = await restart()
    const recovered = (await row(outboxId))!
    expect(recovered.state).toBe('unknown')
    expect(recovered.lastError?.message).toMatch(/may or may not have been sent/)
    expect(await waitForCopies(bob, d.messageId, 1, 2_500)).toHaveLength(0)
    await w.resolve(outboxId, 'retry')
    await settled(outboxId)
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
  })

  it('dies after the commit, before the answer: unknown, delivered once, never re-sent by itself', async () => {
    const { d, outboxId } = await dieAt('committed', 'Crash after the dot')
    const w = await restart()
    expect((await row(outboxId))?.state).toBe('unknown')
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
    await w.outbox.kick()
    expect((await row(outboxId))?.state).toBe('unknown')
    await w.resolve(outboxId, 'mark-sent')
    await settled(outboxId)
    expect(await copiesOf(aliceDevice, d.messageId, 'Sent')).toHaveLength(1)
    expect(await copiesOf(bob, d.messageId)).toHaveLength(1)
  })

  it('loses core in the middle of a send (worker alive): retried, delivered exactly once', async () => {
    const conn = connectOverMessageChannel(h.core.rpc)
    const w = worker({ at: (p) => (p === 'connecting' ? conn.close() : undefined) }, conn.client)
    const d = draft('Core lost mid-send')
    const { outboxId } = await w.sendDraft(d)
    await expect
      .poll(async () => (await row(outboxId))?.lastError?.code, { timeout: 10_000 })
      .toBe('TRANSPORT_CLOSED')
    expect((await row(outboxId))?.state).toBe('queued')
    w.stop()
    await restart()
    await settled(outboxId)
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
  })

  it("files a POP3 account's sent mail in its local Sent folder", async () => {
    const lab = labHandle.lab
    const carol = lab.user('carol')
    const { account } = await h.connection.client.call('accounts.add', {
      account: {
        kind: 'pop3',
        name: 'carol pop',
        email: carol.address,
        incoming: { host: lab.host, port: lab.ports.pop3s, tls: 'implicit', username: carol.address },
        smtp: { host: lab.host, port: lab.ports.submissions, tls: 'implicit', username: carol.address },
        trustedCaPem: lab.caPem,
      },
      secrets: { incomingPassword: carol.password },
    })
    const w = worker()
    const d = draft('From POP3', { accountId: account.id, from: { name: 'Carol', address: carol.address } })
    const { outboxId } = await w.sendDraft(d)
    await settled(outboxId)
    const sent = await folderMessages(h.store.fast, folderId(account.id, 'Sent'))
    expect(sent.map((m) => m.messageId)).toEqual([d.messageId])
    expect(await readBody(h.store.fast, sent[0]!)).toBeDefined()
    expect(await waitForCopies(bob, d.messageId)).toHaveLength(1)
  })
})
