import { z } from 'zod'
import { folderInfoSchema, headerRecordSchema } from '../model/imap'
import { method, type EventMap, type MethodMap } from './define'

const accountFolder = { accountId: z.string().min(1), folder: z.string().min(1) }
const uidList = z.array(z.int().min(1)).min(1).max(100_000)

/** One server-side action, as the offline queue stores and replays it. */
export const imapActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('flags'),
    folder: z.string(),
    uids: uidList,
    add: z.array(z.string()),
    remove: z.array(z.string()),
  }),
  z.object({ kind: z.literal('move'), folder: z.string(), uids: uidList, destination: z.string() }),
  /** To Trash, or expunged for good when `folder` is the Trash (or there is none). */
  z.object({ kind: z.literal('delete'), folder: z.string(), uids: uidList, trash: z.string().nullable() }),
  /** Deleted for good (\Deleted + UID EXPUNGE of exactly these UIDs): emptying Trash or Junk. */
  z.object({ kind: z.literal('expunge'), folder: z.string(), uids: uidList }),
  z.object({ kind: z.literal('create-folder'), path: z.string().min(1) }),
  z.object({ kind: z.literal('rename-folder'), from: z.string().min(1), to: z.string().min(1) }),
  z.object({ kind: z.literal('delete-folder'), path: z.string().min(1) }),
])
export type ImapAction = z.infer<typeof imapActionSchema>

/**
 * The "imap" service: what the sync worker needs from an IMAP account. Core holds the connections and
 * the passwords; every call names the account by id.
 */
export const imapMethods = {
  /** Every mailbox with hierarchy, special use and STATUS; INBOX first. */
  'imap.folders': method({
    params: z.object({ accountId: z.string().min(1) }),
    result: z.object({ folders: z.array(folderInfoSchema) }),
  }),
  /**
   * Header records of a folder, newest first, in batches (the first small, so the newest mail shows at once).
   * When `uidValidity` is given and the server's differs, a single batch with `uidValidityChanged` ends it.
   * `minUid` limits the run to UIDs ≥ it (new mail since the cached UIDNEXT). With `snippets: false` every
   * record's snippet is null (the list fills sooner; `imap.snippets` fills them in afterwards).
   */
  'imap.headers': method({
    params: z.object({
      ...accountFolder,
      uidValidity: z.number().optional(),
      minUid: z.int().min(1).optional(),
      snippets: z.boolean().optional(),
    }),
    chunk: z.object({
      uidValidity: z.number(),
      uidValidityChanged: z.boolean(),
      headers: z.array(headerRecordSchema),
      remaining: z.int().min(0),
    }),
    result: z.object({ uidValidity: z.number(), count: z.int().min(0) }),
  }),
  /**
   * Text snippets of messages whose headers came without them, newest first, in batches. Every UID the server
   * still has gets an entry ('' when it has no text part); UIDs it no longer has are left out. When
   * `uidValidity` is not the server's, a single chunk with `uidValidityChanged` ends it (the UIDs mean nothing).
   */
  'imap.snippets': method({
    params: z.object({ ...accountFolder, uidValidity: z.number(), uids: uidList }),
    chunk: z.object({
      uidValidityChanged: z.boolean(),
      snippets: z.array(z.object({ uid: z.int().min(1), snippet: z.string() })),
    }),
    result: z.object({ uidValidityChanged: z.boolean(), count: z.int().min(0) }),
  }),
  /**
   * Raw RFC 5322 source of messages, one chunk per message. UIDs the server no longer has are listed in
   * `missing` (a value, not an error: another device may have deleted them).
   */
  'imap.bodies': method({
    params: z.object({ ...accountFolder, uids: z.array(z.int().min(1)).min(1).max(1000) }),
    chunk: z.object({ uid: z.int().min(1), raw: z.instanceof(Uint8Array) }),
    result: z.object({ count: z.int().min(0), missing: z.array(z.int().min(1)) }),
  }),
  /**
   * What changed in a folder since the cached state: new messages (headers), flag changes and expunged UIDs,
   * by QRESYNC when offered, else CONDSTORE, else a full FLAGS + UID comparison. With `uidValidityChanged`
   * the cache of that folder is void and nothing else is filled in.
   */
  'imap.sync-folder': method({
    params: z.object({
      ...accountFolder,
      local: z.object({
        uidValidity: z.number(),
        highestModseq: z.string().regex(/^\d+$/).optional(),
        uidNext: z.int().min(1).optional(),
        knownUids: z.array(z.int().min(1)).max(2_000_000).optional(),
      }),
    }),
    result: z.object({
      method: z.enum(['qresync', 'condstore', 'full']),
      uidValidity: z.number(),
      uidValidityChanged: z.boolean(),
      newMessages: z.array(headerRecordSchema),
      flagChanges: z.array(
        z.object({ uid: z.int().min(1), flags: z.array(z.string()), modseq: z.string().optional() }),
      ),
      vanished: z.array(z.int().min(1)),
      highestModseq: z.string().optional(),
      uidNext: z.int().min(0),
      exists: z.int().min(0),
    }),
  }),
  /**
   * Applies one user action on the server. Idempotent by design so the offline queue can replay it after
   * any crash: messages already gone come back as `applied: false, reason: 'gone'`, a value, not an error.
   */
  'imap.apply': method({
    params: z.object({ accountId: z.string().min(1), action: imapActionSchema }),
    result: z.object({
      applied: z.boolean(),
      reason: z.enum(['gone', 'exists']).optional(),
      /** UIDs acted on, and UIDs that were already gone. Empty for folder actions. */
      uids: z.array(z.int().min(1)),
      gone: z.array(z.int().min(1)),
      /** For moves and deletes to Trash: where the messages went and their new UIDs (COPYUID), if known. */
      destination: z.string().nullable().optional(),
      uidMap: z
        .array(z.tuple([z.int().min(1), z.int().min(1)]))
        .nullable()
        .optional(),
    }),
  }),
  /**
   * APPENDs raw RFC 5322 bytes to a folder unchanged (a local message copied or moved to this account). With
   * `messageId`, the folder is searched for that Message-ID first and an existing copy is reported as
   * `stored: 'exists'` instead of appending a second one, so the offline queue can replay it after a crash
   * exactly once. Without a Message-ID nothing can tell a replay from a new copy.
   */
  'imap.append': method({
    params: z.object({
      ...accountFolder,
      raw: z.instanceof(Uint8Array),
      messageId: z
        .string()
        .max(998)
        .regex(/^<[^<>\r\n]+>$/)
        .nullable(),
      flags: z.array(z.enum(['\\Seen', '\\Flagged', '\\Answered'])).max(3),
      /** INTERNALDATE (ms since the epoch): the message's date, so it sorts where it belongs. */
      internalDate: z.number().nullable(),
    }),
    result: z.object({ stored: z.enum(['appended', 'exists']), uid: z.int().min(1).nullable() }),
  }),
  /**
   * Watches a folder with IDLE for as long as the call runs: each change arrives as a chunk (sync that folder
   * now), and so does each change of the watch's own state (lost connection, back, gave up). The call ends
   * when the caller cancels it or its connection closes; core then stops watching.
   */
  'imap.watch': method({
    params: z.object({ ...accountFolder }),
    chunk: z.discriminatedUnion('type', [
      z.object({ type: z.literal('changed') }),
      z.object({
        type: z.literal('state'),
        state: z.enum(['watching', 'reconnecting', 'failed']),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ]),
    result: z.object({ stopped: z.literal(true) }),
  }),
} satisfies MethodMap

export const imapEvents = {} satisfies EventMap
