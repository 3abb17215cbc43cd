import type { OutgoingMessage } from '../../../../shared/contract/compose'
import { withoutUnusedInline } from '../../../../shared/mail/inline-images'
import type { MailStore } from '../../store/mail-db'
import type { DraftContent, DraftRow } from '../../store/compose-rows'
import type { CoreApi } from '../engine/core-api'

/** The message a draft describes, as core builds it; `date` is fixed by the caller (send time, save time). */
export function toOutgoing(draft: DraftContent, date: number): OutgoingMessage {
  return {
    messageId: draft.messageId,
    date,
    from: draft.from,
    to: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
    subject: draft.subject,
    text: draft.text,
    html: draft.html.trim() === '' ? null : draft.html,
    inReplyTo: draft.inReplyTo,
    references: draft.references,
    attachments: withoutUnusedInline(draft.html, draft.attachments).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId === undefined ? {} : { contentId: a.contentId }),
    })),
  }
}

/**
 * Saves the composer's state locally (strict durability: it exists nowhere else) and bumps its revision,
 * so the server copy is known to be behind. Returns the saved row.
 */
export async function saveDraftLocally(
  store: MailStore,
  draft: DraftContent,
): Promise<DraftRow & { left: LeftDraftCopy | null }> {
  const db = store.durable
  return db.transaction('rw', db.drafts, async () => {
    const previous = await db.drafts.get(draft.id)
    // From changed to another account's identity: its copy belongs in that account's Drafts now.
    const moved = previous !== undefined && previous.accountId !== draft.accountId
    const row: DraftRow = {
      ...draft,
      updatedAt: Date.now(),
      revision: (previous?.revision ?? 0) + 1,
      serverRevision: moved ? 0 : (previous?.serverRevision ?? 0),
      serverFolder: moved ? null : (previous?.serverFolder ?? null),
      discarded: false,
    }
    await db.drafts.put(row)
    const left =
      moved && previous.serverFolder !== null
        ? { accountId: previous.accountId, folder: previous.serverFolder, messageId: previous.messageId }
        : null
    return Object.assign(row, { left })
  })
}

/** A server copy a draft left behind in another account's Drafts when its From moved to this account. */
export interface LeftDraftCopy {
  accountId: string
  folder: string
  messageId: string
}

/** The account's IMAP Drafts folder; null for POP3 accounts and IMAP servers without one. */
export async function draftsFolder(store: MailStore, accountId: string): Promise<string | null> {
  const folders = await store.fast.folders.where('accountId').equals(accountId).toArray()
  return folders.find((f) => f.specialUse === 'drafts' && f.selectable && !f.local)?.path ?? null
}

/**
 * Brings the server's Drafts folder in line with one local draft: the newest revision replaces older copies
 * (by Message-ID), a discarded draft is removed there and then here. POP3 accounts (no IMAP folder) keep
 * drafts locally only. Network errors propagate; the caller tries again later.
 */
export async function syncDraft(store: MailStore, core: CoreApi, draftId: string): Promise<void> {
  const db = store.durable
  const row = await db.drafts.get(draftId)
  if (!row) return
  if (row.discarded) {
    if (row.serverFolder !== null) {
      await core.call('compose.remove-draft', {
        accountId: row.accountId,
        folder: row.serverFolder,
        messageId: row.messageId,
      })
    }
    await db.drafts.delete(draftId)
    return
  }
  if (row.revision === row.serverRevision) return
  const folder = row.serverFolder ?? (await draftsFolder(store, row.accountId))
  if (folder === null) return
  const { raw } = await core.call('compose.build', { message: toOutgoing(row, row.updatedAt), keepBcc: true })
  await core.call('compose.save-draft', { accountId: row.accountId, folder, raw, messageId: row.messageId })
  await db.transaction('rw', db.drafts, async () => {
    const current = await db.drafts.get(draftId)
    // Only what was uploaded counts as on the server; a newer local save stays "behind".
    if (current) await db.drafts.update(draftId, { serverRevision: row.revision, serverFolder: folder })
  })
}
