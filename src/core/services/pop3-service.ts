import { createHash } from 'node:crypto'
import { MailError } from '../../shared/errors'
import type { AccountRegistry } from '../accounts/account-registry'
import { openPop3Session, type Pop3Config, type Pop3Session } from '../pop3'
import { disambiguate, headerIdentity } from '../pop3/header-identity'
import type { HandlerMap } from '../rpc/server'
import type { Pop3Sessions } from './pop3-sessions'

export type Pop3Handlers = Pick<
  HandlerMap,
  'pop3.open' | 'pop3.list' | 'pop3.retr' | 'pop3.top' | 'pop3.dele' | 'pop3.quit' | 'pop3.close'
>

/** Largest piece of a message in one RPC chunk: bounds memory per frame, few frames for typical mail. */
export const RETR_CHUNK_BYTES = 256 * 1024

/** A copy with its own ArrayBuffer: Node's pooled Buffers must not be transferred or reused. */
function ownBytes(parts: readonly Buffer[], length: number): Uint8Array<ArrayBuffer> {
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

/** See `pop3Methods` in the contract. */
export function createPop3Handlers(registry: AccountRegistry, sessions: Pop3Sessions): Pop3Handlers {
  return {
    'pop3.open': async ({ accountId }, { signal, connectionId }) => {
      const session = await openPop3Session(await pop3Config(registry, accountId), signal)
      if (signal.aborted) {
        session.close()
        signal.throwIfAborted()
      }
      const sessionId = sessions.add(session, accountId, connectionId)
      const caps = session.capabilities
      return {
        sessionId,
        capabilities: [...caps.raw.keys()],
        uidl: !caps.supported || caps.uidl,
      }
    },

    'pop3.list': ({ sessionId }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        const listing = await s.list(signal)
        const uidl = await uidlOrUndefined(s, signal)
        if (uidl) {
          const ids = new Map(uidl.map((e) => [e.n, e.uid]))
          const messages = listing.flatMap((e) => {
            const id = ids.get(e.n)
            return id === undefined ? [] : [{ n: e.n, size: e.size, id }]
          })
          return { idKind: 'uidl' as const, messages }
        }
        const messages = []
        for (const e of listing) {
          messages.push({ n: e.n, size: e.size, id: headerIdentity(await s.top(e.n, 0, signal), e.size) })
        }
        return { idKind: 'header-hash' as const, messages: disambiguate(messages) }
      }),

    'pop3.retr': ({ sessionId, ns }, { signal, sendChunk, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        let total = 0
        for (const n of ns) {
          const hash = createHash('sha256')
          let parts: Buffer[] = []
          let pending = 0
          let size = 0
          // retrStream rejects on a cut or timeout before the final "." line: the `end` chunk below is then
          // never sent, so the caller cannot mistake a partial message for a whole one.
          for await (const piece of s.retrStream(n, signal)) {
            hash.update(piece)
            size += piece.length
            parts.push(piece)
            pending += piece.length
            if (pending >= RETR_CHUNK_BYTES) {
              sendChunk({ n, bytes: ownBytes(parts, pending), end: false })
              parts = []
              pending = 0
            }
          }
          sendChunk({ n, bytes: ownBytes(parts, pending), end: true, size, sha256: hash.digest('hex') })
          total += size
        }
        return { count: ns.length, bytes: total }
      }),

    'pop3.top': ({ sessionId, ns, lines }, { signal, sendChunk, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        for (const n of ns) {
          const bytes = await s.top(n, lines, signal)
          sendChunk({ n, bytes: ownBytes([bytes], bytes.length) })
        }
        return { count: ns.length }
      }),

    'pop3.dele': ({ sessionId, ns }, { signal, connectionId }) =>
      sessions.use(sessionId, connectionId, async (s) => {
        for (const n of ns) await s.dele(n, signal)
        return { marked: ns.length }
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
