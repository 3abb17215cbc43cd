import { ImapFlow } from 'imapflow'
import { doveadm } from '../dovecot'
import { labUser } from '../lab-users'
import type { LabInfo } from '../types'

/** Reads a folder's UIDVALIDITY through doveadm (no IMAP session needed). */
export async function uidValidityOf(info: LabInfo, userName: string, folder: string): Promise<number> {
  const user = labUser(info, userName)
  const r = await doveadm(info.paths.dovecotConf, [
    '-f',
    'flow',
    'mailbox',
    'status',
    '-u',
    user.name,
    'uidvalidity',
    folder,
  ])
  const m = /uidvalidity=(\d+)/.exec(r.stdout)
  if (!m) throw new Error(`doveadm mailbox status printed no uidvalidity: ${r.stdout.trim()}`)
  return Number(m[1])
}

/**
 * Gives a folder a new UIDVALIDITY (RFC 3501 §2.3.1.1), as a server restore or migration would: every
 * UID a client cached for it becomes meaningless. Dovecot keeps the messages. Resolves with the new value.
 */
export async function resetUidValidity(info: LabInfo, userName: string, folder: string): Promise<number> {
  const user = labUser(info, userName)
  const before = await uidValidityOf(info, user.name, folder)
  // Strictly different from the old one and from anything a client saw before (UIDVALIDITY is 32-bit).
  const next = Math.max(before + 1, Math.floor(Date.now() / 1000)) % 0xffffffff || 1
  await doveadm(info.paths.dovecotConf, [
    'mailbox',
    'update',
    '-u',
    user.name,
    '--uid-validity',
    String(next),
    folder,
  ])
  return next
}

/**
 * Disconnects every IMAP/POP3 session of the user (`doveadm kick`). Resolves true when sessions were
 * cut, false when the user had none (doveadm exits 68 then).
 */
export async function kickUser(info: LabInfo, userName: string): Promise<boolean> {
  const user = labUser(info, userName)
  const r = await doveadm(info.paths.dovecotConf, ['kick', user.name], undefined, false)
  if (r.code === 68) return false
  if (r.code !== 0) throw new Error(`doveadm kick ${user.name} exited with ${r.code}: ${r.stderr.trim()}`)
  return true
}

/**
 * An imapflow client logged in as the user over IMAPS, standing in for the user's phone or webmail:
 * use it to flag, move, expunge or append behind the client under test. The caller logs it out.
 */
export async function otherDevice(info: LabInfo, userName: string): Promise<ImapFlow> {
  const user = labUser(info, userName)
  const client = new ImapFlow({
    host: info.host,
    port: info.ports.imaps,
    secure: true,
    servername: 'localhost',
    tls: { ca: [info.caPem] },
    auth: { user: user.address, pass: user.password },
    logger: false,
  })
  await client.connect()
  return client
}
