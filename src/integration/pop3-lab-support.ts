/**
 * Helpers for the POP3 sync tests: adding a lab user's POP3 account through the RPC, what the server
 * holds (by UIDL and sha256, read by a separate POP3 session), and what the store holds.
 */
import { createHash } from 'node:crypto'
import type { Pop3Retention } from '../shared/model/account'
import { openLabPop3Session } from '../lab/lab-pop3-session'
import type { LabTools } from '../lab/lab'
import { labPop3Account } from '../lab/lab-accounts'
import type { MailStore } from '../renderer/src/store/mail-db'
import { accountLedger } from '../renderer/src/store/pop3-ledger'
import { readBodies } from '../renderer/src/store/bodies/body-store'
import type { SyncHarness } from './sync-harness'
import { accountMessages } from '../renderer/src/store/messages'

export interface Pop3AccountOptions {
  retention?: Pop3Retention
  maxFullDownloadBytes?: number | null
  /** Connect here instead of the lab's POP3S port (a fault proxy in front of it). */
  port?: number
  password?: string
}

/** Adds a lab user's POP3S account (trusting the lab CA) through the RPC, as the wizard does. */
export async function addLabPop3Account(
  h: SyncHarness,
  lab: LabTools,
  userName: string,
  opts: Pop3AccountOptions = {},
): Promise<string> {
  const params = labPop3Account(lab, userName, {
    account: {
      smtp: null,
      retention: opts.retention ?? { kind: 'leave' },
      maxFullDownloadBytes: opts.maxFullDownloadBytes ?? null,
    },
    ...(opts.password === undefined ? {} : { password: opts.password }),
  })
  if (opts.port !== undefined) params.account.incoming.port = opts.port
  const { account } = await h.connection.client.call('accounts.add', params)
  return account.id
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** UIDL → sha256 of the bytes, as a separate client sees the maildrop now. Ends without QUIT. */
export async function serverMessages(lab: LabTools, userName: string): Promise<Map<string, string>> {
  const s = await openLabPop3Session(lab, userName)
  try {
    const out = new Map<string, string>()
    for (const { n, uid } of await s.uidl()) out.set(uid, sha256(await s.retr(n)))
    return out
  } finally {
    s.close()
  }
}

export interface StoredPop3 {
  /** UIDL → sha256 of the stored bytes, for messages whose full bytes are stored and not deleted locally. */
  full: Map<string, string>
  /** UIDLs stored as headers only. */
  headersOnly: Set<string>
  /** Every ledger id (downloaded at some point), with deletedFromServerAt. */
  ledger: Map<string, number | null>
  /** Message rows of the account (all local folders). */
  rows: number
}

/** What the store holds for a POP3 account; throws on a duplicate UIDL among its messages. */
export async function storedMessages(store: MailStore, accountId: string): Promise<StoredPop3> {
  const { fast } = store
  const rows = await accountMessages(fast, accountId)
  const seen = new Set<string>()
  for (const r of rows) {
    if (r.uidl === null) continue
    if (seen.has(r.uidl)) throw new Error(`duplicate message for UIDL ${r.uidl}`)
    seen.add(r.uidl)
  }
  const bodies = await readBodies(fast, rows)
  const full = new Map<string, string>()
  const headersOnly = new Set<string>()
  rows.forEach((r, i) => {
    const body = bodies[i]
    if (r.uidl === null || !body) return
    if (r.bodyState === 'headers-only') headersOnly.add(r.uidl)
    else full.set(r.uidl, sha256(body))
  })
  const ledger = new Map((await accountLedger(fast, accountId)).map((l) => [l.uidl, l.deletedFromServerAt]))
  return { full, headersOnly, ledger, rows: rows.length }
}

/** A CRLF message with a unique Message-ID. */
export function labMessage(tag: string, body = 'Hello.\r\n'): Buffer {
  const id = `${tag}.${Date.now()}.${Math.random().toString(36).slice(2)}@pop3-sync.test`
  return Buffer.from(
    `From: Lab <lab@lab.test>\r\nTo: user@lab.test\r\nSubject: ${tag}\r\nMessage-ID: <${id}>\r\n` +
      `Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n${body}`,
  )
}
