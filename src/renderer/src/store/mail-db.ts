import {
  Dexie,
  type DexieOptions,
  type EntityTable,
  type ChromeTransactionDurability,
  type Transaction,
} from 'dexie'
import type {
  AccountRow,
  BodyRow,
  FolderRow,
  MessageRow,
  PendingActionRow,
  Pop3LedgerRow,
  SnippetRow,
  SyncStateRow,
} from './rows'
import type { DraftRow, OutboxRow } from './compose-rows'
import { bucketDeltas, type CountedFields, type ListBucketRow } from './list-buckets'
import type { MessageWordsRow } from './search-index'
import { searchWordsOf } from './search-words'
import { coarseMutations } from './coarse-mutations'
import { DAY_COUNT_SPANS_SCHEMA, daySpansOf, type DayCountSpanRow } from './day-count-spans'
import { THREAD_DAYS_SCHEMA, threadDaysOf, type ThreadDayRow } from './thread-days'
import { threadBucketsOf, threadsOf, type ThreadFields, type ThreadRow } from './threads'
import { BodyStore, type BodyFileRow } from './bodies/body-store'
import type { MessageChunkRow, MessageFolderRow } from './messages/chunk-layout'
import type { MessageIdRangeRow } from './messages/id-ranges'
import { moveRowsIntoChunks } from './messages/migrate-to-chunks'
import { moveLedgerIntoBatches, POP3_LEDGER_SCHEMA, type Pop3LedgerBatchRow } from './pop3-ledger'
import { reportingDataLoss, writeIdentityOnCreate, type IdbFactoryLike } from './store-identity'

export const MAIL_DB_NAME = 'harbor-mail'

/**
 * Every schema version, oldest first. A change is a NEW entry (with an `upgrade` when data must move),
 * never an edit of an old one: users' databases were created by those old entries.
 */
export interface SchemaVersion {
  version: number
  stores: Record<string, string | null>
  /** Moves data written by the previous version into this version's shape. */
  upgrade?: (tx: Transaction) => Promise<void>
}

const VERSION_4_MESSAGES =
  '++id, accountId, folderId, [folderId+date], &[folderId+uid], [folderId+unread+date], [folderId+flagged+date], [folderId+threadId+date], threadId, messageId, *searchWords'

/**
 * Version 6 (issue 5): the word index moved to its own table, filled in the background (`messageWords`,
 * search-index.ts), and the single `folderId` index is gone: Dexie answers `where('folderId')` from the
 * compound indexes that start with it. Every index is written with every row; these two cost the first
 * sync of a big folder more than the rest of the row together (bench/idb-write-cost.ts).
 */
const VERSION_6_MESSAGES =
  '++id, accountId, [folderId+date], &[folderId+uid], [folderId+unread+date], [folderId+flagged+date], [folderId+threadId+date], threadId, messageId'

const VERSION_1_STORES: Record<string, string> = {
  accounts: 'id, position',
  folders: 'id, accountId, [accountId+path]',
  // [folderId+date] drives the message list; &[folderId+uid] makes a duplicate IMAP row impossible.
  messages:
    '++id, accountId, folderId, [folderId+date], &[folderId+uid], [folderId+unread], [folderId+flagged], threadId, messageId',
  bodies: 'messageId',
  pendingActions: '++id, accountId, createdAt',
  pop3Ledger: '[accountId+uidl], accountId',
  syncState: 'key',
}

const VERSION_6_STORES: Record<string, string> = {
  ...VERSION_1_STORES,
  messages: VERSION_6_MESSAGES,
  pop3Ledger: '[accountId+uidl], accountId, messageId',
  drafts: 'id, accountId, updatedAt',
  outbox: 'id, accountId, state, createdAt',
  listBuckets: '[folderId+day]',
  messageWords: 'id, *words',
}

/** The tables of version 13 on; later versions changed what records hold, not the tables. */
const VERSION_13_STORES = {
  ...VERSION_6_STORES,
  messages: null,
  pop3Ledger: null,
  threads: null,
  threadDays: THREAD_DAYS_SCHEMA,
  listBuckets: null,
  threadBuckets: null,
  listDayCounts: DAY_COUNT_SPANS_SCHEMA,
  threadDayCounts: DAY_COUNT_SPANS_SCHEMA,
  snippets: 'id',
  bodyFiles: 'accountId',
  messageChunks: '[folderId+no]',
  messageFolders: 'folderId, accountId',
  messageIdRanges: 'start',
  pop3LedgerBatches: POP3_LEDGER_SCHEMA,
}

export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  { version: 1, stores: VERSION_1_STORES },
  {
    // POP3 download (issue 6): ledger rows found by message (a local delete must reach its ledger row),
    // and ledger rows say whether the full bytes are stored (only those may ever be DELE'd) and whether
    // the user deleted the local copy for good. Messages gain bodyState 'headers-only'.
    version: 2,
    // Every table is listed again so each entry reads as the full schema of its version.
    stores: { ...VERSION_1_STORES, pop3Ledger: '[accountId+uidl], accountId, messageId' },
    upgrade: async (tx) => {
      // Version 1 wrote ledger rows only together with the full bytes.
      await tx
        .table('pop3Ledger')
        .toCollection()
        .modify((row: Partial<Pop3LedgerRow>) => {
          row.fullStored ??= true
          row.deletedLocallyAt ??= null
          row.sha256 ??= null
        })
    },
  },
  {
    // Compose (issue 7): drafts being written and the outbox. New tables only; nothing to migrate.
    version: 3,
    stores: {
      ...VERSION_1_STORES,
      pop3Ledger: '[accountId+uidl], accountId, messageId',
      drafts: 'id, accountId, updatedAt',
      outbox: 'id, accountId, state, createdAt',
    },
  },
  {
    // The window at 100,000 messages (issue 8): Unread/Flagged lists read [folderId+flag+date] ranges, so a
    // filtered window or count is an index range like the unfiltered one (replacing [folderId+unread] and
    // [folderId+flagged], which could count but not order); search reads the multi-entry word index;
    // [folderId+threadId+date] lets the conversation view group a folder from index keys alone.
    version: 4,
    stores: {
      ...VERSION_1_STORES,
      messages: VERSION_4_MESSAGES,
      pop3Ledger: '[accountId+uidl], accountId, messageId',
      drafts: 'id, accountId, updatedAt',
      outbox: 'id, accountId, state, createdAt',
    },
    upgrade: async (tx) => {
      await tx
        .table('messages')
        .toCollection()
        .modify((row: MessageRow) => {
          row.searchWords = searchWordsOf(row)
        })
    },
  },
  {
    // The list at 100,000 messages (issue 8): messages per folder and day and filter, kept in step with every
    // write by the store (derived-rows.ts), so the list's length, date groups and any row's position are read from
    // a few small rows instead of counting or stepping over the folder. The upgrade counts once.
    version: 5,
    stores: {
      ...VERSION_1_STORES,
      messages: VERSION_4_MESSAGES,
      pop3Ledger: '[accountId+uidl], accountId, messageId',
      drafts: 'id, accountId, updatedAt',
      outbox: 'id, accountId, state, createdAt',
      listBuckets: '[folderId+day]',
    },
    upgrade: async (tx) => {
      const rows: CountedFields[] = []
      await tx.table('messages').each(({ folderId, date, unread, flagged }: MessageRow) => {
        rows.push({ folderId, date, unread, flagged })
      })
      await tx.table('listBuckets').clear()
      await tx.table('listBuckets').bulkPut(bucketDeltas([], rows))
    },
  },
  {
    // Sync speed (issue 5): rows are written without their word index; a background indexer puts each
    // message's words into `messageWords` (keyed by message id) and remembers how far it got, and search
    // scans the rows above that point (search-index.ts). Nothing to migrate: the new table starts empty,
    // so the indexer's first run indexes the existing rows while search scans them. Rows of older versions
    // keep their unused `searchWords` field (rewriting every row to drop it would cost more than it saves).
    version: 6,
    stores: VERSION_6_STORES,
  },
  {
    // The conversation view at 100,000 messages (issue 8): one row per folder and thread (newest message,
    // count, unread, flagged) and threads per folder and day of their newest message, kept in step with every
    // write by the same middleware, so the view pages through threads as the flat list pages through
    // messages. Only the thread rows' own [folderId+date] is indexed: nothing is added to `messages`, whose
    // every index slows the sync's writes. The upgrade groups once.
    version: 7,
    stores: {
      ...VERSION_6_STORES,
      threads: '[folderId+threadId], [folderId+date]',
      threadBuckets: '[folderId+day]',
    },
    upgrade: async (tx) => {
      // From index keys only: reading 100,000 whole rows (addresses, snippets) would cost far more.
      const messages = tx.table('messages')
      const flagged = async (index: string): Promise<Set<number>> => {
        const ids = new Set<number>()
        await messages.orderBy(index).eachKey((key, cursor) => {
          if ((key as [string, number, number])[1] === 1) ids.add(cursor.primaryKey as number)
        })
        return ids
      }
      const unread = await flagged('[folderId+unread+date]')
      const flaggedIds = await flagged('[folderId+flagged+date]')
      const rows: ThreadFields[] = []
      await messages.orderBy('[folderId+threadId+date]').eachKey((key, cursor) => {
        const [folderId, threadId, date] = key as [string, string, number]
        const id = cursor.primaryKey as number
        rows.push({
          id,
          folderId,
          threadId,
          date,
          unread: unread.has(id) ? 1 : 0,
          flagged: flaggedIds.has(id) ? 1 : 0,
        })
      })
      const threads = threadsOf(rows)
      await tx.table('threads').clear()
      await tx.table('threadBuckets').clear()
      await tx.table('threads').bulkPut(threads)
      await tx.table('threadBuckets').bulkPut(threadBucketsOf(threads))
    },
  },
  {
    // Sync speed (issue 5): an IMAP folder's headers are written without snippets, which a background pass
    // fetches afterwards into this table (keyed by message id, no index: the cheapest row to write) instead
    // of rewriting every message row; the list reads them for the rows it shows (store/queries/snippets.ts).
    // New table only; nothing to migrate.
    version: 8,
    stores: {
      ...VERSION_6_STORES,
      threads: '[folderId+threadId], [folderId+date]',
      threadBuckets: '[folderId+day]',
      snippets: 'id',
    },
  },
  {
    // POP3 download speed (issue 6): raw bodies are appended to files (store/bodies/body-store.ts); a row
    // points at its bytes, and this table holds one record per account: its current file segment and how
    // many of its bytes are committed. Written in the same transaction as the rows; a table of its own
    // because the page's live queries hold `syncState` all the time, and a write there waits behind them.
    // New table only: bodies stored before stay in `bodies` and are read from there.
    version: 9,
    stores: {
      ...VERSION_6_STORES,
      threads: '[folderId+threadId], [folderId+date]',
      threadBuckets: '[folderId+day]',
      snippets: 'id',
      bodyFiles: 'accountId',
    },
  },
  {
    // Sync speed (issues 5 and 6): message rows move from one record each (8 indexes) into chunks of up to 500
    // rows per folder in list order, with a directory per folder and the folder of each run of ids
    // (store/messages/chunk-layout.ts, id-ranges.ts). Writing a record per message was most of the time of a
    // header pass and of a POP3 download (bench/idb-layout-cost.ts). Ids do not change.
    version: 10,
    stores: {
      ...VERSION_6_STORES,
      messages: null,
      threads: '[folderId+threadId], [folderId+date]',
      threadBuckets: '[folderId+day]',
      snippets: 'id',
      bodyFiles: 'accountId',
      messageChunks: '[folderId+no]',
      messageFolders: 'folderId, accountId',
      messageIdRanges: 'start',
    },
    upgrade: moveRowsIntoChunks,
  },
  {
    // POP3 download speed (issue 6): the ledger moves from one record per message into one record per
    // committed batch (store/pop3-ledger.ts); a record per message cost ~1 s of a 10,000-message download.
    // Entries keep every field; the upgrade groups each account's rows into batches.
    version: 11,
    stores: {
      ...VERSION_6_STORES,
      messages: null,
      pop3Ledger: null,
      threads: '[folderId+threadId], [folderId+date]',
      threadBuckets: '[folderId+day]',
      snippets: 'id',
      bodyFiles: 'accountId',
      messageChunks: '[folderId+no]',
      messageFolders: 'folderId, accountId',
      messageIdRanges: 'start',
      pop3LedgerBatches: POP3_LEDGER_SCHEMA,
    },
    upgrade: moveLedgerIntoBatches,
  },
  {
    // Sync speed (issues 5 and 6): thread rows move from one record each into one record per folder and day
    // of the threads' newest messages, found by a multi-entry index of thread keys (store/thread-days.ts).
    // A record per thread was ~7,000 IndexedDB puts in a 10,000-message header pass or POP3 download, the most
    // requests of either. Rows keep every field.
    version: 12,
    stores: {
      ...VERSION_6_STORES,
      messages: null,
      pop3Ledger: null,
      threads: null,
      threadDays: THREAD_DAYS_SCHEMA,
      threadBuckets: '[folderId+day]',
      snippets: 'id',
      bodyFiles: 'accountId',
      messageChunks: '[folderId+no]',
      messageFolders: 'folderId, accountId',
      messageIdRanges: 'start',
      pop3LedgerBatches: POP3_LEDGER_SCHEMA,
    },
    upgrade: async (tx) => {
      await tx.table('threadDays').bulkPut(threadDaysOf(await tx.table<ThreadRow>('threads').toArray()))
    },
  },
  {
    // Sync speed (issues 5 and 6): the per-day counts of messages and of threads move from one record per
    // folder and day into one per folder and 128 days (store/day-count-spans.ts): ~2,200 reads and as many
    // writes of a 10,000-message header pass or POP3 download become a few dozen. Counts are kept as they were.
    version: 13,
    stores: VERSION_13_STORES,
    upgrade: async (tx) => {
      const moved: [string, string][] = [
        ['listBuckets', 'listDayCounts'],
        ['threadBuckets', 'threadDayCounts'],
      ]
      for (const [from, to] of moved) {
        await tx.table(to).bulkPut(daySpansOf(await tx.table<ListBucketRow>(from).toArray()))
      }
    },
  },
  {
    // A day of more than MAX_PART_THREADS threads is split into parts, each a record of its own, keyed inside
    // the day (store/thread-days.ts). Nothing to convert: a day too big splits when a write next touches it.
    // The version changes so that an older build, which knows one record per day only, refuses this store
    // (Dexie opens no store newer than its schema) instead of writing a thread twice.
    version: 14,
    stores: VERSION_13_STORES,
  },
]

/** The environment's IndexedDB (the worker's, or fake-indexeddb's in Node tests). */
function globalIndexedDb(): IdbFactoryLike | undefined {
  return (globalThis as { indexedDB?: IdbFactoryLike }).indexedDB
}

export class MailDb extends Dexie {
  accounts!: EntityTable<AccountRow, 'id'>
  folders!: EntityTable<FolderRow, 'id'>
  messageChunks!: Dexie.Table<MessageChunkRow, [string, number]>
  messageFolders!: EntityTable<MessageFolderRow, 'folderId'>
  messageIdRanges!: EntityTable<MessageIdRangeRow, 'start'>
  bodies!: EntityTable<BodyRow, 'messageId'>
  pendingActions!: EntityTable<PendingActionRow, 'id'>
  pop3LedgerBatches!: Dexie.Table<Pop3LedgerBatchRow, [string, number]>
  syncState!: EntityTable<SyncStateRow, 'key'>
  drafts!: EntityTable<DraftRow, 'id'>
  outbox!: EntityTable<OutboxRow, 'id'>
  listDayCounts!: Dexie.Table<DayCountSpanRow, [string, number]>
  messageWords!: EntityTable<MessageWordsRow, 'id'>
  threadDays!: Dexie.Table<ThreadDayRow, [string, number]>
  threadDayCounts!: Dexie.Table<DayCountSpanRow, [string, number]>
  snippets!: EntityTable<SnippetRow, 'id'>
  bodyFiles!: EntityTable<BodyFileRow, 'accountId'>

  constructor(name: string, durability: ChromeTransactionDurability) {
    // What the browser reported lost when this connection opened (only a first open after a loss knows).
    const lost: { what: string | null } = { what: null }
    const idb = globalIndexedDb()
    super(name, {
      chromeTransactionDurability: durability,
      ...(idb && {
        indexedDB: reportingDataLoss(idb, (what) => {
          lost.what = what
          console.warn(`[store] the browser reports lost data when opening ${name}: ${what}`)
        }),
        // Read now, like the factory, not when Dexie was first imported: in Node (tests) a module that imports
        // Dexie may load before fake-indexeddb installs its globals.
        IDBKeyRange: (globalThis as { IDBKeyRange?: DexieOptions['IDBKeyRange'] }).IDBKeyRange,
      }),
    })
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
      const v = this.version(version).stores(stores)
      if (upgrade) v.upgrade(upgrade)
    }
    // Before the first open: Dexie builds its middleware stack when the connection opens.
    this.use(coarseMutations)
    writeIdentityOnCreate(this, () => lost.what)
  }
}

export interface MailStore {
  /**
   * For writes a server-side delete depends on (POP3 bytes before DELE, outbox state before SMTP DATA):
   * Chromium flushes them to disk before the transaction reports complete.
   */
  durable: MailDb
  /** For everything that can be fetched again (headers, flags, cached bodies of IMAP mail). */
  fast: MailDb
  /** Raw message bodies in append-only files; the writer's side (only the sync worker appends). */
  bodies: BodyStore
  close(): void
}

/**
 * Opens the cache twice over the same database: durability is a per-connection option in Dexie, and
 * most writes (re-fetchable headers) should not pay for a disk flush each.
 */
export async function openMailStore(name = MAIL_DB_NAME): Promise<MailStore> {
  const durable = new MailDb(name, 'strict')
  const fast = new MailDb(name, 'relaxed')
  await durable.open()
  await fast.open()
  const bodies = new BodyStore(durable)
  return {
    durable,
    fast,
    bodies,
    close: () => {
      bodies.close()
      durable.close()
      fast.close()
    },
  }
}
