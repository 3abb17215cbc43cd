import type { AccountConfig } from '../../../../shared/model/account'
import type { MailStore } from '../../store/mail-db'
import type { ComposeAddress, OutboxRow, RecipientEntry } from '../../store/compose-rows'
import type { MessageRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { threadKeyOf } from '../imap/header-to-row'
import { bumpCounts, localFolderByUse } from '../pop3/local-folders'
import { addMessage, messageTables } from '../../store/messages'

/**
 * Providers whose submission server files every sent message in Sent by itself (Gmail, Microsoft 365 /
 * Outlook.com): appending a copy would show the message twice. Elsewhere the Message-ID check of
 * `compose.store-sent` catches a server that already filed it.
 */
const SERVER_SAVES_SENT =
  /(^|\.)(gmail\.com|googlemail\.com|office365\.com|outlook\.com|hotmail\.com|live\.com)$/i

export function serverSavesSent(account: Pick<AccountConfig, 'smtp'>): boolean {
  return account.smtp !== null && SERVER_SAVES_SENT.test(account.smtp.host)
}

export interface FollowUpContext {
  store: MailStore
  core: CoreApi
  account: AccountConfig
  /** Marks the replied-to / forwarded message (\Answered, $Forwarded) through the action queue. */
  flagSource?: (messageId: number, flag: string) => Promise<void>
}

async function folderPathByUse(
  store: MailStore,
  accountId: string,
  use: 'sent' | 'drafts',
): Promise<string | null> {
  const folders = await store.fast.folders.where('accountId').equals(accountId).toArray()
  return folders.find((f) => f.specialUse === use && f.selectable)?.path ?? null
}

const flat = (entries: readonly RecipientEntry[]): ComposeAddress[] =>
  entries.flatMap((e) => ('group' in e ? e.members : [e]))

/**
 * POP3 accounts keep Sent locally: the message row and its bytes, written in the same transaction that
 * marks the follow-up done, so a crash can neither lose nor double it.
 */
async function storeLocalSent(store: MailStore, row: OutboxRow): Promise<void> {
  const db = store.durable
  const folder = await localFolderByUse(db, row.accountId, 'sent')
  const raw = row.sentCopy ?? row.raw
  const d = row.draft
  const message: MessageRow = {
    accountId: row.accountId,
    folderId: folder.id,
    uid: null,
    uidl: null,
    messageId: row.messageId,
    threadId: threadKeyOf({
      references: d.references,
      inReplyTo: d.inReplyTo,
      messageId: row.messageId,
      uid: 0,
    }),
    date: row.sentAt ?? Date.now(),
    from: [d.from],
    to: flat(d.to),
    cc: flat(d.cc),
    subject: d.subject,
    snippet: d.text.replace(/\s+/g, ' ').trim().slice(0, 200),
    flags: ['\\Seen'],
    unread: 0,
    flagged: 0,
    size: raw.byteLength,
    hasAttachments: d.attachments.length > 0 ? 1 : 0,
    bodyState: 'full',
  }
  await store.bodies.withAppended(row.accountId, [raw], (appended) =>
    db.transaction('rw', [db.outbox, ...messageTables(db), db.folders, db.bodyFiles], async () => {
      const current = await db.outbox.get(row.id)
      // Done already (a retry after a crash): the bytes just written are never pointed at.
      if (!current || current.followUp.sentCopy !== 'pending') return
      await addMessage(db, { ...message, body: appended.refs[0]! })
      await appended.commitIn(db)
      await bumpCounts(db, folder.id, 1, 0)
      await db.outbox.update(row.id, { followUp: { ...current.followUp, sentCopy: 'done' } })
    }),
  )
}

async function markFollowUp(
  store: MailStore,
  id: string,
  patch: Partial<OutboxRow['followUp']>,
): Promise<void> {
  const db = store.durable
  await db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(id)
    if (current) await db.outbox.update(id, { followUp: { ...current.followUp, ...patch } })
  })
}

/**
 * The work after a message was sent, each step recorded once done and idempotent if repeated: the Sent
 * copy (IMAP APPEND, skipped when the server files it itself or a copy with this Message-ID is there; a
 * local Sent message for POP3), the draft's removal from the server's Drafts, and the source message's flag.
 * A network error leaves the rest for the next run.
 */
export async function runFollowUps(ctx: FollowUpContext, row: OutboxRow): Promise<void> {
  const { store, core, account } = ctx
  if (row.followUp.sentCopy === 'pending') {
    if (account.kind === 'pop3') {
      await storeLocalSent(store, row)
    } else if (serverSavesSent(account)) {
      await markFollowUp(store, row.id, { sentCopy: 'skipped' })
    } else {
      const folder = await folderPathByUse(store, row.accountId, 'sent')
      if (folder === null) {
        await markFollowUp(store, row.id, { sentCopy: 'skipped' })
      } else {
        const raw = row.sentCopy ?? row.raw
        await core.call('compose.store-sent', {
          accountId: row.accountId,
          folder,
          raw,
          messageId: row.messageId,
        })
        await markFollowUp(store, row.id, { sentCopy: 'done' })
      }
    }
  }
  if (!row.followUp.draftRemoved) {
    if (account.kind === 'imap' && row.draftFolder !== null) {
      await core.call('compose.remove-draft', {
        accountId: row.accountId,
        folder: row.draftFolder,
        messageId: row.messageId,
      })
    }
    await markFollowUp(store, row.id, { draftRemoved: true })
  }
  if (!row.followUp.sourceFlagged) {
    const source = row.draft.source
    if (source && ctx.flagSource && source.kind !== 'new') {
      const flag = source.kind === 'reply' || source.kind === 'reply-all' ? '\\Answered' : '$Forwarded'
      // The message may be gone by now; the flag is a courtesy, never a reason to keep the row.
      await ctx.flagSource(source.messageId, flag).catch(() => undefined)
    }
    await markFollowUp(store, row.id, { sourceFlagged: true })
  }
}
