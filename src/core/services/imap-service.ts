import type { ImapFlow } from 'imapflow'
import { MailError } from '../../shared/errors'
import type { AccountRegistry } from '../accounts/account-registry'
import { closeQuietly, connectImap } from '../imap/connect'
import { fetchHeaders } from '../imap/fetch-headers'
import { listFolders } from '../imap/list-folders'
import { syncFolder } from '../imap/sync-folder'
import type { ImapAccountConfig } from '../imap/types'
import { withFolder } from '../imap/with-folder'
import type { HandlerMap } from '../rpc/server'

export type ImapHandlers = Pick<
  HandlerMap,
  'imap.folders' | 'imap.headers' | 'imap.bodies' | 'imap.sync-folder'
>

/**
 * One command connection per IMAP account, opened on first use and reopened after it broke. Accounts never
 * wait on each other: each has its own connection and its own connect promise.
 */
export class ImapConnections {
  private readonly clients = new Map<string, Promise<ImapFlow>>()

  constructor(private readonly registry: AccountRegistry) {}

  async client(accountId: string): Promise<ImapFlow> {
    const existing = this.clients.get(accountId)
    if (existing) {
      const client = await existing.catch(() => undefined)
      if (client?.usable) return client
      this.clients.delete(accountId)
    }
    const opening = this.open(accountId)
    this.clients.set(accountId, opening)
    opening.catch(() => this.clients.delete(accountId))
    return opening
  }

  /** Drops an account's connection (after its settings changed or it was removed). */
  async forget(accountId: string): Promise<void> {
    const existing = this.clients.get(accountId)
    this.clients.delete(accountId)
    const client = await existing?.catch(() => undefined)
    if (client) await closeQuietly(client)
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.keys()].map((id) => this.forget(id)))
  }

  private async open(accountId: string): Promise<ImapFlow> {
    const account = await this.registry.get(accountId)
    if (account.kind !== 'imap') throw new MailError('NOT_FOUND', `${account.name} is not an IMAP account.`)
    const config: ImapAccountConfig = {
      host: account.incoming.host,
      port: account.incoming.port,
      tls: account.incoming.tls,
      username: account.incoming.username,
      password: await this.registry.password(accountId, 'incoming'),
      allowPlaintext: account.incoming.allowPlaintext,
      ...(account.trustedCaPem ? { ca: [account.trustedCaPem] } : {}),
    }
    return connectImap(config, { accountId })
  }
}

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

/** See `imapMethods` in the contract. */
export function createImapHandlers(connections: ImapConnections): ImapHandlers {
  return {
    'imap.folders': async ({ accountId }) => {
      const client = await connections.client(accountId)
      // STATUS of the mailbox this session has selected reflects the session's own, possibly stale, view
      // (RFC 9051 §6.3.11): a NOOP first lets the server catch the session up, so UIDNEXT is current.
      if (client.mailbox !== false) await client.noop()
      return { folders: await listFolders(client) }
    },

    'imap.headers': async ({ accountId, folder, uidValidity, minUid }, { signal, sendChunk }) => {
      const client = await connections.client(accountId)
      await reselect(client, folder)
      let count = 0
      let seenValidity: number | undefined
      const batches = fetchHeaders(client, folder, {
        ...(uidValidity === undefined ? {} : { uidValidity }),
        ...(minUid === undefined ? {} : { minUid }),
      })
      try {
        for await (const batch of batches) {
          signal.throwIfAborted()
          seenValidity = batch.uidValidity
          count += batch.headers.length
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
    },

    'imap.sync-folder': async ({ accountId, folder, local }) => {
      const client = await connections.client(accountId)
      const diff = await syncFolder(client, folder, {
        uidValidity: local.uidValidity,
        ...(local.highestModseq === undefined ? {} : { highestModseq: local.highestModseq }),
        ...(local.uidNext === undefined ? {} : { uidNext: local.uidNext }),
        ...(local.knownUids === undefined ? {} : { knownUids: local.knownUids }),
      })
      const { folder: _path, ...rest } = diff
      return rest
    },

    'imap.bodies': async ({ accountId, folder, uids }, { signal, sendChunk }) => {
      const client = await connections.client(accountId)
      return withFolder(client, folder, { readOnly: true, operation: 'fetch bodies' }, async () => {
        const found = new Set<number>()
        // BODY.PEEK[] via imapflow's `source`: fetching for the offline cache must never mark mail as read.
        for await (const msg of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
          signal.throwIfAborted()
          if (!msg.source) continue
          found.add(msg.uid)
          // A copy with its own ArrayBuffer: Node's Buffers may share a pooled one, which must not be transferred.
          sendChunk({ uid: msg.uid, raw: new Uint8Array(msg.source) })
        }
        return { count: found.size, missing: uids.filter((u) => !found.has(u)) }
      })
    },
  }
}
