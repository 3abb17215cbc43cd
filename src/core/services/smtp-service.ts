import type { SmtpLimits } from '../../shared/contract/smtp'
import { MailError } from '../../shared/errors'
import type { AccountRegistry } from '../accounts/account-registry'
import type { HandlerMap } from '../rpc/server'
import { CommitTickets } from '../smtp/commit-tickets'
import { isPolicyRefusal } from '../smtp/smtp-errors'
import { openSmtpSession, type SmtpSession } from '../smtp/smtp-session'

export type SmtpHandlers = Pick<HandlerMap, 'smtp.limits' | 'smtp.send' | 'smtp.commit'>

/** EHLO facts change rarely; a composer opening many windows should not log in each time. */
const LIMITS_TTL_MS = 10 * 60_000

export interface SmtpServiceOptions {
  /** Per-step socket timeout; tests shorten it. */
  timeoutMs?: number
  tickets?: CommitTickets
}

/** See `smtpMethods` in the contract. One fresh, authenticated connection per call; nothing is pooled. */
export function createSmtpHandlers(registry: AccountRegistry, opts: SmtpServiceOptions = {}): SmtpHandlers {
  const tickets = opts.tickets ?? new CommitTickets()
  const limitsCache = new Map<string, { limits: SmtpLimits; at: number }>()

  async function open(accountId: string): Promise<{ session: SmtpSession; host: string }> {
    const account = await registry.get(accountId)
    if (!account.smtp) {
      throw new MailError(
        'NOT_FOUND',
        `${account.name} has no outgoing (SMTP) server. Add one in its settings.`,
      )
    }
    const session = await openSmtpSession({
      server: account.smtp,
      password: await registry.password(accountId, 'smtp'),
      ...(account.trustedCaPem ? { ca: [account.trustedCaPem] } : {}),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    })
    limitsCache.set(accountId, { limits: session.limits, at: Date.now() })
    return { session, host: account.smtp.host }
  }

  return {
    'smtp.limits': async ({ accountId, refresh }) => {
      const cached = limitsCache.get(accountId)
      if (!refresh && cached && Date.now() - cached.at < LIMITS_TTL_MS) return cached.limits
      const { session } = await open(accountId)
      session.close()
      return session.limits
    },

    'smtp.send': async ({ accountId, raw, envelope, hold }, { signal, sendChunk }) => {
      const { session } = await open(accountId)
      const onAbort = (): void => session.abort()
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
        const info = await session.send(envelope, bytes, {
          ...(hold
            ? {
                beforeCommit: async () => {
                  const { ticket, committed } = tickets.open(signal)
                  sendChunk({ phase: 'ready', ticket })
                  await committed
                },
              }
            : {}),
        })
        session.close()
        return {
          accepted: info.accepted,
          rejected: info.rejected.map((r) => ({
            address: r.address,
            code: isPolicyRefusal(r.response) ? ('RELAY_DENIED' as const) : ('RECIPIENT_REJECTED' as const),
            response: r.response,
          })),
          response: info.response,
          limits: session.limits,
        }
      } catch (error) {
        session.abort()
        throw error
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },

    'smtp.commit': async ({ ticket }) => ({ committed: tickets.commit(ticket) }),
  }
}
