/**
 * POP3 client for core (issue 6). Start with `openPop3Session`; `Pop3Client` is the step-by-step layer
 * underneath. See README.md for the protocol rules the sync code relies on.
 */
export { openPop3Session, chooseAuthMethod, type Pop3Session } from './open-session'
export { Pop3Client, DEFAULT_CONNECT_MS, DEFAULT_IDLE_MS } from './pop3-client'
export { apopDigest, apopTimestamp } from './commands/authenticate'
export { parseCapabilities } from './commands/capa'
export { isStrictUid } from './commands/listing'
export type {
  Pop3AuthMethod,
  Pop3Capabilities,
  Pop3Config,
  Pop3ConnectOptions,
  Pop3ListEntry,
  Pop3Stat,
  Pop3Status,
  Pop3Timeouts,
  Pop3TlsMode,
  Pop3UidlEntry,
} from './types'
