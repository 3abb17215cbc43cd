/**
 * The one owner of message rows: every read and write of them outside this folder goes through these
 * functions (an ESLint rule forbids the tables elsewhere, except the schema upgrades in mail-db.ts and the
 * store's tests), so the layout can change under them. Functions take the MailDb and join the caller's
 * transaction, whose scope must hold `messageTables(db)`; reads stay Dexie reads, so a liveQuery over them
 * reacts to writes.
 *
 * The layout (schema version 10; issue note "The store layout decision"): a folder's rows are packed into
 * chunks of up to 500 in list order (`messageChunks`, chunk-layout.ts), with one directory record per folder
 * (`messageFolders`: per chunk its count, unread/flagged counts, date, id and UID bounds), and one record per
 * run of ids given to one folder (`messageIdRanges`, id-ranges.ts) so a bare id finds its folder. A write is a
 * read-modify-write of the chunks it touches (folder-chunks.ts FolderEdit) and keeps the per-day counts and
 * thread rows in step in the same transaction (derived-rows.ts keepDerivedRows). Writing a record
 * per message was most of the time of a header pass and a POP3 download (bench/idb-layout-cost.ts).
 *
 * What each operation costs now, and what could still change:
 *
 * | operation (module function) | callers | chunked layout |
 * |---|---|---|
 * | list windows by folder + date, all/unread/flagged (readFolderByDate, readFolderIdsByDate, countFolderByDate) | message-window, fetch-bodies, export | directory → the chunks the window touches; whole chunks skipped by their counts |
 * | whole folder (folderMessages, folderMessageIds, countFolderMessages) | folder delete/empty, rebuild, POP3 folder ops, archive | the folder's chunks; the count from the directory |
 * | by folder + uid (messagesByUids, messagesAtUids, messageIdsByUids, folderUids, newestByUid, messagesFromUid) | header batches, flag changes, expunge, snippets | the chunks whose UID bounds hold the UIDs (UIDs follow dates closely in a folder, so few); folderUids reads the folder |
 * | threads of a folder (eachThreadKey, threadMessageIdsIn) | conversation view, actions on threads | a scan of the folder's chunks (thread rows are still one record per thread: the next step is thread rows in chunks) |
 * | writes: add/put/update/delete, moveFolderMessages | sync, actions, import, transfer, outbox | a rewrite of the touched chunks (~250 KB each) and the directory; a flag change costs a chunk write, a batch of 500 one |
 * | by bare global id (getMessage, getMessages, getStoredMessages) | reading pane, actions, compose sources, selection, search hits, thread heads, joins | id → folder from the id runs, then the chunks whose id bounds hold it (ids of one write are contiguous, so usually one) |
 * | global id-order scans (messagesAboveId, newestMessages, highestGivenId, findMessagesInIdRange, allMessageIds) | search-index, search scan, address book, new-mail notifier, orphan-rows | the id runs in order, then each run's folder's chunks nearest first until the limit |
 * | by account (accountMessages, accountMessageIds) | account removal, lab checks | the account's folders' chunks (directories carry the account) |
 */
export { messageTables } from './tables'
export { getMessage, getMessages, getStoredMessages } from './by-id'
export {
  countFolderByDate,
  eachThreadKey,
  readFolderByDate,
  readFolderIdsByDate,
  readFolderRunsByDate,
  threadMessageIdsIn,
  type FolderDateQuery,
  type ListFilter,
} from './folder-window'
export {
  folderUids,
  messageAtUid,
  messageIdsByUids,
  messagesAtUids,
  messagesByUids,
  messagesFromUid,
  newestByUid,
} from './by-uid'
export {
  accountMessageIds,
  accountMessages,
  countFolderMessages,
  folderMessageIds,
  folderMessages,
} from './by-folder'
export {
  allMessageIds,
  allMessages,
  eachMessageStep,
  findMessagesInIdRange,
  highestGivenId,
  messagesAboveId,
  newestMessages,
} from './scans'
export {
  addMessage,
  addMessages,
  deleteMessage,
  deleteMessages,
  moveFolderMessages,
  putMessages,
  updateMessage,
  updateMessages,
} from './writes'
