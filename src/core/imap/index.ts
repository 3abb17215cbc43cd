// The IMAP layer of core: connections, one operation per file, errors mapped to MailError in errors.ts.
export type * from './types'
export {
  connectImap,
  closeQuietly,
  imapflowOptions,
  CLIENT_INFO,
  DEFAULT_TIMEOUTS,
  type ConnectOptions,
} from './connect'
export { toMailError, mapErrors, type ImapErrorContext } from './errors'
export { featuresOf, assertRequiredCapabilities, type ImapFeatures } from './capabilities'
export { imapflowLogger, type ImapLogEntry, type ImapLogSink } from './logger'
export {
  ImapConnectionManager,
  isTransient,
  type ConnectionManagerOptions,
  type WatchState,
  type Watcher,
} from './connection-manager'
export { backoffDelay, type BackoffOptions } from './backoff'
export { listFolders, folderWithUse } from './list-folders'
export { fetchHeaders, listUids, type FetchHeadersOptions, type HeaderBatch } from './fetch-headers'
export {
  syncFolder,
  type FlagChange,
  type FolderDiff,
  type LocalFolderState,
  type SyncFolderOptions,
} from './sync-folder'
export { fetchMessageSource, fetchMessageSources, type MessageSource } from './fetch-source'
export { setFlags, addFlags, removeFlags, type ActionResult, type Applied } from './flags'
export { moveMessages, type MoveResult, type Moved } from './move'
export {
  deleteMessages,
  expungeMessages,
  type DeleteOptions,
  type DeleteResult,
  type Expunged,
} from './delete-messages'
export { appendMessage, type AppendOptions, type AppendResult, type Appended } from './append'
export {
  createFolder,
  renameFolder,
  deleteFolder,
  type FolderActionResult,
  type FolderApplied,
} from './manage-folders'
export { idle, type FolderChange, type IdleHandle } from './idle'
export type { ActionUids } from './existing-uids'
