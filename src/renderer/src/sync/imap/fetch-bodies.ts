import type { MailDb, MailStore } from '../../store/mail-db'
import { folderId, type FolderRow, type MessageRow } from '../../store/rows'
import type { CoreApi } from '../engine/core-api'
import { messageTables, readFolderRunsByDate, updateMessages } from '../../store/messages'

/**
 * Messages per `imap.bodies` call, and their total size: each call costs a round trip and a mailbox lock in
 * core, so calls are big (core streams each message as it arrives; a cancel stops it between messages). A
 * call never spans two runs of rows the store keeps together (one chunk: up to 500 rows), so its bodies are
 * written with one rewrite of that chunk.
 */
const BATCH_MAX_COUNT = 500
const BATCH_MAX_BYTES = 16 * 1024 * 1024
/**
 * `imap.bodies` calls in flight at once. Core has two command connections per account, so two calls download
 * side by side: one's round trips and the server's work overlap the other's transfer.
 */
const LANES = 2

/**
 * A call's bodies are written together once the call has answered (or once GROUP_MAX_BYTES of them are in):
 * a write rewrites each chunk holding one of its rows (read, then written: ~250 KB each way), and writing
 * whatever had arrived (two calls' bodies interleaved, up to 200) rewrote each chunk of a 10,000-message full
 * sync ~5 times, most of the sync worker's CPU. Every IndexedDB transaction also costs a commit.
 */
const GROUP_MAX_BYTES = 16 * 1024 * 1024
/** Downloading runs ahead of writing by at most this much: the next `imap.bodies` call waits below it. */
const QUEUE_LIMIT_BYTES = 32 * 1024 * 1024

interface Arrived {
  id: number
  raw: Uint8Array
}

/**
 * Appends a group's bytes to the account's body file (store/bodies: flushed first), then points the rows at
 * them and marks them 'full' in one transaction with the file's committed length. Rows deleted meanwhile get
 * nothing: their bytes stay behind as dead bytes. The relaxed connection is enough (the server keeps the
 * mail): a commit lost in a crash loses its rows' refs and committed length together, and the bytes past
 * the committed length are cut at the next open.
 */
async function writeGroup(store: MailStore, accountId: string, group: readonly Arrived[]): Promise<number> {
  const { fast } = store
  return store.bodies.withAppended(
    accountId,
    group.map((a) => a.raw),
    (appended) =>
      fast.transaction('rw', [...messageTables(fast), fast.bodyFiles], async () => {
        const updated = await updateMessages(
          fast,
          group.map((a, i) => ({ id: a.id, changes: { bodyState: 'full', body: appended.refs[i]! } })),
        )
        await appended.commitIn(fast)
        return updated
      }),
  )
}

/**
 * Downloaded bodies, kept per call until the call has answered, then written as one group; groups are
 * written one transaction at a time, in the order their calls answered.
 */
class BodyWriter {
  /** Bodies of calls still answering, by call. */
  private readonly open = new Map<number, { items: Arrived[]; bytes: number }>()
  private ready: { items: Arrived[]; bytes: number }[] = []
  private queuedBytes = 0
  private draining: Promise<void> | undefined
  private failure: { error: unknown } | undefined
  private written: (() => void)[] = []
  stored = 0

  constructor(
    private readonly store: MailStore,
    private readonly accountId: string,
  ) {}

  add(call: number, item: Arrived): void {
    if (this.failure) return
    let group = this.open.get(call)
    if (!group) this.open.set(call, (group = { items: [], bytes: 0 }))
    group.items.push(item)
    group.bytes += item.raw.byteLength
    this.queuedBytes += item.raw.byteLength
    if (group.bytes >= GROUP_MAX_BYTES) this.seal(call)
  }

  /** The call has answered (or stopped): what it brought is written. */
  seal(call: number): void {
    const group = this.open.get(call)
    this.open.delete(call)
    if (!group || group.items.length === 0 || this.failure) return
    this.ready.push(group)
    this.draining ??= this.drain().finally(() => (this.draining = undefined))
  }

  /** Resolves once at most `limit` bytes wait to be written (or writing failed: `finish` throws then). */
  async below(limit: number): Promise<void> {
    while (this.queuedBytes > limit && !this.failure && this.draining) {
      await new Promise<void>((resolve) => this.written.push(resolve))
    }
  }

  /** Waits until everything sealed is written; throws the first write error. */
  async finish(): Promise<number> {
    while (this.draining) await this.draining
    if (this.failure) throw this.failure.error
    return this.stored
  }

  private async drain(): Promise<void> {
    for (let group = this.ready.shift(); group && !this.failure; group = this.ready.shift()) {
      try {
        this.stored += await writeGroup(this.store, this.accountId, group.items)
      } catch (error) {
        this.failure = { error }
        this.ready = []
        this.open.clear()
      }
      this.queuedBytes = this.failure ? 0 : this.queuedBytes - group.bytes
      for (const resolve of this.written.splice(0)) resolve()
    }
  }
}

/**
 * UIDs cut into calls of at most BATCH_MAX_COUNT messages and BATCH_MAX_BYTES, in the order given, never
 * two runs in one call.
 */
function batchesOf(runs: readonly (readonly MessageRow[])[]): number[][] {
  const out: number[][] = []
  for (const run of runs) {
    let current: number[] = []
    let bytes = 0
    for (const m of run) {
      if (current.length > 0 && (current.length >= BATCH_MAX_COUNT || bytes + m.size > BATCH_MAX_BYTES)) {
        out.push(current)
        current = []
        bytes = 0
      }
      current.push(m.uid!)
      bytes += m.size
    }
    if (current.length > 0) out.push(current)
  }
  return out
}

/**
 * Downloads the raw source of these messages (all in one folder) into the account's body file, marking each
 * row 'full'. `runs`: the rows in the order wanted, grouped as the store keeps them together
 * (`readFolderRunsByDate`; a single run for a few rows).
 * Bodies are written in groups while the next ones download; UIDs the server no longer has are skipped (the
 * next folder sync removes their rows). Resolves with the number stored once all are written.
 */
export async function fetchBodies(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  runs: readonly (readonly MessageRow[])[],
  signal?: AbortSignal,
): Promise<number> {
  const byUid = new Map<number, MessageRow>()
  const wanted = runs.map((run) =>
    run.filter((m) => {
      if (m.uid === null || m.id === undefined || byUid.has(m.uid)) return false
      byUid.set(m.uid, m)
      return true
    }),
  )
  const batches = batchesOf(wanted)
  const writer = new BodyWriter(store, folder.accountId)
  // Batches are taken in order (newest first) by whichever lane is free; a failing lane stops the others.
  let next = 0
  let failed = false
  const lane = async (): Promise<void> => {
    while (next < batches.length && !failed) {
      signal?.throwIfAborted()
      await writer.below(QUEUE_LIMIT_BYTES)
      if (next >= batches.length || failed) return
      const call = next++
      try {
        await core.call(
          'imap.bodies',
          { accountId: folder.accountId, folder: folder.path, uids: batches[call]! },
          {
            ...(signal ? { signal } : {}),
            onChunk: ({ uid, raw }) => {
              const id = byUid.get(uid)?.id
              if (id !== undefined) writer.add(call, { id, raw })
            },
          },
        )
      } finally {
        // What did arrive is complete mail: kept even when the call failed.
        writer.seal(call)
      }
    }
  }
  const lanes = Array.from({ length: Math.min(LANES, batches.length) }, () =>
    lane().catch((error: unknown) => {
      failed = true
      throw error
    }),
  )
  const outcomes = await Promise.allSettled(lanes)
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (rejected) {
    // What did arrive is kept (it is complete mail); the caller gets the download's error.
    await writer.finish().catch(() => undefined)
    throw rejected.reason
  }
  return writer.finish()
}

/**
 * In syncState: the folder had every body its policy asked for (messages dated from `since` on) when its
 * server state was `uidValidity` / `uidNext`. Rows only enter a server folder with a new UID (new mail, a
 * move, a copy, each of which raises UIDNEXT) or a rebuild (a new UIDVALIDITY), and a stored body is only
 * removed with its row; so while both are unchanged and the policy asks for no older mail, nothing can be
 * missing and the folder's rows need not be read again (a no-change resync read all 10,000 of them).
 */
export const bodiesCompleteKey = (folderId: string): string => `imap-bodies-complete:${folderId}`

export interface BodiesComplete {
  since: number
  uidValidity: number
  uidNext: number
}

/** Every `bodiesCompleteKey` record of an account's folders, by folder id, in one read. */
export async function readBodiesComplete(
  db: MailDb,
  accountId: string,
): Promise<Map<string, BodiesComplete>> {
  const prefix = bodiesCompleteKey(folderId(accountId, ''))
  const rows = await db.syncState.where(':id').startsWith(prefix).toArray()
  return new Map(rows.map((r) => [r.key.slice(bodiesCompleteKey('').length), r.value as BodiesComplete]))
}

/** True when the record proves every body the policy asks for is stored (see `bodiesCompleteKey`). */
export function bodiesComplete(
  folder: FolderRow,
  sinceMs: number,
  done: BodiesComplete | undefined,
): boolean {
  return (
    done !== undefined &&
    folder.uidValidity !== null &&
    folder.uidNext !== null &&
    done.since <= sinceMs &&
    done.uidValidity === folder.uidValidity &&
    done.uidNext === folder.uidNext
  )
}

/**
 * The account's offline policy (DESIGN.md: "headers first then bodies, recent first"): bodies of messages
 * newer than `sinceMs` (or all with 0) that are not stored yet, newest first.
 */
export async function prefetchFolderBodies(
  store: MailStore,
  core: CoreApi,
  folder: FolderRow,
  sinceMs: number,
  signal?: AbortSignal,
): Promise<number> {
  const { fast } = store
  const key = bodiesCompleteKey(folder.id)
  const done = (await fast.syncState.get(key))?.value as BodiesComplete | undefined
  if (bodiesComplete(folder, sinceMs, done)) return 0
  const state = folder.uidValidity !== null && folder.uidNext !== null ? folder : null
  const missing = (
    await readFolderRunsByDate(fast, folder.id, { filter: 'all', from: sinceMs, to: Infinity })
  ).map((run) => run.filter((m) => m.bodyState !== 'full'))
  const count = missing.reduce((n, run) => n + run.length, 0)
  const stored = count === 0 ? 0 : await fetchBodies(store, core, folder, missing, signal)
  // Only when every missing body came: one the server no longer had is looked for again next time.
  if (state && stored === count) {
    const value: BodiesComplete = { since: sinceMs, uidValidity: state.uidValidity!, uidNext: state.uidNext! }
    await fast.syncState.put({ key, value })
  }
  return stored
}
