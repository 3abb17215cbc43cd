import type { Logger as ImapFlowLogger } from 'imapflow'

/** A structured log entry of the IMAP layer: no bodies, no credentials, no raw protocol lines. */
export interface ImapLogEntry {
  level: 'info' | 'warn' | 'error'
  module: 'imap'
  msg: string
  /** imapflow's connection id, to follow one connection. */
  cid?: string
  /** An error's code (`ECONNRESET`, `ETIMEOUT`, …), never its full object. */
  code?: string
  account?: string
}

/** Where the IMAP layer writes its log; the core wires it to the app's logger. */
export type ImapLogSink = (entry: ImapLogEntry) => void

function fieldOf(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined
}

/**
 * An imapflow logger that forwards only info/warn/error entries, reduced to their message, connection id and
 * error code. Debug and trace entries (where imapflow puts protocol lines, i.e. message content) are dropped
 * whole, so nothing from a mailbox or a LOGIN can reach the log. Without a sink imapflow stays silent.
 */
export function imapflowLogger(sink: ImapLogSink | undefined, account?: string): ImapFlowLogger | false {
  if (!sink) return false
  const forward =
    (level: ImapLogEntry['level']) =>
    (obj: unknown): void => {
      const msg = fieldOf(obj, 'msg')
      const cid = fieldOf(obj, 'cid')
      const code = fieldOf(fieldOf(obj, 'err'), 'code')
      const entry: ImapLogEntry = {
        level,
        module: 'imap',
        msg: typeof msg === 'string' ? msg : '(no message)',
      }
      if (typeof cid === 'string') entry.cid = cid
      if (typeof code === 'string') entry.code = code
      if (account !== undefined) entry.account = account
      sink(entry)
    }
  const drop = (): void => undefined
  return {
    trace: drop,
    debug: drop,
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    fatal: forward('error'),
  }
}
