import { randomUUID } from 'node:crypto'
import { ImapFlow } from 'imapflow'
import { createTransport, type Transporter } from 'nodemailer'
import type { LabInfo, LabUser } from '../types'

/** An imapflow client for a lab user: `mode` picks IMAPS (implicit TLS) or IMAP + mandatory STARTTLS. */
export function imapClient(
  lab: LabInfo,
  user: LabUser,
  mode: 'imaps' | 'starttls',
  pass = user.password,
): ImapFlow {
  return new ImapFlow({
    host: lab.host,
    port: mode === 'imaps' ? lab.ports.imaps : lab.ports.imap,
    secure: mode === 'imaps',
    ...(mode === 'starttls' ? { doSTARTTLS: true } : {}),
    servername: 'localhost',
    tls: { ca: [lab.caPem] },
    auth: { user: user.address, pass },
    logger: false,
  })
}

/** A nodemailer transport to the lab's submission (STARTTLS required) or submissions (implicit TLS) port. */
export function smtpTransport(
  lab: LabInfo,
  user: LabUser,
  mode: 'submission' | 'submissions',
  pass = user.password,
): Transporter {
  return createTransport({
    host: lab.host,
    port: mode === 'submissions' ? lab.ports.submissions : lab.ports.submission,
    secure: mode === 'submissions',
    requireTLS: mode === 'submission',
    tls: { ca: [lab.caPem], servername: 'localhost' },
    auth: { user: user.address, pass },
  })
}

/** A unique Message-ID and Subject so a test can find exactly its own message. */
export function uniqueMessage(tag: string, domain: string): { messageId: string; subject: string } {
  const id = randomUUID()
  return { messageId: `<${tag}-${id}@${domain}>`, subject: `${tag} ${id}` }
}

/** Polls `fn` until it returns a value (delivery through Postfix is asynchronous). */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
