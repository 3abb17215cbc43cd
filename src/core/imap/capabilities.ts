import type { ImapFlow } from 'imapflow'
import { MailError } from '../../shared/errors'

/** What the server lets us do beyond IMAP4rev1; everything here is optional and degrades. */
export interface ImapFeatures {
  /** RFC 7162 §3.2: SELECT … (QRESYNC …) gives flag changes and VANISHED (EARLIER) in one step. */
  qresync: boolean
  /** RFC 7162 §3.1: per-message MODSEQ and FETCH … (CHANGEDSINCE n). */
  condstore: boolean
  /** RFC 6851: atomic UID MOVE. */
  move: boolean
  /** RFC 4315: UID EXPUNGE, APPENDUID, COPYUID. */
  uidplus: boolean
  /** RFC 2177 / RFC 9051 §6.3.13. */
  idle: boolean
  /** RFC 6154: \Sent, \Trash, … on LIST. */
  specialUse: boolean
  /** RFC 4978 COMPRESS=DEFLATE negotiated for this session. */
  compressed: boolean
  /** RFC 3516 / RFC 9051: server-side decoding of transfer encodings (used for cheap snippets). */
  binary: boolean
}

/**
 * The only hard requirement: the server speaks IMAP4rev1 (RFC 3501) or IMAP4rev2 (RFC 9051). Everything
 * else (UIDPLUS, CONDSTORE, QRESYNC, MOVE, IDLE, SPECIAL-USE) is optional and we degrade without it: that
 * keeps small and old servers usable. Throws CAPABILITY_MISSING otherwise.
 */
export function assertRequiredCapabilities(capabilities: ReadonlyMap<string, unknown>, host: string): void {
  if (!capabilities.has('IMAP4REV1') && !capabilities.has('IMAP4rev1') && !capabilities.has('IMAP4rev2')) {
    throw new MailError(
      'CAPABILITY_MISSING',
      `${host} is not a standard IMAP server (it does not announce IMAP4rev1). Check the server name and port.`,
      `capabilities: ${[...capabilities.keys()].join(' ')}`,
    )
  }
}

/** Reads the optional features of a connected client. */
export function featuresOf(client: ImapFlow): ImapFeatures {
  const has = (name: string): boolean => client.capabilities.has(name)
  const rev2 = client.enabled.has('IMAP4rev2')
  return {
    qresync: client.enabled.has('QRESYNC'),
    condstore: client.enabled.has('CONDSTORE') || client.enabled.has('QRESYNC') || has('CONDSTORE'),
    move: has('MOVE') || rev2,
    uidplus: has('UIDPLUS') || rev2,
    idle: has('IDLE') || rev2,
    specialUse: has('SPECIAL-USE') || has('XLIST'),
    // imapflow negotiates COMPRESS right after login whenever it is offered and not disabled.
    compressed: has('COMPRESS=DEFLATE') && client.options.disableCompression !== true,
    binary: has('BINARY') || rev2,
  }
}
