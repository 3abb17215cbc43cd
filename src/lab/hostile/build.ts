import { pad2 } from './payload'
import type { Headers } from './mime'
import type { HostileContext, HostileExpectation, HostileFlag } from './types'

/** One case before numbering: `make` gets its number and the standard headers to use or replace. */
export interface CaseSpec {
  key: string
  title: string
  expect?: HostileExpectation
  flags?: readonly HostileFlag[]
  make(ctx: HostileContext, id: number, std: StdHeaders): Buffer
}

export interface StdHeaders {
  subject: string
  /** From, To, Subject, Date, Message-ID, MIME-Version; `without` drops fields, `with` replaces or adds. */
  list(opts?: { without?: readonly string[]; with?: Headers; contentType?: string }): Headers
}

export const HOSTILE_DOMAIN = 'hostile.test'

export function stdHeaders(ctx: HostileContext, id: number, title: string): StdHeaders {
  const subject = `HOSTILE-CASE-${pad2(id)} ${title}`
  const date = new Date(ctx.now.getTime() - id * 60_000).toUTCString().replace('GMT', '+0000')
  return {
    subject,
    list(opts = {}) {
      const base: [string, string | Buffer][] = [
        ['From', `Hostile Sender <sender@${HOSTILE_DOMAIN}>`],
        ['To', ctx.to],
        ['Subject', subject],
        ['Date', date],
        ['Message-ID', `<hostile-${pad2(id)}@${HOSTILE_DOMAIN}>`],
        ['MIME-Version', '1.0'],
      ]
      if (opts.contentType) base.push(['Content-Type', opts.contentType])
      const drop = new Set((opts.without ?? []).map((n) => n.toLowerCase()))
      const replaced = new Set((opts.with ?? []).map(([n]) => n.toLowerCase()))
      return [
        ...base.filter(([n]) => !drop.has(n.toLowerCase()) && !replaced.has(n.toLowerCase())),
        ...(opts.with ?? []),
      ]
    },
  }
}
