import type { ExpungeEvent, FlagsEvent, ImapFlow, MailboxObject } from 'imapflow'
import { featuresOf } from './capabilities'
import { mapErrors } from './errors'
import { fetchBatch, listUids } from './fetch-headers'
import { storedFlags } from './header-record'
import type { HeaderRecord } from './types'

/** What the caller's cache knows about a folder (from the last sync). */
export interface LocalFolderState {
  uidValidity: number
  /** Decimal string from the last FolderDiff / FolderStatus; enables CONDSTORE/QRESYNC. */
  highestModseq?: string
  /** UIDNEXT of the last sync; UIDs from here on are new. Default: max(knownUids) + 1. */
  uidNext?: number
  /** UIDs in the cache. Needed to find expunges without QRESYNC; filters VANISHED with it. */
  knownUids?: readonly number[]
}

export interface SyncFolderOptions {
  /** Force a lower strategy (tests, broken servers). Default 'auto': QRESYNC, else CONDSTORE, else full. */
  mode?: 'auto' | 'condstore' | 'full'
  /** Snippets for new messages. Default true. */
  snippets?: boolean
}

export interface FlagChange {
  uid: number
  /** The complete flag set now on the server (not a delta). */
  flags: string[]
  modseq?: string
}

/** The difference between the cache and the server, ready to apply. */
export interface FolderDiff {
  folder: string
  /** How the diff was computed; 'full' means flagChanges lists every known message, changed or not. */
  method: 'qresync' | 'condstore' | 'full'
  uidValidity: number
  /** The cache is void (RFC 9051 §2.3.1.1): drop the folder's UIDs and refetch; nothing else is filled in. */
  uidValidityChanged: boolean
  /** Header records of messages with UID ≥ the cached uidNext, descending. */
  newMessages: HeaderRecord[]
  flagChanges: FlagChange[]
  /** Cached UIDs that no longer exist on the server, ascending. */
  vanished: number[]
  /** Store these for the next sync. */
  highestModseq?: string
  uidNext: number
  /** Messages in the folder after the sync. */
  exists: number
}

/**
 * Computes what changed in a folder since the cached state.
 * - QRESYNC (RFC 7162 §3.2.5): `SELECT folder (QRESYNC (uidvalidity modseq))`; the server answers with FETCH
 *   for changed flags and `VANISHED (EARLIER)` for expunges (§3.2.10), all within the SELECT. imapflow sends
 *   this SELECT and reports both as 'flags'/'expunge' events, which we collect.
 * - CONDSTORE (RFC 7162 §3.1.4): `UID FETCH 1:n (FLAGS) (CHANGEDSINCE modseq)` for flags, and a `UID SEARCH`
 *   diffed against knownUids for expunges.
 * - Neither: FLAGS of every message (the caller diffs) and the same UID diff.
 * New mail is always `UID FETCH uidNext:*` of the header items.
 *
 * @throws MailError NOT_FOUND when the folder is gone; NETWORK, TIMEOUT, SERVER_ERROR.
 */
export async function syncFolder(
  client: ImapFlow,
  folder: string,
  local: LocalFolderState,
  opts: SyncFolderOptions = {},
): Promise<FolderDiff> {
  const ctx = { host: client.host, port: client.port, operation: `syncFolder ${folder}` }
  const features = featuresOf(client)
  const mode = opts.mode ?? 'auto'
  const modseq = local.highestModseq !== undefined ? BigInt(local.highestModseq) : undefined
  const useQresync = mode === 'auto' && features.qresync && modseq !== undefined
  const flagEvents = new Map<number, FlagChange>()
  const vanishedEvents = new Set<number>()
  let selected = false
  const onOpen = (m: MailboxObject): void => void (selected ||= m.path === folder)
  const onFlags = (e: FlagsEvent): void => {
    if (e.path !== folder || e.uid === undefined) return
    const change: FlagChange = { uid: e.uid, flags: storedFlags(e.flags) }
    if (e.modseq !== undefined) change.modseq = e.modseq.toString()
    flagEvents.set(e.uid, change)
  }
  const onExpunge = (e: ExpungeEvent): void => {
    if (e.path === folder && e.uid !== undefined) vanishedEvents.add(e.uid)
  }
  client.on('mailboxOpen', onOpen)
  client.on('flags', onFlags)
  client.on('expunge', onExpunge)
  try {
    return await mapErrors(
      ctx,
      async () => {
        const qresync = useQresync ? { uidValidity: local.uidValidity, changedSince: modseq } : {}
        const lock = await client.getMailboxLock(folder, qresync)
        try {
          // getMailboxLock only sends SELECT when the folder is not already selected; QRESYNC needs one.
          if (useQresync && !selected) await client.mailboxOpen(folder, qresync)
          const mailbox = client.mailbox
          if (mailbox === false) throw new Error(`${folder} is not selected`)
          return await diffSelected(client, folder, mailbox, local, {
            method:
              useQresync && mailbox.noModseq !== true
                ? 'qresync'
                : pickFallback(mode, features, modseq, mailbox),
            snippets: opts.snippets !== false,
            binary: features.binary,
            flagEvents,
            vanishedEvents,
          })
        } finally {
          lock.release()
        }
      },
      client,
    )
  } finally {
    client.off('mailboxOpen', onOpen)
    client.off('flags', onFlags)
    client.off('expunge', onExpunge)
  }
}

function pickFallback(
  mode: SyncFolderOptions['mode'],
  features: { condstore: boolean },
  modseq: bigint | undefined,
  mailbox: MailboxObject,
): FolderDiff['method'] {
  const condstore = features.condstore && modseq !== undefined && mailbox.noModseq !== true
  return mode !== 'full' && condstore ? 'condstore' : 'full'
}

interface DiffContext {
  method: FolderDiff['method']
  snippets: boolean
  binary: boolean
  flagEvents: Map<number, FlagChange>
  vanishedEvents: Set<number>
}

async function diffSelected(
  client: ImapFlow,
  folder: string,
  mailbox: MailboxObject,
  local: LocalFolderState,
  d: DiffContext,
): Promise<FolderDiff> {
  const uidValidity = Number(mailbox.uidValidity)
  const highestModseq = mailbox.highestModseq?.toString()
  const known = local.knownUids === undefined ? undefined : new Set(local.knownUids)
  const localNext = local.uidNext ?? (local.knownUids?.length ? Math.max(...local.knownUids) + 1 : 1)
  const base = { folder, method: d.method, uidValidity, highestModseq, exists: mailbox.exists }
  if (uidValidity !== local.uidValidity) {
    return {
      ...base,
      uidValidityChanged: true,
      newMessages: [],
      flagChanges: [],
      vanished: [],
      uidNext: mailbox.uidNext,
    }
  }

  const isKnown = (uid: number): boolean => uid < localNext && (known === undefined || known.has(uid))
  let flagChanges: FlagChange[]
  let vanished: number[]
  let newUids: number[]
  if (d.method === 'qresync') {
    // Everything changed since the cached modseq arrived during SELECT; UIDs ≥ uidNext are new mail.
    newUids = localNext < mailbox.uidNext ? await listUids(client, localNext) : []
    vanished = [...d.vanishedEvents].filter(isKnown)
  } else {
    // A folder that stayed selected shows other sessions' expunges only once the server reports them
    // (RFC 9051 §7.5.1); NOOP collects those reports before we list UIDs.
    await client.noop()
    const serverUids = await listUids(client, 1)
    const onServer = new Set(serverUids)
    newUids = serverUids.filter((u) => u >= localNext)
    vanished = known === undefined ? [] : [...known].filter((u) => u < localNext && !onServer.has(u))
    if (localNext > 1) {
      const changedSince =
        d.method === 'condstore' && local.highestModseq ? BigInt(local.highestModseq) : undefined
      const query = { uid: true, flags: true }
      const fetchOpts = changedSince === undefined ? { uid: true } : { uid: true, changedSince }
      for await (const msg of client.fetch(`1:${localNext - 1}`, query, fetchOpts)) {
        const change: FlagChange = { uid: msg.uid, flags: storedFlags(msg.flags) }
        if (msg.modseq !== undefined) change.modseq = msg.modseq.toString()
        d.flagEvents.set(msg.uid, change)
      }
    }
  }
  const gone = new Set([...vanished, ...d.vanishedEvents])
  flagChanges = [...d.flagEvents.values()].filter((c) => isKnown(c.uid) && !gone.has(c.uid))
  flagChanges = flagChanges.sort((a, b) => a.uid - b.uid)
  const { headers: newMessages } = await fetchBatch(client, newUids, d.snippets, d.binary)
  const maxNew = newMessages[0]?.uid ?? 0
  // A folder that stayed selected keeps the HIGHESTMODSEQ of its SELECT; the modseqs we just saw are newer.
  // Taking the highest of them never skips a change (at worst one is reported twice, which is harmless).
  const seen = [...flagChanges, ...newMessages].map((c) => (c.modseq === undefined ? 0n : BigInt(c.modseq)))
  const top = seen.reduce((a, b) => (b > a ? b : a), mailbox.highestModseq ?? 0n)
  return {
    ...base,
    highestModseq: top > 0n ? top.toString() : undefined,
    uidValidityChanged: false,
    newMessages,
    flagChanges,
    vanished: vanished.sort((a, b) => a - b),
    uidNext: Math.max(mailbox.uidNext, maxNew + 1),
    exists: client.mailbox === false ? mailbox.exists : client.mailbox.exists,
  }
}
