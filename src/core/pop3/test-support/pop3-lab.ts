/**
 * Lab plumbing for the POP3 integration tests: the shared lab from the vitest global setup when it
 * provides one (`inject('lab')`), else a private lab for this file; session configs; unique messages;
 * and `failure()` to assert on a MailError's code.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import { afterAll, beforeAll, inject } from 'vitest'
import { MailError } from '../../../shared/errors'
import {
  attachLab,
  startLab,
  type Lab,
  type LabInfo,
  type LabTools,
  type StartLabOptions,
} from '../../../lab/lab'
import type { Pop3Session } from '../open-session'
import type { Pop3Config } from '../types'

function providedLab(): LabInfo | undefined {
  // Typed loosely on purpose: the global setup that provides 'lab' may not exist in every checkout.
  const value = (inject as (key: string) => unknown)('lab')
  return typeof value === 'object' && value !== null && 'ports' in value ? (value as LabInfo) : undefined
}

/**
 * Registers beforeAll/afterAll and returns a getter for the lab. `own` forces a private lab (for tests
 * that change the server's config or disturb it), stopped after the file.
 */
export function useLab(own?: StartLabOptions): () => LabTools {
  let tools: LabTools | undefined
  let started: Lab | undefined
  beforeAll(async () => {
    const shared = own ? undefined : providedLab()
    if (shared) tools = attachLab(shared)
    else tools = started = await startLab(own)
  })
  afterAll(async () => {
    await started?.stop()
  })
  return () => {
    if (!tools) throw new Error('lab not started yet')
    return tools
  }
}

/** A session config for a lab user over POP3S (or STLS), trusting exactly the lab's CA. */
export function labConfig(lab: LabInfo, userName: string, extra: Partial<Pop3Config> = {}): Pop3Config {
  const user = lab.users.find((u) => u.name === userName)
  if (!user) throw new Error(`no lab user ${userName}`)
  const tls = extra.tls ?? 'implicit'
  return {
    host: lab.host,
    port: tls === 'implicit' ? lab.ports.pop3s : lab.ports.pop3,
    tls,
    username: user.address,
    password: user.password,
    ca: lab.caPem,
    timeouts: { connectMs: 5000, idleMs: 20_000 },
    ...extra,
  }
}

/** A CRLF message with a unique Message-ID and body lines that exercise dot-stuffing. */
export function testMessage(tag: string, body = 'Hello.\r\n'): Buffer {
  const id = `${tag}.${Date.now()}.${Math.random().toString(36).slice(2)}@pop3.test`
  return Buffer.from(
    `From: Lab <lab@lab.test>\r\nTo: user@lab.test\r\nSubject: ${tag}\r\nMessage-ID: <${id}>\r\n` +
      `Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n${body}`,
  )
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** The uids a fresh look at the maildrop shows. */
export async function uidSet(session: Pop3Session): Promise<Set<string>> {
  return new Set((await session.uidl()).map((e) => e.uid))
}

/** Awaits a promise that must reject with a MailError and returns it. */
export async function failure(p: Promise<unknown>): Promise<MailError> {
  const e: unknown = await p.then(
    () => new Error('expected a MailError, got success'),
    (err: unknown) => err,
  )
  if (!(e instanceof MailError)) throw e
  return e
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
