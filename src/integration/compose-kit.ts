import type { ImapFlow } from 'imapflow'
import type { LabTools } from '../lab/lab'
import type { ServerSettings } from '../shared/model/account'
import type { SyncHarness } from './sync-harness'

/** Every copy of a message in a folder (by Message-ID), raw bytes, read by another client. */
export async function copiesOf(device: ImapFlow, messageId: string, folder = 'INBOX'): Promise<Buffer[]> {
  const lock = await device.getMailboxLock(folder)
  try {
    // A session that already had the folder selected may not have heard of new messages yet.
    await device.noop()
    const uids = await device.search({ header: { 'message-id': messageId } }, { uid: true })
    const out: Buffer[] = []
    for (const uid of Array.isArray(uids) ? uids : []) {
      const msg = await device.fetchOne(String(uid), { source: true }, { uid: true })
      if (msg !== false && msg.source) out.push(msg.source)
    }
    return out
  } finally {
    lock.release()
  }
}

/** Waits until at least `count` copies arrived, then a little more to catch a late duplicate. */
export async function waitForCopies(
  device: ImapFlow,
  messageId: string,
  count = 1,
  timeoutMs = 15_000,
  folder = 'INBOX',
): Promise<Buffer[]> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const copies = await copiesOf(device, messageId, folder)
    if (copies.length >= count) {
      await new Promise((r) => setTimeout(r, 600))
      return copiesOf(device, messageId, folder)
    }
    if (Date.now() > until) return copies
    await new Promise((r) => setTimeout(r, 150))
  }
}

/** Adds a lab user's IMAP account whose SMTP settings the test chooses (port, TLS mode, password…). */
export async function addSendingAccount(
  h: SyncHarness,
  lab: LabTools,
  userName: string,
  opts: { smtp?: Partial<ServerSettings>; smtpPassword?: string; trust?: boolean } = {},
): Promise<string> {
  const user = lab.user(userName)
  const { account } = await h.connection.client.call('accounts.add', {
    account: {
      kind: 'imap',
      name: `${userName} (lab)`,
      email: user.address,
      displayName: userName,
      incoming: { host: lab.host, port: lab.ports.imaps, tls: 'implicit', username: user.address },
      smtp: {
        host: lab.host,
        port: lab.ports.submission,
        tls: 'starttls',
        username: user.address,
        ...opts.smtp,
      },
      trustedCaPem: opts.trust === false ? null : lab.caPem,
    },
    secrets: {
      incomingPassword: user.password,
      ...(opts.smtpPassword === undefined ? {} : { smtpPassword: opts.smtpPassword }),
    },
  })
  return account.id
}
