/**
 * Core's own copy of POP3 mail that is leaving the server, and the store identity core trusts per account.
 * Why it exists and why every kill point is safe: NO-LOSS.md next to this file.
 *
 * Layout under `<dataDir>/pop3-spool/<accountId>/`:
 *   state.json         SpoolState, replaced atomically (temp + fsync + rename + fsync of the directory)
 *   copies/<key>.eml   the exact bytes of a message core is about to DELE or has DELE'd (fsync'd)
 *   held/<session>/    bytes RETR'd in a session that may DELE them (not fsync'd; made durable by `keep`)
 * `<key>` is the sha256 of the message's ledger id (UIDL or header hash), so any id is a safe file name.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { MailError } from '../../shared/errors'
import { SerialQueue } from '../storage/serial-queue'
import { writingIn } from '../storage/disk-full'
import { syncDirectory, syncFile, writeFileAtomic, writeFileReplacing } from '../storage/write-file-atomic'

/**
 * How long a copy of a message removed from the server stays after the store confirmed it: a store that
 * comes back reset within this time gets all of it back. Bounded by the mail removed in this period.
 */
export const SPOOL_GRACE_MS = 30 * 86_400_000

export interface SpoolCopy {
  size: number
  sha256: string
  /** When core made the copy durable, just before sending DELE. */
  keptAt: number
  /** The store identity that later reported holding this message; null until one did. */
  confirmedBy: string | null
}

export interface SpoolState {
  /** The store identity DELE is allowed for; null until a worker first reports one. */
  storeId: string | null
  /** A different identity was reported: the store was reset or replaced, and DELE is paused. */
  reset: { seen: string; at: number } | null
  copies: Record<string, SpoolCopy>
  /** Copies dropped after the grace period: mail only the store holds now (a reset would lose it). */
  dropped: number
  /** How many times a store other than the trusted one was reported (each new one counts once). */
  resets: number
}

/**
 * `known`: the identity core trusts, DELE allowed. `reset`: another identity (store reset or replaced),
 * DELE refused until the copies are restored into it (automatic when no copy was ever dropped) or the
 * user accepts the new store. `unknown`: the caller reported no identity, DELE refused.
 */
export type StoreStanding = 'known' | 'reset' | 'unknown'

/** A message to keep a copy of: `id` files and names the copy; `heldId` finds this session's held bytes. */
export interface SpoolItem {
  id: string
  heldId: string
}

export interface SpoolOpen {
  standing: StoreStanding
  /** Ids of copies this store has not confirmed yet: it must restore those it lacks, then confirm. */
  unconfirmed: string[]
  dropped: number
  /**
   * When core saw this store as a reset one: while it is "reset", and in the one open that found it reset
   * and trusted it at once (nothing was ever removed from the server, so the user has nothing to restore
   * but should still learn that the store was replaced).
   */
  resetAt: number | null
}

/** fsyncs in flight at once when making held bytes durable. */
const SYNC_PARALLEL = 16

const keyOf = (id: string): string => createHash('sha256').update(id).digest('hex')
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const emptyState = (): SpoolState => ({ storeId: null, reset: null, copies: {}, dropped: 0, resets: 0 })

export class Pop3Spool {
  private readonly root: string
  private readonly states = new Map<string, Promise<SpoolState>>()
  private readonly queues = new Map<string, SerialQueue>()

  constructor(
    dataDir: string,
    private readonly graceMs = SPOOL_GRACE_MS,
    private readonly now: () => number = Date.now,
    /** Where a store reset and how it was resolved are logged (core's log), with when it happened. */
    private readonly log: (message: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {
    this.root = join(dataDir, 'pop3-spool')
  }

  private dir(accountId: string): string {
    // Account ids are core's own UUIDs; the hash keeps any other string from escaping the spool folder.
    return join(this.root, keyOf(accountId).slice(0, 32))
  }

  private queue(accountId: string): SerialQueue {
    let q = this.queues.get(accountId)
    if (!q) this.queues.set(accountId, (q = new SerialQueue()))
    return q
  }

  private state(accountId: string): Promise<SpoolState> {
    let s = this.states.get(accountId)
    if (!s) {
      s = (async () => {
        const dir = this.dir(accountId)
        // Held bytes of sessions that ended with a crash: the server still has them (no QUIT happened).
        await rm(join(dir, 'held'), { recursive: true, force: true })
        // A copy whose write a kill interrupted was never listed in the state, and no DELE was sent for it.
        for (const name of await readdir(join(dir, 'copies')).catch(() => [])) {
          if (name.endsWith('.tmp')) await unlink(join(dir, 'copies', name)).catch(() => undefined)
        }
        const text = await readFile(join(dir, 'state.json'), 'utf8').catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return null
          throw e
        })
        if (text === null) return emptyState()
        try {
          return { ...emptyState(), ...(JSON.parse(text) as Partial<SpoolState>) }
        } catch {
          // Never happens with atomic replacement; if it does, DELE must stop rather than guess.
          throw new MailError(
            'INTERNAL',
            'The safety copy of downloaded POP3 mail is damaged, so nothing is deleted from the server.',
            `unreadable ${join(dir, 'state.json')}`,
          )
        }
      })()
      s.catch(() => this.states.delete(accountId))
      this.states.set(accountId, s)
    }
    return s
  }

  private async save(accountId: string, state: SpoolState): Promise<void> {
    const dir = this.dir(accountId)
    await writeFileAtomic(dir, join(dir, 'state.json'), JSON.stringify(state))
  }

  /**
   * A session begins: compares the store identity the worker reports with the trusted one, drops copies
   * past the grace period that the trusted store confirmed, and names the copies this store must check.
   */
  open(accountId: string, storeId: string | null): Promise<SpoolOpen> {
    return this.queue(accountId).run(async () => {
      const state = await this.state(accountId)
      let changed = false
      const now = this.now()
      const expired = Object.entries(state.copies).filter(
        ([, c]) => c.confirmedBy !== null && c.confirmedBy === state.storeId && c.keptAt + this.graceMs < now,
      )
      if (expired.length > 0) {
        const gone = new Set(expired.map(([id]) => id))
        state.copies = Object.fromEntries(Object.entries(state.copies).filter(([id]) => !gone.has(id)))
        state.dropped += expired.length
        // The state first: a kill before the unlinks leaves unlisted files, never a listed copy without one.
        await this.save(accountId, state)
        for (const [id] of expired) {
          await unlink(join(this.dir(accountId), 'copies', `${keyOf(id)}.eml`)).catch(() => undefined)
        }
      }
      let standing: StoreStanding
      let resolvedAtOnce: number | null = null
      if (storeId === null) standing = 'unknown'
      else if (state.storeId === null || state.storeId === storeId) {
        standing = 'known'
        if (state.storeId === null || state.reset !== null) changed = true
        state.storeId = storeId
        state.reset = null
      } else {
        standing = 'reset'
        if (state.reset?.seen !== storeId) {
          state.reset = { seen: storeId, at: now }
          state.resets++
          changed = true
          this.log('pop3 store reset: a different local store than the trusted one; DELE paused', {
            accountId,
            at: new Date(now).toISOString(),
            copies: Object.keys(state.copies).length,
            dropped: state.dropped,
          })
        }
        if (this.resolves(state, storeId)) {
          // Nothing this account ever removed from the server can be missing from the new store (no copy
          // left to restore, none dropped): it is trusted at once. The reset stays counted.
          standing = 'known'
          resolvedAtOnce = state.reset.at
          state.storeId = storeId
          state.reset = null
          changed = true
          this.log('pop3 store reset resolved at once: nothing removed from the server to restore', {
            accountId,
          })
        }
      }
      if (changed) await this.save(accountId, state)
      return {
        standing,
        unconfirmed: Object.entries(state.copies)
          .filter(([, c]) => storeId === null || c.confirmedBy !== storeId)
          .map(([id]) => id),
        dropped: state.dropped,
        resetAt: standing === 'reset' ? (state.reset?.at ?? now) : resolvedAtOnce,
      }
    })
  }

  /** A reset store may be trusted once it holds every copy and no copy was ever dropped. */
  private resolves(state: SpoolState, storeId: string): boolean {
    return state.dropped === 0 && Object.values(state.copies).every((c) => c.confirmedBy === storeId)
  }

  /** Ids core holds a durable copy of (the DELE of those needs no new copy). */
  async has(accountId: string, id: string): Promise<boolean> {
    return (await this.state(accountId)).copies[id] !== undefined
  }

  /** The bytes of a copy, for restoring a store that lost them. */
  async read(accountId: string, id: string): Promise<Buffer> {
    if (!(await this.has(accountId, id))) {
      throw new MailError('NOT_FOUND', 'This message has no safety copy.', `no spool copy of ${id}`)
    }
    return readFile(join(this.dir(accountId), 'copies', `${keyOf(id)}.eml`))
  }

  /** Keeps bytes RETR'd in a session that may DELE them later in the same session. Not durable yet. */
  async hold(accountId: string, sessionId: string, id: string, bytes: Uint8Array): Promise<void> {
    const dir = join(this.dir(accountId), 'held', keyOf(sessionId).slice(0, 32))
    await writingIn(dir, () => mkdir(dir, { recursive: true, mode: 0o700 }))
    await writeFileReplacing(join(dir, `${keyOf(id)}.eml`), bytes, false)
  }

  /** A session ended: its held bytes are no longer needed (the server keeps what it did not remove). */
  async release(accountId: string, sessionId: string): Promise<void> {
    const dir = join(this.dir(accountId), 'held', keyOf(sessionId).slice(0, 32))
    await rm(dir, { recursive: true, force: true })
  }

  /**
   * Makes a durable copy of each message before its DELE is sent: held bytes of this session are moved
   * into place, others come from `fetch` (a RETR in the same session). Every copy file is fsync'd, then the
   * folder, then the state that lists them. Returns only when all of that is on disk.
   */
  keep<T extends SpoolItem>(
    accountId: string,
    sessionId: string,
    items: readonly T[],
    fetch: (item: T) => Promise<Uint8Array>,
  ): Promise<void> {
    return this.queue(accountId).run(async () => {
      const state = await this.state(accountId)
      const dir = join(this.dir(accountId), 'copies')
      const held = join(this.dir(accountId), 'held', keyOf(sessionId).slice(0, 32))
      await writingIn(dir, () => mkdir(dir, { recursive: true, mode: 0o700 }))
      const added: Record<string, SpoolCopy> = {}
      const record = (id: string, bytes: Uint8Array): void => {
        added[id] = { size: bytes.byteLength, sha256: sha256(bytes), keptAt: this.now(), confirmedBy: null }
      }
      const seen = new Set<string>()
      const wanted = items.filter((item) => {
        const fresh = state.copies[item.id] === undefined && !seen.has(item.id)
        seen.add(item.id)
        return fresh
      })
      const missing: T[] = []
      // Held bytes: moved into place and fsync'd, several at a time (each fsync waits for the disk).
      for (let at = 0; at < wanted.length; at += SYNC_PARALLEL) {
        await Promise.all(
          wanted.slice(at, at + SYNC_PARALLEL).map(async (item) => {
            const from = join(held, `${keyOf(item.heldId)}.eml`)
            const bytes = await readFile(from).catch(() => null)
            if (bytes === null) return void missing.push(item)
            const target = join(dir, `${keyOf(item.id)}.eml`)
            await rename(from, target)
            await syncFile(target)
            record(item.id, bytes)
          }),
        )
      }
      // The rest are RETR'd again, one after the other on the session.
      for (const item of missing) {
        const bytes = await fetch(item)
        await writeFileReplacing(join(dir, `${keyOf(item.id)}.eml`), bytes, true)
        record(item.id, bytes)
      }
      if (Object.keys(added).length === 0) return
      await syncDirectory(dir)
      Object.assign(state.copies, added)
      await this.save(accountId, state)
    })
  }

  /**
   * The store `storeId` holds these messages durably. When it is a reset store and now holds every copy,
   * and no copy was ever dropped (so nothing it lost is beyond repair), it becomes the trusted store.
   */
  confirm(accountId: string, storeId: string, ids: readonly string[]): Promise<StoreStanding> {
    return this.queue(accountId).run(async () => {
      const state = await this.state(accountId)
      for (const id of ids) {
        const c = state.copies[id]
        if (c) c.confirmedBy = storeId
      }
      if (state.reset?.seen === storeId && this.resolves(state, storeId)) {
        state.storeId = storeId
        state.reset = null
        this.log('pop3 store reset resolved: every copy restored; DELE resumes', { accountId })
      }
      await this.save(accountId, state)
      return state.storeId === storeId ? 'known' : 'reset'
    })
  }

  /** The user accepts a reset store (told what could not be restored): DELE may resume for it. */
  accept(accountId: string, storeId: string): Promise<void> {
    return this.queue(accountId).run(async () => {
      const state = await this.state(accountId)
      state.storeId = storeId
      state.reset = null
      await this.save(accountId, state)
      this.log('pop3 store reset accepted by the user; DELE resumes', { accountId, dropped: state.dropped })
    })
  }

  /** The account was removed: its copies go with it. */
  async forget(accountId: string): Promise<void> {
    await this.queue(accountId).run(async () => {
      this.states.delete(accountId)
      await rm(this.dir(accountId), { recursive: true, force: true })
    })
  }
}
