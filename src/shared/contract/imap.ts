import { z } from 'zod'
import { folderInfoSchema, headerRecordSchema } from '../model/imap'
import { method, type EventMap, type MethodMap } from './define'

const accountFolder = { accountId: z.string().min(1), folder: z.string().min(1) }

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
   * `minUid` limits the run to UIDs ≥ it (new mail since the cached UIDNEXT).
   */
  'imap.headers': method({
    params: z.object({
      ...accountFolder,
      uidValidity: z.number().optional(),
      minUid: z.int().min(1).optional(),
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
   * Raw RFC 5322 source of messages, one chunk per message. UIDs the server no longer has are listed in
   * `missing` (a value, not an error: another device may have deleted them).
   */
  'imap.bodies': method({
    params: z.object({ ...accountFolder, uids: z.array(z.int().min(1)).min(1).max(1000) }),
    chunk: z.object({ uid: z.int().min(1), raw: z.instanceof(Uint8Array) }),
    result: z.object({ count: z.int().min(0), missing: z.array(z.int().min(1)) }),
  }),
} satisfies MethodMap

export const imapEvents = {} satisfies EventMap
