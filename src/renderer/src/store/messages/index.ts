/**
 * The one owner of message rows: every read and write of them outside this folder goes through these
 * functions (an ESLint rule forbids `db.messages` elsewhere, except the schema upgrades in mail-db.ts), so the
 * layout can change under them. Today each message is one IndexedDB record of `messages` (schema v8), with
 * listBucketMiddleware keeping per-day counts and thread rows in step. The decided next layout (issue note
 * "The store layout decision") packs rows into chunks of ~500 per folder in date order, with a per-folder
 * directory (per chunk: key, count, newest/oldest date, unread/flagged counts) and a per-folder uid → chunk
 * map. Functions take the MailDb and join the caller's transaction, whose scope must hold
 * `messageTables(db)`; reads stay Dexie reads, so a liveQuery over them reacts to writes.
 *
 * What that layout answers cheaply, and what each other operation should become:
 *
 * | operation (module function) | callers | chunked layout | should become |
 * |---|---|---|---|
 * | list windows by folder + date, all/unread/flagged (readFolderByDate, readFolderIdsByDate, countFolderByDate) | message-window, fetch-bodies, export | cheap: directory → chunk(s); unread/flagged from the directory's per-chunk counts, rows filtered in the chunk | as is |
 * | whole folder (folderMessages, folderMessageIds, countFolderMessages) | folder delete/empty, rebuild, POP3 folder ops, archive | cheap: the folder's chunks; count from the directory | as is |
 * | by folder + uid (messagesByUids, messagesAtUids, messageIdsByUids, folderUids, newestByUid, messagesFromUid) | header batches, flag changes, expunge, snippets | cheap with the uid → chunk map (folderUids from the map alone) | as is |
 * | threads of a folder (eachThreadKey, threadMessageIdsIn) | conversation view, actions on threads | a folder scan, or thread chunks + thread directory | thread rows in chunks (FolderThreadCache as the normal path) |
 * | writes: add/put/update/delete, moveFolderMessages | sync, actions, import, transfer, outbox | add/put: append to or rewrite the folder's newest/affected chunk (one chunk write per 500 rows); update/delete by bare id: needs id → chunk first (below); move folder: rewrite the chunks' folderId or re-key them | calls carrying a message reference (folder + date + id) |
 * | by bare global id (getMessage, getMessages, getStoredMessages) | reading pane, actions, compose sources, selection, search hits, thread heads, bodies/snippets/ledger joins | NOT cheap: no id index; an id → chunk record per message brings the per-record cost back (bench: 0.9–1.1 s/10k vs 0.07–0.10) | a MessageRef {folderId, date, id} wherever an id is kept: pendingActions.messageIds, threads.headId, selection, pop3Ledger.messageId, snippets/messageWords keys and the legacy `bodies` table (per folder chunk instead; bodies in OPFS files are already found from the row's `body` reference, not by id), outbox follow-ups; the directory narrows folderId + date to one chunk |
 * | global id-order scans (messagesAboveId, newestMessages, newestMessageIds, allMessageIds, findMessagesInIdRange) | search-index, search scan, address book, new-mail notifier, orphan-rows | NOT cheap: ids are spread over every folder's chunks | per-folder "stored since" marks in the directory (next id per folder): the indexer and the notifier walk folders' chunks written after their mark; the address book reads each folder's newest chunk; orphan rows become per-chunk side data deleted with their chunk |
 * | by Message-ID header across folders (messagesByHeaderId) | import dedup | NOT cheap (index on messageId) | the import reads its target folder's chunks instead (it only keeps same-folder hits) |
 * | by account (accountMessageIds) | account removal | cheap: the account's folders' chunks (folders know their account) | per-folder deletes |
 */
export { messageTables } from './tables'
export { getMessage, getMessages, getStoredMessages } from './by-id'
export {
  countFolderByDate,
  eachThreadKey,
  readFolderByDate,
  readFolderIdsByDate,
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
  messagesByHeaderId,
} from './by-folder'
export {
  allMessageIds,
  allMessages,
  findMessagesInIdRange,
  messagesAboveId,
  newestMessageIds,
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
} from './writes'
