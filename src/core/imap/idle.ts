import type { ExistsEvent, ExpungeEvent, FlagsEvent, ImapFlow } from 'imapflow'
import { mapErrors, toMailError } from './errors'
import { storedFlags } from './header-record'

/** Something changed in the watched folder; the sync worker answers with syncFolder. */
export type FolderChange =
  | { folder: string; kind: 'exists'; count: number; prevCount: number }
  | { folder: string; kind: 'expunge'; uid: number | null; seq: number | null }
  | { folder: string; kind: 'flags'; uid: number | null; seq: number; flags: string[] }

export interface IdleHandle {
  /** Ends IDLE (DONE) and detaches; the connection stays open for the caller to close. */
  stop(): Promise<void>
  /** Settles when watching ends: resolves after stop(), rejects with a MailError when the connection failed. */
  readonly done: Promise<void>
}

/**
 * Watches a folder with IDLE (RFC 2177, RFC 9051 §6.3.13) on a connection of its own, reporting EXISTS,
 * EXPUNGE/VANISHED and FETCH (flags) as they arrive. imapflow restarts IDLE every `maxIdleTime` (set by
 * connectImap's caller) so servers that cut idle sessions after 30 minutes do not; without IDLE it polls.
 */
export async function idle(
  client: ImapFlow,
  folder: string,
  onChange: (change: FolderChange) => void,
): Promise<IdleHandle> {
  const ctx = { host: client.host, port: client.port, operation: `idle ${folder}` }
  await mapErrors(ctx, () => client.mailboxOpen(folder), client)
  const onExists = (e: ExistsEvent): void => {
    if (e.path === folder) onChange({ folder, kind: 'exists', count: e.count, prevCount: e.prevCount })
  }
  const onExpunge = (e: ExpungeEvent): void => {
    if (e.path === folder) onChange({ folder, kind: 'expunge', uid: e.uid ?? null, seq: e.seq ?? null })
  }
  const onFlags = (e: FlagsEvent): void => {
    if (e.path === folder)
      onChange({ folder, kind: 'flags', uid: e.uid ?? null, seq: e.seq, flags: storedFlags(e.flags) })
  }
  client.on('exists', onExists)
  client.on('expunge', onExpunge)
  client.on('flags', onFlags)
  let stopped = false
  const detach = (): void => {
    client.off('exists', onExists)
    client.off('expunge', onExpunge)
    client.off('flags', onFlags)
  }
  const loop = async (): Promise<void> => {
    try {
      while (!stopped) {
        // Returns when another command breaks IDLE (stop() sends NOOP) or maxIdleTime restarts it; returns
        // false when the connection went away under it, which is a NETWORK loss, not a refusal.
        const ok = await client.idle()
        if (client.isClosed || !client.usable)
          throw Object.assign(new Error('connection closed'), { code: 'NoConnection' })
        if (ok === false && !stopped) throw new Error('IDLE was refused')
      }
    } catch (err) {
      if (!stopped) throw toMailError(err, ctx, client)
    } finally {
      detach()
    }
  }
  const done = loop()
  done.catch(() => undefined)
  return {
    done,
    async stop() {
      if (stopped) return done
      stopped = true
      // Any command ends IDLE with DONE first; NOOP is the cheapest.
      await client.noop().catch(() => undefined)
      return done
    },
  }
}
