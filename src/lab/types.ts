/** A user the lab should create. The password defaults to `<name>-lab-password`. */
export interface LabUserSpec {
  name: string
  password?: string
}

/** A mailbox user of the lab. Log in with `address` (or the bare `name`; Dovecot strips the domain). */
export interface LabUser {
  name: string
  address: string
  password: string
  /**
   * An internationalized address (RFC 6531, non-ASCII local part) that reaches the same INBOX, for
   * SMTPUTF8 tests. Postfix writes it into the Maildir with virtual(8): Dovecot 2.3's LMTP does not offer
   * SMTPUTF8, so Postfix would bounce it there. (No "ß": Postfix case-folds it to "ss" before the lookup.)
   */
  intlAddress: string
}

export interface LabPorts {
  /** IMAP with STARTTLS. */
  imap: number
  /** IMAP over implicit TLS. */
  imaps: number
  /** POP3 with STLS. */
  pop3: number
  /** POP3 over implicit TLS. */
  pop3s: number
  /** Dovecot LMTP (plain, loopback only): what Postfix delivers into. */
  lmtp: number
  /** Postfix submission: STARTTLS required before AUTH. Does NOT offer SMTPUTF8 (like many servers). */
  submission: number
  /** Postfix submissions: implicit TLS. Offers SMTPUTF8 (RFC 6531). */
  submissions: number
}

/**
 * Everything a test needs to reach a running lab. Plain JSON, so the vitest global setup can hand it to
 * test workers (`inject('lab')`) and `npm run lab` can print it; `attachLab(info)` turns it back into tools.
 */
export interface LabInfo {
  id: string
  dir: string
  domain: string
  host: '127.0.0.1'
  ports: LabPorts
  /** PEM of the per-run CA that signed the server cert: clients must trust exactly this. */
  caPem: string
  users: LabUser[]
  /** Numeric owner of every Maildir file. */
  mailUid: number
  mailGid: number
  paths: LabPaths
}

/** Where a lab keeps its state; all inside `LabInfo.dir` unless noted. */
export interface LabPaths {
  dovecotConf: string
  /** Dovecot base_dir: master.pid and sockets. */
  dovecotBaseDir: string
  /** Postfix config_directory (main.cf, master.cf). */
  postfixDir: string
  postfixQueueDir: string
  /** Parent of the users' homes; a user's Maildir is `<mailRoot>/<name>/Maildir`. */
  mailRoot: string
  dovecotLog: string
  postfixLog: string
}

export const PORT_OFFSETS: Readonly<Record<keyof LabPorts, number>> = {
  imap: 0,
  imaps: 1,
  pop3: 2,
  pop3s: 3,
  lmtp: 4,
  submission: 5,
  submissions: 6,
}

export const PORT_COUNT = Object.keys(PORT_OFFSETS).length
