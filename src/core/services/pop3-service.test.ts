import { describe, expect, it } from 'vitest'
import { accountConfigSchema, type Pop3Retention } from '../../shared/model/account'
import { holdsRetrievedBytes } from './pop3-service'

const server = { host: 'pop.example.org', port: 995, tls: 'implicit', username: 'me' } as const

const pop3 = (retention: Pop3Retention) =>
  accountConfigSchema.parse({
    id: 'p1',
    kind: 'pop3',
    name: 'Home',
    email: 'me@example.org',
    incoming: server,
    smtp: null,
    retention,
  })

describe('holdsRetrievedBytes', () => {
  it('holds RETR\'d bytes only when the check itself may DELE them: "remove after 0 days"', () => {
    expect(holdsRetrievedBytes(pop3({ kind: 'delete-after-days', days: 0 }))).toBe(true)
    // Retention counts from when the store got the message: nothing RETR'd now leaves in this session.
    expect(holdsRetrievedBytes(pop3({ kind: 'delete-after-days', days: 1 }))).toBe(false)
    expect(holdsRetrievedBytes(pop3({ kind: 'delete-after-days', days: 30 }))).toBe(false)
    expect(holdsRetrievedBytes(pop3({ kind: 'leave' }))).toBe(false)
    expect(holdsRetrievedBytes(pop3({ kind: 'delete-when-deleted-locally' }))).toBe(false)
  })

  it('never holds for an IMAP account', () => {
    const imap = accountConfigSchema.parse({
      id: 'i1',
      kind: 'imap',
      name: 'Work',
      email: 'me@example.org',
      incoming: { ...server, port: 993 },
      smtp: null,
    })
    expect(holdsRetrievedBytes(imap)).toBe(false)
  })
})
