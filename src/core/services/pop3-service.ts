import { createHash } from 'node:crypto'
import { MailError } from '../../shared/errors'
import type { AccountConfig } from '../../shared/model/account'
import type { AccountRegistry } from '../accounts/account-registry'
import { openPop3Session, type Pop3Config, type Pop3Session } from '../pop3'
import { disambiguate, headerIdentity } from '../pop3/header-identity'
import type { HandlerMap } from '../rpc/server'
import type { Pop3Spool } from '../pop3/message-spool'
import type { Pop3Sessions } from './pop3-sessions'
import { wireBytes } from './wire-bytes'

export type Pop3Handlers = Pick<
  HandlerMap,
  | 'pop3.open'
  | 'pop3.list'
  | 'pop3.sizes'
  | 'pop3.retr'
  | 'pop3.top'
  | 'pop3.dele'
  | 'pop3.quit'
  | 'pop3.close'
  | 'pop3.spooled'
  | 'pop3.confirm'
  | 'pop3.acceptStore'
>

/** Up to this many messages, `pop3.sizes` asks `LIST n` for each instead of listing the whole maildrop. */
const SIZES_ONE_BY_ONE = 20

/**
 * Largest piece of a message in one RPC chunk: bounds memory per frame. Nearly every message fits in one, so
 * the sync worker stores the bytes of the frame it received: a message in several chunks is joined there
 * into a buffer of its own, and with 256 KiB pieces that copied 69% of a 10k lab download's bytes (its big
 * attachments) and allocated as much again for the collector.
 */
export const RETR_CHUNK_BYTES = 16 * 1024 * 1024

/**
 * One chunk's bytes. A single piece goes as it is: the transport copies it once (into the WebSocket frame, or
 * compacts a slice of a larger read for a message port), so a copy here would be a second one. Several pieces
 * are joined (that copy is the one). `keep`: the pieces are still needed after sending (held for the spool),
 * so they must not be handed over, since a message port may transfer (detach) a chunk's buffer.
 */
function chunkBytes(parts: readonly Buffer[], length: number, keep: boolean): Uint8Array<ArrayBuffer> {
  if (parts.length === 1 && !keep) return wireBytes(parts[0]!)
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

async function pop3Config(registry: AccountRegistry, accountId: string): Promise<Pop3Config> {
  const account = await registry.get(accountId)
  if (account.kind !== 'pop3') throw new MailError('NOT_FOUND', `${account.name} is not a POP3 account.`)
  return {
    host: account.incoming.host,
    port: account.incoming.port,
    tls: account.incoming.tls,
    username: account.incoming.username,
    password: await registry.password(accountId, 'incoming'),
    allowPlaintext: account.incoming.allowPlaintext,
    ...(account.trustedCaPem ? { ca: [account.trustedCaPem] } : {}),
  }
}

/** RFC 1939 §7: UIDL is optional. A server without CAPA may still know it, so it is tried once. */
async function uidlOrUndefined(session: Pop3Session, signal: AbortSignal) {
  const caps = session.capabilities
  if (caps.supported && !caps.uidl) return undefined
  try {
    return await session.uidl(signal)
  } catch (e) {
    // A -ERR leaves the session usable; a dropped connection does not, and is the real error.
    if (session.broken || !(e instanceof MailError)) throw e
    return undefined
  }
}

/**
 * Whether a session keeps the bytes it RETRs in the spool's `held/` folder, so that a DELE in the same
 * session needs no second RETR. Only "remove after 0 days" DELEs what a check just downloaded: retention
 * counts days from when the store got a message, so under N >= 1 days a message RETR'd now is not removed
 * in this session, and holding it would write every downloaded message to disk a second time for nothing.
 * Whatever is not held and still DELE'd is RETR'd again by `keep`, so this choice never risks a message.
 */
export function holdsRetrievedBytes(account: AccountConfig): boolean {
  return (
    account.kind === 'pop3' && account.retention.kind === 'delete-after-days' && account.retention.days === 0
  )
}

/** See `pop3Methods` in the contract. */
export function createPop3Handlers(
  registry: AccountRegistry,
  sessions: Pop3Sessions,
  spool: Pop3Spool,
): Pop3Handlers {
  return {
    'pop3.open': async ({ accountId, store }, { signal, connectionId }) => {
      const account = await registry.get(accountId)
      const session = await openPop3Session(await pop3Config(registry, accountId), signal)
      let spooled
      try {
        spooled = await spool.open(accountId, store ?? null)
        signal.throwIfAborted()
      } catch (error) {
        session.close()
        throw error
      }
      const sessionId = sessions.add(session, accountId, connectionId, {
        storeId: store ?? null,
        standing: spooled.standing,
        ids: new Map(),
        hold: holdsRetrievedBytes(account),
      })
      const caps = session.capabilities
      return {
        sessionId,
        capabilities: [...caps.raw.keys()],
        uidl: !caps.supported || caps.uidl,
        spool: spooled,
      }
    },

    'pop3.spooled': ({ sessionId, ids }, { sendChunk, connectionId }) =>
      sessions.use(sessionId, connectionId, async (_s, _facts, accountId) => {
        for (const id of ids) {
          const bytes = await spool.read(accountId, id)
          const digest = createHash('sha256').update(bytes).digest('hex')
          for (let at = 0; ; at += RETR_CHUNK_BYTES) {
            // A view of the spool file's bytes, read for this call only: the transport copies it once.
            const piece = bytes.subarray(at, at + RETR_CHUNK_BYTES)
            if (at + RETR_CHUNK_BYTES < bytes.length) {
              sendChunk({ id, bytes: wireBytes(piece), end: false })
              continue
            }
            sendChunk({ id, bytes: wireBytes(piece), end: true, size: bytes.length, sha256: digest })
            break
          }
        }
        return { count: ids.length }
      }),

    'pop3.confirm': ({ sessionId, ids }, { connectionId }) =>
      sessions.use(sessionId, connectionId, async (_s, facts, accountId) => {
        if (facts.storeId === null) return { standing: facts.standing }
        facts.standing = await spool.confirm(accountId, facts.storeId, ids)
        return { standing: facts.standing }
      }),

    'pop3.acceptStore': async ({ accountId, store }) => {
      await spool.accept(accountId, store)
      return { ok: true as const }
    },

    'pop3.list': ({ sessionId, sizes = true }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s, facts) => {
        const uidl = await uidlOrUndefined(s, signal)
        if (uidl) {
          if (!sizes) {
            facts.ids = new Map(uidl.map((e) => [e.n, e.uid]))
            return { idKind: 'uidl' as const, messages: uidl.map((e) => ({ n: e.n, id: e.uid })) }
          }
          const size = new Map((await s.list(signal)).map((e) => [e.n, e.size]))
          // Listed by both (a message can only vanish between the two in another session's QUIT).
          const messages = uidl.flatMap((e) => {
            const octets = size.get(e.n)
            return octets === undefined ? [] : [{ n: e.n, size: octets, id: e.uid }]
          })
          facts.ids = new Map(messages.map((m) => [m.n, m.id]))
          return { idKind: 'uidl' as const, messages }
        }
        const listing = await s.list(signal)
        const messages = []
        for (const e of listing) {
          messages.push({ n: e.n, size: e.size, id: headerIdentity(await s.top(e.n, 0, signal), e.size) })
        }
        const unique = disambiguate(messages)
        facts.ids = new Map(unique.map((m) => [m.n, m.id]))
        return { idKind: 'header-hash' as const, messages: unique }
      }),

    'pop3.sizes': ({ sessionId, ns }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        // A few: one short answer each; many: one LIST is cheaper than that many round trips.
        if (ns.length <= SIZES_ONE_BY_ONE) {
          const sizes = []
          for (const n of ns) sizes.push({ n, size: (await s.listOne(n, signal)).size })
          return { sizes }
        }
        const wanted = new Set(ns)
        return {
          sizes: (await s.list(signal)).filter((e) => wanted.has(e.n)).map((e) => ({ n: e.n, size: e.size })),
        }
      }),

    'pop3.retr': ({ sessionId, ns }, { signal, sendChunk, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s, facts, accountId) => {
        let total = 0
        // Pipelined when the server allows it: the server streams message after message while we pass
        // each on, instead of waiting for our next RETR after every message.
        for await (const { n, body } of s.retrMany(ns, signal)) {
          const hash = createHash('sha256')
          let parts: Buffer[] = []
          let pending = 0
          let size = 0
          // The body rejects on a cut or timeout before the final "." line: the `end` chunk below is then
          // never sent, so the caller cannot mistake a partial message for a whole one.
          const held: Buffer[] = []
          for await (const piece of body) {
            hash.update(piece)
            size += piece.length
            parts.push(piece)
            if (facts.hold) held.push(piece)
            pending += piece.length
            if (pending >= RETR_CHUNK_BYTES) {
              sendChunk({ n, bytes: chunkBytes(parts, pending, facts.hold), end: false })
              parts = []
              pending = 0
            }
          }
          const id = facts.ids.get(n)
          if (facts.hold && id !== undefined) await spool.hold(accountId, sessionId, id, Buffer.concat(held))
          sendChunk({
            n,
            bytes: chunkBytes(parts, pending, facts.hold),
            end: true,
            size,
            sha256: hash.digest('hex'),
          })
          total += size
        }
        return { count: ns.length, bytes: total }
      }),

    'pop3.top': ({ sessionId, ns, lines }, { signal, sendChunk, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        for (const n of ns) {
          // Read for this chunk only: handed over as it is (the transport copies it once).
          sendChunk({ n, bytes: wireBytes(await s.top(n, lines, signal)) })
        }
        return { count: ns.length }
      }),

    'pop3.dele': ({ sessionId, ns, ids, discarded = [] }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s, facts, accountId) => {
        if (facts.standing !== 'known') {
          throw new MailError(
            'STORE_RESET',
            'Nothing was deleted from the server: the local mail store is not the one this account was ' +
              'using (it was reset or replaced). Your mail stays on the server.',
            `pop3.dele refused: store ${facts.storeId ?? 'none'} is ${facts.standing}`,
          )
        }
        if (ids !== undefined && ids.length !== ns.length) {
          throw new MailError('INVALID_PARAMS', 'Each message to delete needs its id.', 'ids/ns length')
        }
        const items = ns.map((n, i) => {
          const listed = facts.ids.get(n)
          if (listed === undefined) {
            throw new MailError('INVALID_PARAMS', 'List the maildrop before deleting.', `no id for ${n}`)
          }
          return { n, id: ids?.[i] ?? listed, heldId: listed }
        })
        // The rule this whole service rests on: no DELE without a durable copy outside the browser's store.
        await spool.keep(accountId, sessionId, items, (item) => s.retr(item.n, signal))
        for (const n of [...ns, ...discarded]) await s.dele(n, signal)
        return { marked: ns.length + discarded.length }
      }),

    'pop3.quit': ({ sessionId }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        try {
          await s.quit(signal)
        } finally {
          sessions.forget(sessionId)
          s.close()
        }
        return { ok: true as const }
      }),

    'pop3.close': async ({ sessionId }, { connectionId }) => ({
      closed: sessions.drop(sessionId, connectionId),
    }),
  }
}
