import { MailError } from '../../../../shared/errors'
import { newMessageId } from '../../../../shared/mail/message-id'
import type { MailStore } from '../../store/mail-db'
import type { DraftContent, OutboxRow } from '../../store/compose-rows'
import type { CoreApi } from '../engine/core-api'
import { draftsFolder, saveDraftLocally, syncDraft, toOutgoing, type LeftDraftCopy } from './drafts'
import { OutboxRunner, type OutboxRunnerOptions } from './outbox-runner'

/** What the composer and the outbox view ask the sync worker (routed here from worker.ts). */
export type ComposeCommand =
  /** Autosave: stored locally at once, mirrored to the IMAP Drafts folder a few seconds later. */
  | { kind: 'save-draft'; draft: DraftContent }
  | { kind: 'discard-draft'; draftId: string }
  /** Saves, builds the final bytes (Message-ID and Date fixed) and queues them in the outbox. */
  | { kind: 'send-draft'; draft: DraftContent }
  | { kind: 'outbox-resolve'; outboxId: string; decision: 'retry' | 'mark-sent' | 'edit' | 'dismiss' }

const KINDS = new Set(['save-draft', 'discard-draft', 'send-draft', 'outbox-resolve'])

export function isComposeCommand(command: { kind: string }): command is ComposeCommand {
  return KINDS.has(command.kind)
}

export interface ComposeWorkerOptions extends OutboxRunnerOptions {
  /** Quiet time after the last local save before the draft goes to the server. */
  draftSyncDelayMs?: number
}

const DRAFT_RETRY_MS = 30_000

/** Drafts and the outbox of the writer worker. */
export class ComposeWorker {
  readonly outbox: OutboxRunner
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Drafts on their way into the outbox: an autosave that arrives late must not bring them back. */
  private readonly sending = new Set<string>()
  private stopped = false

  constructor(
    private readonly store: MailStore,
    private readonly core: CoreApi,
    private readonly opts: ComposeWorkerOptions = {},
  ) {
    this.outbox = new OutboxRunner(store, core, opts)
  }

  /** Recovers the outbox, sends what is due, and uploads drafts that are behind. */
  async start(): Promise<void> {
    await this.outbox.start()
    for (const row of await this.store.durable.drafts.toArray()) {
      if (row.discarded || row.revision !== row.serverRevision) this.scheduleDraft(row.id, 0)
    }
  }

  stop(): void {
    this.stopped = true
    this.outbox.stop()
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  handle(command: ComposeCommand): Promise<unknown> {
    switch (command.kind) {
      case 'save-draft':
        return this.saveDraft(command.draft)
      case 'discard-draft':
        return this.discardDraft(command.draftId)
      case 'send-draft':
        return this.sendDraft(command.draft)
      case 'outbox-resolve':
        return this.resolve(command.outboxId, command.decision)
    }
  }

  async saveDraft(draft: DraftContent): Promise<{ revision: number }> {
    if (this.sending.has(draft.id)) return { revision: 0 }
    const row = await saveDraftLocally(this.store, draft)
    if (row.left) this.removeLeftCopy(row.left)
    this.scheduleDraft(draft.id, this.opts.draftSyncDelayMs ?? 5_000)
    return { revision: row.revision }
  }

  /** Uploads (or removes) one draft now; exposed for tests and for "close the composer". */
  async syncDraftNow(draftId: string): Promise<void> {
    clearTimeout(this.timers.get(draftId))
    this.timers.delete(draftId)
    await syncDraft(this.store, this.core, draftId)
  }

  async discardDraft(draftId: string): Promise<void> {
    await this.store.durable.drafts.update(draftId, { discarded: true, updatedAt: Date.now() })
    this.scheduleDraft(draftId, 0)
  }

  /**
   * Queues a draft for sending. The bytes are built once, here, with the draft's Message-ID and the send
   * time as Date; every try sends exactly these bytes. The draft row becomes the outbox row in one
   * transaction, so the message is always in exactly one of the two.
   */
  async sendDraft(draft: DraftContent): Promise<{ outboxId: string }> {
    this.sending.add(draft.id)
    try {
      return await this.queueDraft(draft)
    } catch (error) {
      this.sending.delete(draft.id)
      throw error
    }
  }

  private async queueDraft(draft: DraftContent): Promise<{ outboxId: string }> {
    const saved = await saveDraftLocally(this.store, draft)
    if (saved.left) this.removeLeftCopy(saved.left)
    const message = toOutgoing(draft, Date.now())
    const built = await this.core.call('compose.build', { message })
    if (built.recipients.length === 0) {
      throw new MailError('INVALID_PARAMS', 'Add at least one recipient in To, Cc or Bcc.')
    }
    const copy =
      draft.bcc.length > 0 ? await this.core.call('compose.build', { message, keepBcc: true }) : null
    const now = Date.now()
    const row: OutboxRow = {
      id: globalThis.crypto.randomUUID(),
      accountId: draft.accountId,
      messageId: draft.messageId,
      createdAt: now,
      updatedAt: now,
      state: 'queued',
      phase: null,
      attempts: 0,
      nextAttemptAt: now,
      raw: built.raw,
      sentCopy: copy?.raw ?? null,
      envelope: { from: draft.from.address, to: built.recipients },
      subject: draft.subject,
      draft,
      // A draft opened from the server (another device saved it) has no upload of ours yet; its copy is
      // still removed after sending: by Message-ID, so nothing else in Drafts is touched.
      draftFolder: saved.serverFolder ?? (await draftsFolder(this.store, draft.accountId)),
      lastError: null,
      accepted: [],
      rejected: [],
      sentAt: null,
      followUp: { sentCopy: 'pending', draftRemoved: false, sourceFlagged: false },
    }
    const db = this.store.durable
    await db.transaction('rw', db.outbox, db.drafts, async () => {
      await db.outbox.add(row)
      await db.drafts.delete(draft.id)
    })
    clearTimeout(this.timers.get(draft.id))
    this.timers.delete(draft.id)
    void this.outbox.kick()
    return { outboxId: row.id }
  }

  /** The user's decision on a row that waits for one (see the state machine). */
  async resolve(id: string, decision: 'retry' | 'mark-sent' | 'edit' | 'dismiss'): Promise<void> {
    const db = this.store.durable
    const row = await db.outbox.get(id)
    if (!row) throw new MailError('NOT_FOUND', 'This message is no longer in the outbox.')
    const waiting = row.state === 'failed' || row.state === 'unknown'
    if (decision === 'dismiss') {
      if (row.state !== 'sent') throw new MailError('INVALID_PARAMS', 'Only sent messages can be dismissed.')
      await db.outbox.delete(id)
      return
    }
    if (!waiting) throw new MailError('INVALID_PARAMS', 'This message is not waiting for a decision.')
    if (decision === 'retry') {
      await db.outbox.update(id, {
        state: 'queued',
        attempts: 0,
        nextAttemptAt: Date.now(),
        updatedAt: Date.now(),
      })
    } else if (decision === 'mark-sent') {
      await db.outbox.update(id, {
        state: 'sent',
        sentAt: Date.now(),
        lastError: null,
        updatedAt: Date.now(),
      })
    } else {
      // Back to the composer. After 'unknown' the old Message-ID may have been delivered: an edited message
      // gets a new one, or recipients' clients could hide it as a duplicate.
      const messageId = row.state === 'unknown' ? newMessageId(row.draft.from.address) : row.draft.messageId
      this.sending.delete(row.draft.id)
      await db.transaction('rw', db.outbox, db.drafts, async () => {
        await db.drafts.put({
          ...row.draft,
          messageId,
          updatedAt: Date.now(),
          revision: 1,
          serverRevision: 0,
          serverFolder: null,
          discarded: false,
        })
        await db.outbox.delete(id)
      })
      this.scheduleDraft(row.draft.id, 0)
    }
    void this.outbox.kick()
  }

  /**
   * Best effort: the copy in the previous account's Drafts is a stale duplicate, not the user's only copy
   * (that is the local draft, now saved to the new account), so a failure here loses nothing.
   */
  private removeLeftCopy(left: LeftDraftCopy): void {
    void this.core.call('compose.remove-draft', left).catch(() => undefined)
  }

  private scheduleDraft(draftId: string, delayMs: number): void {
    if (this.stopped) return
    clearTimeout(this.timers.get(draftId))
    this.timers.set(
      draftId,
      setTimeout(() => {
        this.timers.delete(draftId)
        syncDraft(this.store, this.core, draftId).catch(() => this.scheduleDraft(draftId, DRAFT_RETRY_MS))
      }, delayMs),
    )
  }
}
