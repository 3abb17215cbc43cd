/**
 * "Load the full message" for a POP3 message stored as headers only (above the account's size limit):
 * find it on the server by its ledger id, RETR it, and replace the TOP bytes with the whole message in one
 * durable transaction. Only after that may a retention policy ever DELE it.
 */
import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { withSizes } from './listing-sizes'
import type { CoreApi } from '../engine/core-api'
import { withAccountLock } from './account-lock'
import { retrieveFull } from './fetch-messages'
import { localMessageRow, type DownloadedMessage } from './store-downloaded'
import { getMessage, messageTables, updateMessage } from '../../store/messages'
import { boundLedger, changeLedgerRows, ledgerRowOfMessage } from '../../store/pop3-ledger'
import { damagedDownloadError, damagedMessages } from './verify-downloaded'

export async function loadFullPop3Message(
  store: MailStore,
  core: CoreApi,
  message: MessageRow,
): Promise<void> {
  const messageId = message.id!
  const ledger = await ledgerRowOfMessage(store.fast, messageId)
  if (!ledger) {
    throw new MailError(
      'NOT_FOUND',
      'Only the beginning of this message was downloaded, and it cannot be fetched now.',
    )
  }
  await withAccountLock(message.accountId, async () => {
    const { sessionId } = await core.call('pop3.open', { accountId: message.accountId })
    let quit = false
    try {
      const { messages } = await core.call('pop3.list', { sessionId, sizes: false })
      const listed = messages.find((m) => m.id === ledger.uidl)
      const [entry] = listed ? await withSizes(core, sessionId, [listed]) : []
      if (!entry) {
        throw new MailError(
          'NOT_FOUND',
          'The server no longer has this message, so only its beginning is available.',
        )
      }
      let whole: DownloadedMessage | undefined
      await retrieveFull(core, sessionId, [entry], (m) => (whole = m))
      if (!whole) throw new MailError('NETWORK', 'The message did not arrive. Try again.')
      const got = whole
      // Marked fully stored, it becomes a DELE candidate: only the bytes core hashed may be.
      if ((await damagedMessages([got])).size > 0) throw damagedDownloadError([got.id])
      const db = store.durable
      const now = Date.now()
      const fresh = localMessageRow(
        message.accountId,
        message.folderId,
        got.raw,
        got.size,
        got.id,
        'full',
        now,
      )
      // The whole message is appended and flushed, then the row points at it (the TOP bytes stay behind as
      // dead bytes) in the same strict transaction that marks its ledger row fully stored.
      await store.bodies.withAppended(message.accountId, [got.raw], (appended) =>
        db.transaction('rw', [...messageTables(db), db.pop3LedgerBatches, db.bodyFiles], async () => {
          const ledgerTable = boundLedger()
          if (!(await getMessage(db, messageId))) return // deleted meanwhile: nothing to complete
          await updateMessage(db, messageId, {
            bodyState: 'full',
            body: appended.refs[0]!,
            snippet: fresh.snippet,
            hasAttachments: fresh.hasAttachments,
          })
          await changeLedgerRows(ledgerTable, ledger.accountId, [ledger.uidl], {
            fullStored: true,
            sha256: got.sha256,
          })
          await appended.commitIn(db)
        }),
      )
      // No DELE in this session: retention runs in the next check, which sees the message fully stored.
      await core.call('pop3.quit', { sessionId })
      quit = true
    } finally {
      if (!quit) await core.call('pop3.close', { sessionId }).catch(() => undefined)
    }
  })
}
