import { createTransport } from 'nodemailer'
import type { LabInfo } from './types'
import { labUser } from './lab-users'

export interface DeliverOptions {
  /** Deliver into this folder instead of INBOX (created if missing), via `user+folder@domain`. */
  folder?: string
  /** Envelope sender; defaults to the null sender like a bounce would use. */
  from?: string
}

/**
 * Delivers one raw RFC 5322 message through Dovecot's LMTP, i.e. exactly as Postfix would: Dovecot
 * assigns the UID, updates indexes and notifies IDLE sessions. Resolves with the LMTP reply.
 */
export async function deliver(
  info: LabInfo,
  userName: string,
  raw: Buffer | string,
  opts: DeliverOptions = {},
): Promise<string> {
  const user = labUser(info, userName)
  const to = opts.folder === undefined ? user.address : `${user.name}+${opts.folder}@${info.domain}`
  // LMTP on loopback carries no credentials; TLS here would only cost time.
  const transport = createTransport({
    host: info.host,
    port: info.ports.lmtp,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
  })
  try {
    const sent = await transport.sendMail({ envelope: { from: opts.from ?? '', to: [to] }, raw })
    return sent.response
  } finally {
    transport.close()
  }
}
