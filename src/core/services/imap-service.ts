import type { ImapFlow } from 'imapflow'
import type { ImapAction } from '../../shared/contract/imap'
import { MailError } from '../../shared/errors'
import { deleteMessages, expungeMessages } from '../imap/delete-messages'
import { fetchHeaders } from '../imap/fetch-headers'
import { fetchSnippetBatches } from '../imap/fetch-snippet-batches'
import { fetchMessageSources } from '../imap/fetch-source'
import { appendMessage } from '../imap/append'
import { addFlags, removeFlags } from '../imap/flags'
import { listFolders } from '../imap/list-folders'
import { createFolder, deleteFolder, renameFolder } from '../imap/manage-folders'
import { moveMessages } from '../imap/move'
import { SnippetPartCache } from '../imap/snippet-part-cache'
import { syncFolder } from '../imap/sync-folder'
import type { ChunkOf, ResultOf } from '../../shared/contract'
import type { HandlerMap } from '../rpc/server'
import type { ImapConnections } from './imap-connections'
import { wireBytes } from './wire-bytes'

export type ImapHandlers = Pick<
  HandlerMap,
  | 'imap.folders'
  | 'imap.headers'
  | 'imap.snippets'
  | 'imap.bodies'
  | 'imap.sync-folder'
  | 'imap.apply'
  | 'imap.append'
  | 'imap.watch'
>

/**
 * imapflow keeps a folder selected between commands and reuses that selection, with the UIDVALIDITY and
 * UIDNEXT it saw when it selected it. A sync must start from the server's current state (another device,
 * or a restore that changed UIDVALIDITY, may have acted since), so the folder is examined afresh.
 * EXAMINE never expunges, unlike CLOSE.
 */
async function reselect(client: ImapFlow, folder: string): Promise<void> {
  if (client.mailbox === false || client.mailbox.path !== folder) return
  const lock = await client.getMailboxLock(folder, { readOnly: true, description: 'reselect' })
  try {
    await client.mailboxOpen(folder, { readOnly: true })
  } finally {
    lock.release()
  }
}

type ApplyResult = ResultOf<'imap.apply'>

async function apply(client: ImapFlow, action: ImapAction): Promise<ApplyResult> {
  switch (action.kind) {
    case 'flags': {
      let result = { applied: false, uids: [] as number[], gone: [] as number[] }
      if (action.add.length > 0) result = await addFlags(client, action.folder, action.uids, action.add)
      if (action.remove.length > 0)
        result = await removeFlags(client, action.folder, action.uids, action.remove)
      return { ...result, ...(result.applied ? {} : { reason: 'gone' as const }) }
    }
    case 'move':
    case 'delete':
    case 'expunge': {
      const result =
        action.kind === 'move'
          ? await moveMessages(client, action.folder, action.uids, action.destination)
          : action.kind === 'delete'
            ? await deleteMessages(
                client,
                action.folder,
                action.uids,
                action.trash ? { trash: action.trash } : {},
              )
            : await expungeMessages(client, action.folder, action.uids)
      if (!result.applied)
        return { applied: false, reason: result.reason, uids: result.uids, gone: result.gone }
      return {
        applied: true,
        uids: result.uids,
        gone: result.gone,
        destination: result.destination,
        uidMap: 'uidMap' in result ? result.uidMap : null,
      }
    }
    case 'create-folder':
    case 'rename-folder':
    case 'delete-folder': {
      const result =
        action.kind === 'create-folder'
          ? await createFolder(client, action.path)
          : action.kind === 'rename-folder'
            ? await renameFolder(client, action.from, action.to)
            : await deleteFolder(client, action.path)
      return result.applied
        ? { applied: true, uids: [], gone: [] }
        : { applied: false, reason: result.reason, uids: [], gone: [] }
    }
    default: {
      const unknown: never = action
      throw new MailError('INVALID_PARAMS', 'Unknown IMAP action.', JSON.stringify(unknown))
    }
  }
}

/** See `imapMethods` in the contract. */
export function createImapHandlers(connections: ImapConnections): ImapHandlers {
  const snippetParts = new Map<string, SnippetPartCache>()
  const partsOf = (accountId: string): SnippetPartCache => {
    let cache = snippetParts.get(accountId)
    if (!cache) snippetParts.set(accountId, (cache = new SnippetPartCache()))
    return cache
  }
  return {
    'imap.folders': async ({ accountId }) => {
      const manager = await connections.manager(accountId)
      return manager.run(async (client) => {
        // STATUS of the mailbox this session has selected reflects the session's own, possibly stale, view
        // (RFC 9051 §6.3.11): a NOOP first lets the server catch the session up, so UIDNEXT is current.
        if (client.mailbox !== false) await client.noop()
        return { folders: await listFolders(client) }
      })
    },

    'imap.headers': async ({ accountId, folder, uidValidity, minUid, snippets }, { signal, sendChunk }) => {
      const manager = await connections.manager(accountId)
      return manager.run(async (client) => {
        await reselect(client, folder)
        let count = 0
        let seenValidity: number | undefined
        const batches = fetchHeaders(client, folder, {
          ...(uidValidity === undefined ? {} : { uidValidity }),
          ...(minUid === undefined ? {} : { minUid }),
          ...(snippets === undefined ? {} : { snippets }),
        })
        try {
          for await (const batch of batches) {
            signal.throwIfAborted()
            seenValidity = batch.uidValidity
            count += batch.headers.length
            if (batch.snippetParts) partsOf(accountId).remember(folder, batch.uidValidity, batch.snippetParts)
            sendChunk({
              uidValidity: batch.uidValidity,
              uidValidityChanged: batch.uidValidityChanged,
              headers: batch.headers,
              remaining: batch.remaining,
            })
          }
        } finally {
          // Ends the FETCH loop and releases the mailbox lock when the caller cancelled mid-way.
          await batches.return(undefined)
        }
        if (seenValidity === undefined) {
          // An empty folder yields no batch; its UIDVALIDITY still matters for the next incremental sync.
          const status = await client.status(folder, { uidValidity: true })
          if (status === false)
            throw new MailError('NOT_FOUND', `The folder ${folder} no longer exists on the server.`)
          seenValidity = Number(status.uidValidity ?? 0)
        }
        return { uidValidity: seenValidity, count }
      })
    },

    'imap.snippets': async ({ accountId, folder, uidValidity, uids }, { signal, sendChunk }) => {
      const manager = await connections.manager(accountId)
      return manager.run(async (client) => {
        await reselect(client, folder)
        let count = 0
        let uidValidityChanged = false
        const cache = partsOf(accountId)
        const knownParts = cache.lookup(folder, uidValidity, uids)
        const batches = fetchSnippetBatches(client, folder, uids, { uidValidity, knownParts })
        try {
          for await (const batch of batches) {
            signal.throwIfAborted()
            uidValidityChanged ||= batch.uidValidityChanged
            count += batch.snippets.length
            sendChunk(batch)
          }
        } finally {
          await batches.return(undefined)
        }
        // The header pass's parts have served; a later pass fetches its own.
        if (knownParts.size > 0) cache.forget(folder)
        return { uidValidityChanged, count }
      })
    },

    'imap.sync-folder': async ({ accountId, folder, local }) => {
      const manager = await connections.manager(accountId)
      const diff = await manager.run((client) =>
        syncFolder(client, folder, {
          uidValidity: local.uidValidity,
          ...(local.highestModseq === undefined ? {} : { highestModseq: local.highestModseq }),
          ...(local.uidNext === undefined ? {} : { uidNext: local.uidNext }),
          ...(local.knownUids === undefined ? {} : { knownUids: local.knownUids }),
        }),
      )
      const { folder: _path, ...rest } = diff
      return rest
    },

    'imap.bodies': async ({ accountId, folder, uids }, { signal, sendChunk }) => {
      const manager = await connections.manager(accountId)
      let count = 0
      const missing: number[] = []
      for await (const item of manager.stream((client) => fetchMessageSources(client, folder, uids))) {
        signal.throwIfAborted()
        if ('gone' in item) {
          missing.push(item.uid)
          continue
        }
        count++
        // The Buffer itself: the transport copies it once (into the WebSocket frame, or compacts a pooled
        // slice for a message port); a copy here was a second one per message.
        sendChunk({ uid: item.uid, raw: wireBytes(item.source) })
      }
      return { count, missing }
    },

    'imap.apply': async ({ accountId, action }) => {
      const manager = await connections.manager(accountId)
      return manager.run((client) => apply(client, action))
    },

    'imap.append': async ({ accountId, folder, raw, messageId, flags, internalDate }) => {
      const manager = await connections.manager(accountId)
      // A view of the caller's bytes, not a copy: APPEND sends them as they are.
      const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
      const result = await manager.run((client) =>
        appendMessage(client, folder, bytes, {
          flags,
          ...(internalDate === null ? {} : { internalDate: new Date(internalDate) }),
          ...(messageId === null ? { findSameBytes: true } : { messageId }),
        }),
      )
      return result.applied
        ? { stored: 'appended' as const, uid: result.uid }
        : { stored: 'exists' as const, uid: result.uid }
    },

    'imap.watch': async ({ accountId, folder }, { signal, sendChunk }) => {
      const manager = await connections.manager(accountId)
      // IDLE events keep coming from the watcher's own loop after the caller has gone (its connection
      // closed, say, because the browser died); they must fall on the floor, not throw into that loop.
      const send = (chunk: ChunkOf<'imap.watch'>): void => {
        if (signal.aborted) return
        try {
          sendChunk(chunk)
        } catch {
          // The call ended between the check and the send: nobody is listening any more.
        }
      }
      const watcher = manager.watch(
        folder,
        () => send({ type: 'changed' }),
        (s) =>
          send(
            s.state === 'watching'
              ? { type: 'state', state: 'watching' }
              : { type: 'state', state: s.state, error: { code: s.error.code, message: s.error.message } },
          ),
      )
      try {
        await watcher.ready
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve()
          else signal.addEventListener('abort', () => resolve(), { once: true })
        })
      } finally {
        await watcher.stop()
      }
      return { stopped: true as const }
    },
  }
}
