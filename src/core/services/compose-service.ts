import type { ImapFlow } from 'imapflow'
import { appendMessage } from '../imap/append'
import { expungeMessages } from '../imap/delete-messages'
import { withFolder } from '../imap/with-folder'
import type { HandlerMap } from '../rpc/server'
import { buildMessage, envelopeRecipients } from '../smtp/build-message'
import type { ImapConnections } from './imap-connections'

export type ComposeHandlers = Pick<
  HandlerMap,
  'compose.build' | 'compose.store-sent' | 'compose.save-draft' | 'compose.remove-draft'
>

/** UIDs in `folder` whose Message-ID header is `messageId` (brackets included, so the match is exact enough). */
async function uidsWithMessageId(client: ImapFlow, folder: string, messageId: string): Promise<number[]> {
  return withFolder(client, folder, { operation: 'search message-id' }, async () => {
    // A folder this session kept selected may have changed behind it (another device, the server filing
    // sent mail): NOOP lets the server report that first (RFC 9051 §6.1.2).
    await client.noop()
    const found = await client.search({ header: { 'message-id': messageId } }, { uid: true })
    return Array.isArray(found) ? found : []
  })
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** See `composeMethods` in the contract. */
export function createComposeHandlers(connections: ImapConnections): ComposeHandlers {
  return {
    'compose.build': async ({ message, keepBcc }) => {
      const raw = await buildMessage(message, keepBcc)
      // A copy with its own ArrayBuffer: Node's Buffers may share a pooled one, which must not be transferred.
      return { raw: new Uint8Array(raw), recipients: envelopeRecipients(message) }
    },

    'compose.store-sent': async ({ accountId, folder, raw, messageId }) => {
      const manager = await connections.manager(accountId)
      const result = await manager.run((client) =>
        appendMessage(client, folder, asBuffer(raw), { flags: ['\\Seen'], messageId }),
      )
      return result.applied
        ? { stored: 'appended' as const, uid: result.uid }
        : { stored: 'exists' as const, uid: result.uid }
    },

    'compose.save-draft': async ({ accountId, folder, raw, messageId }) => {
      const manager = await connections.manager(accountId)
      return manager.run(async (client) => {
        const older = await uidsWithMessageId(client, folder, messageId)
        // Append first, then remove: a crash in between leaves an extra copy, never no copy at all.
        const appended = await appendMessage(client, folder, asBuffer(raw), { flags: ['\\Draft', '\\Seen'] })
        const uid = appended.applied ? appended.uid : null
        const stale = older.filter((u) => u !== uid)
        if (stale.length > 0) await expungeMessages(client, folder, stale)
        return { uid, removed: stale.length }
      })
    },

    'compose.remove-draft': async ({ accountId, folder, messageId }) => {
      const manager = await connections.manager(accountId)
      return manager.run(async (client) => {
        const uids = await uidsWithMessageId(client, folder, messageId)
        if (uids.length > 0) await expungeMessages(client, folder, uids)
        return { removed: uids.length }
      })
    },
  }
}
