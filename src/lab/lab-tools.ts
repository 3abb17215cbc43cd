import type { ImapFlow } from 'imapflow'
import { deliver, type DeliverOptions } from './deliver'
import { doveadm } from './dovecot'
import type { ExecResult } from './exec'
import { kickUser, otherDevice, resetUidValidity, uidValidityOf } from './faults/mailbox-faults'
import { dovecotOf, postfixOf } from './lab-control'
import { labUser, maildirPath } from './lab-users'
import {
  loadMaildir,
  type LabMaildirMessage,
  type LoadMaildirOptions,
  type LoadMaildirResult,
} from './maildir-load'
import type { LabInfo, LabUser } from './types'

/**
 * Tools for a running lab, built only from its LabInfo, so a vitest worker can use them on the lab the
 * global setup started (`attachLab(inject('lab'))`). Faults that disturb every test (killing Dovecot,
 * stopping Postfix) belong in a test that starts its own lab.
 */
export interface LabTools extends LabInfo {
  user(name: string): LabUser
  /** Deliver a raw message to a user's INBOX (or `opts.folder`) through Dovecot LMTP. */
  deliver(userName: string, raw: Buffer | string, opts?: DeliverOptions): Promise<string>
  /** A folder's Maildir directory (INBOX = the Maildir root). */
  maildir(userName: string, folder?: string): string
  /** Bulk-write messages into `cur/` then one `doveadm force-resync` + `index`. */
  loadMaildir(
    userName: string,
    folder: string,
    messages: Iterable<Buffer | LabMaildirMessage> | AsyncIterable<Buffer | LabMaildirMessage>,
    opts?: LoadMaildirOptions,
  ): Promise<LoadMaildirResult>
  /** `doveadm -c <lab conf> …args`; rejects on a non-zero exit. */
  doveadm(args: readonly string[]): Promise<ExecResult>
  dovecot: { kill(): Promise<void>; restart(): Promise<void>; stop(): Promise<void>; start(): Promise<void> }
  postfix: { stop(): Promise<void>; start(): Promise<void> }
  /** `doveadm kick`: cuts the user's IMAP/POP3 sessions; false when there were none. */
  kickUser(name: string): Promise<boolean>
  resetUidValidity(userName: string, folder: string): Promise<number>
  uidValidity(userName: string, folder: string): Promise<number>
  otherDevice(userName: string): Promise<ImapFlow>
  /** The plain description (what `inject('lab')` carries). */
  info(): LabInfo
}

export function attachLab(info: LabInfo): LabTools {
  return {
    ...info,
    user: (name) => labUser(info, name),
    deliver: (name, raw, opts) => deliver(info, name, raw, opts),
    maildir: (name, folder) => maildirPath(info, name, folder),
    loadMaildir: (name, folder, messages, opts) => loadMaildir(info, name, folder, messages, opts),
    doveadm: (args) => doveadm(info.paths.dovecotConf, args),
    dovecot: dovecotOf(info),
    postfix: postfixOf(info),
    kickUser: (name) => kickUser(info, name),
    resetUidValidity: (name, folder) => resetUidValidity(info, name, folder),
    uidValidity: (name, folder) => uidValidityOf(info, name, folder),
    otherDevice: (name) => otherDevice(info, name),
    info: () => info,
  }
}
