/**
 * Compaction: gives back the room that deleted mail holds in the body files (body-store.ts). A message
 * deleted for good leaves its bytes in its account's file; a file whose dead bytes pass the policy's bounds
 * is rewritten: its live ranges are copied to the end of the current segment (the file itself sealed first,
 * so nothing new lands in it), the rows that point at each range are repointed, and the file is deleted once
 * no row points into it.
 *
 * Why nothing is lost at any point (a crash, a kill, a pass starting meanwhile):
 * - A copy is appended and flushed before ONE durable transaction repoints its rows and raises the committed
 *   length (`withAppended`), as every writer does; a crash before the commit leaves bytes past the committed
 *   length, cut off at the next open. Rows keep pointing at the old file until their transaction commits.
 * - A row is repointed only if, inside that transaction, it still points at the range that was copied; a row
 *   changed or deleted meanwhile is left as it is.
 * - The old file is deleted only after one read of every row, in a single transaction, found none that points
 *   into it. The store's writers copy a `body` reference only from a row they read in the same transaction
 *   (a header batch keeping a body, a local copy), or take a new one from their own append, so once no row
 *   points into a sealed file, none ever will again. Bytes committed are never rewritten in place: a reader
 *   holding a row from before the repoint reads the same bytes until the file is gone, then reads the row
 *   again (`readBodies`).
 * - A run stopped half way (its signal aborts when a pass starts) leaves every row readable; the next run
 *   plans again from the rows and finishes the file.
 */
import type { MailDb, MailStore } from '../mail-db'
import { eachMessageStep, getMessages, messageTables, updateMessages } from '../messages'
import type { MessageRow } from '../rows'
import type { BodyRef } from './body-files'
import { bodyFileAccount, sameRef } from './body-store'
import { forgetFreedBodyBytes, freedBodyBytes } from './freed-bytes'

export interface CompactionPolicy {
  /** A file is rewritten only when at least this many of its bytes are dead… */
  minDeadBytes: number
  /** …and they are at least this share of it (rewriting 1 GiB to win 20 MiB is not worth it). */
  minDeadShare: number
  /** How often the store is looked over for such files (ms). */
  everyMs: number
}

/**
 * Small enough that an emptied Trash gives its room back; the share keeps a big segment from being copied
 * whole for a little room.
 */
export const DEFAULT_COMPACTION: CompactionPolicy = {
  minDeadBytes: 20 * 1024 * 1024,
  minDeadShare: 0.2,
  everyMs: 6 * 60 * 60_000,
}

/** In syncState: a partial CompactionPolicy that overrides the defaults (tests; a user who wants it sooner). */
export const COMPACTION_POLICY_KEY = 'body-compaction-policy'
/** In syncState: when the store was last looked over (ms since the epoch). */
export const COMPACTION_CHECKED_KEY = 'body-compaction-checked-at'

/** Bytes copied per step: one read, one append and one transaction that repoints the step's rows. */
const STEP_BYTES = 4 * 1024 * 1024
/** Rows read per transaction while planning (the final check reads every row in one). */
const SCAN_ROWS = 5_000

/** One range of a file that rows point at: copies of a message share it. */
interface LiveRange {
  offset: number
  length: number
  ids: number[]
  /** The account of the first row found with it: the copy goes to that account's file. */
  accountId: string
}

/** Per file, the ranges rows point into, by offset. */
type LiveMap = Map<string, Map<number, LiveRange>>

export interface CompactedFile {
  file: string
  /** The file's size and its live bytes when the run planned. */
  size: number
  live: number
  /** Bytes copied and rows repointed by this run. */
  copied: number
  repointed: number
  /** Whether the file was deleted (false: stopped, or rows made meanwhile still point into it). */
  removed: boolean
}

async function liveRanges(db: MailDb, signal?: AbortSignal): Promise<LiveMap> {
  const out: LiveMap = new Map()
  const visit = (rows: MessageRow[]): void => {
    for (const row of rows) {
      if (!row.body) continue
      const { file, offset, length } = row.body
      let ranges = out.get(file)
      if (!ranges) out.set(file, (ranges = new Map()))
      const known = ranges.get(offset)
      if (known && known.length === length) known.ids.push(row.id!)
      // Appends never overlap, so one offset has one length; a row saying otherwise keeps its own range.
      else if (!known) ranges.set(offset, { offset, length, ids: [row.id!], accountId: row.accountId })
    }
  }
  await eachMessageStep(db, SCAN_ROWS, visit, signal)
  return out
}

/** Whether any row points into `file`: every row read in ONE transaction (see the module comment). */
async function anyRowIn(store: MailStore, file: string): Promise<boolean> {
  const db = store.durable
  let found = false
  await db.transaction('r', messageTables(db), () =>
    eachMessageStep(db, SCAN_ROWS, (rows) => !(found = rows.some((r) => r.body?.file === file))),
  )
  return found
}

/** Copies one step of ranges to the end of the current segment and repoints their rows. */
async function copyStep(store: MailStore, file: string, step: readonly LiveRange[]): Promise<number> {
  const db = store.durable
  const raws = await store.bodies.files.read(step.map((r) => ({ file, offset: r.offset, length: r.length })))
  let repointed = 0
  const byAccount = new Map<string, number[]>()
  step.forEach((r, i) => {
    const list = byAccount.get(r.accountId)
    if (list) list.push(i)
    else byAccount.set(r.accountId, [i])
  })
  for (const [accountId, indexes] of byAccount) {
    await store.bodies.withAppended(
      accountId,
      indexes.map((i) => raws[i]!),
      (appended) =>
        db.transaction('rw', [...messageTables(db), db.bodyFiles], async () => {
          // One read for the step: rows of a step share chunks, and each read of a chunk parses all of it.
          const ids = indexes.flatMap((i) => step[i]!.ids)
          const rows = await getMessages(db, ids)
          const byId = new Map(rows.flatMap((r) => (r ? [[r.id!, r] as const] : [])))
          const updates: { id: number; changes: { body: BodyRef } }[] = []
          for (const [k, i] of indexes.entries()) {
            const range = step[i]!
            const old: BodyRef = { file, offset: range.offset, length: range.length }
            for (const id of range.ids) {
              const row = byId.get(id)
              if (row?.body && sameRef(row.body, old))
                updates.push({ id, changes: { body: appended.refs[k]! } })
            }
          }
          await updateMessages(db, updates)
          await appended.commitIn(db)
          repointed += updates.length
        }),
    )
  }
  return repointed
}

/** Rewrites one file (see the module comment); `ranges` are its live ranges as planned. */
async function compactFile(
  store: MailStore,
  file: string,
  ranges: readonly LiveRange[],
  signal?: AbortSignal,
): Promise<Pick<CompactedFile, 'copied' | 'repointed' | 'removed'>> {
  await store.bodies.seal(bodyFileAccount(file)!, file)
  const ordered = [...ranges].sort((a, b) => a.offset - b.offset)
  let copied = 0
  let repointed = 0
  for (let at = 0; at < ordered.length;) {
    if (signal?.aborted) return { copied, repointed, removed: false }
    const step: LiveRange[] = []
    let bytes = 0
    while (at < ordered.length && (step.length === 0 || bytes + ordered[at]!.length <= STEP_BYTES)) {
      bytes += ordered[at]!.length
      step.push(ordered[at++]!)
    }
    repointed += await copyStep(store, file, step)
    copied += bytes
  }
  if (signal?.aborted || (await anyRowIn(store, file))) return { copied, repointed, removed: false }
  await store.bodies.files.remove(file)
  return { copied, repointed, removed: true }
}

/**
 * Looks over every body file and rewrites those whose dead bytes pass `policy`'s bounds. Stops between steps
 * when `signal` aborts. Returns what it did per file it chose.
 */
export function compactBodyFiles(
  store: MailStore,
  policy: CompactionPolicy = DEFAULT_COMPACTION,
  signal?: AbortSignal,
): Promise<CompactedFile[]> {
  // One run at a time per store (the idle work's and a user's "Compact now"): two would copy the same ranges.
  const name = store.durable.name
  const run = (runs.get(name) ?? Promise.resolve()).then(() => compactOnce(store, policy, signal))
  const tail = run.catch(() => undefined)
  runs.set(name, tail)
  void tail.then(() => runs.get(name) === tail && runs.delete(name))
  return run
}

const runs = new Map<string, Promise<unknown>>()

async function compactOnce(
  store: MailStore,
  policy: CompactionPolicy,
  signal?: AbortSignal,
): Promise<CompactedFile[]> {
  // Sizes before rows: bytes appended after this (and their rows) cannot make a file look deader than it is.
  // Files no account name can have made are not ours to touch; those of accounts that are gone are
  // removeLeftoverFiles' work, but their live ranges (mail moved to another account) move here too.
  const names = (await store.bodies.files.list()).filter((n) => bodyFileAccount(n) !== undefined).sort()
  const sizes = new Map<string, number>()
  for (const name of names) sizes.set(name, await store.bodies.files.size(name))
  const live = await liveRanges(store.durable, signal)
  // A plan cut short would take live mail for dead: nothing is sealed on it.
  if (signal?.aborted) return []
  // Chosen before any file is rewritten: the copies grow the current segments, and that growth is not dead.
  const chosen = names.flatMap((file) => {
    const size = sizes.get(file)!
    const ranges = [...(live.get(file)?.values() ?? [])]
    const liveSize = ranges.reduce((n, r) => n + (r.offset + r.length <= size ? r.length : 0), 0)
    const dead = size - liveSize
    if (dead <= 0 || dead < policy.minDeadBytes || dead < policy.minDeadShare * size) return []
    return [{ file, size, live: liveSize, ranges }]
  })
  // Fewest live bytes first: most room back per byte copied, and on a full disk a file with none left needs
  // no room at all to go, which may make room for the copies of the next.
  chosen.sort((a, b) => a.live - b.live || a.file.localeCompare(b.file))
  const done: CompactedFile[] = []
  for (const { file, size, live: liveSize, ranges } of chosen) {
    if (signal?.aborted) break
    const result = await compactFile(store, file, ranges, signal)
    done.push({ file, size, live: liveSize, ...result })
  }
  return done
}

/** The policy in force: the defaults, with what syncState overrides (only finite, non-negative numbers). */
export async function compactionPolicy(store: MailStore): Promise<CompactionPolicy> {
  const stored = (await store.durable.syncState.get(COMPACTION_POLICY_KEY))?.value
  const policy = { ...DEFAULT_COMPACTION }
  if (typeof stored === 'object' && stored !== null) {
    for (const key of Object.keys(policy) as (keyof CompactionPolicy)[]) {
      const value = (stored as Record<string, unknown>)[key]
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) policy[key] = value
    }
  }
  return policy
}

/**
 * `compactBodyFiles` when the last look is older than the policy's `everyMs` (or there was none), or when rows
 * deleted since in this context held at least `minDeadBytes` (freed-bytes.ts).
 */
export async function compactBodyFilesWhenDue(
  store: MailStore,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<CompactedFile[]> {
  const policy = await compactionPolicy(store)
  const name = store.durable.name
  const freed = freedBodyBytes(name)
  const last = (await store.durable.syncState.get(COMPACTION_CHECKED_KEY))?.value
  const recent = typeof last === 'number' && now - last < policy.everyMs
  if (recent && (freed === 0 || freed < policy.minDeadBytes)) return []
  const done = await compactBodyFiles(store, policy, signal)
  if (!signal?.aborted) {
    await store.durable.syncState.put({ key: COMPACTION_CHECKED_KEY, value: now })
    forgetFreedBodyBytes(name, freed)
  }
  return done
}

/**
 * What the user's "Compact now" runs: every file with any dead byte, whatever the policy's bounds. Returns the
 * bytes given back (the files removed, less the copies of their live mail).
 */
export async function compactNow(store: MailStore, signal?: AbortSignal): Promise<{ freedBytes: number }> {
  const policy = { ...(await compactionPolicy(store)), minDeadBytes: 1, minDeadShare: 0 }
  const done = await compactBodyFiles(store, policy, signal)
  return { freedBytes: done.reduce((n, f) => n + (f.removed ? f.size - f.copied : 0), 0) }
}
