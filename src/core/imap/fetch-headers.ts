import type { ImapFlow } from 'imapflow'
import { featuresOf } from './capabilities'
import { mapErrors, toMailError } from './errors'
import { HEADER_QUERY, snippetPartOf, toHeaderRecord, type SnippetPart } from './header-record'
import { fetchSnippets } from './snippet'
import type { HeaderRecord } from './types'
import { descendingBatches, parseSequenceSet, toSequenceSet } from './uid-set'

export interface FetchHeadersOptions {
  /** The UIDVALIDITY the caller's cache belongs to; on a mismatch one `uidValidityChanged` batch ends the run. */
  uidValidity?: number
  /** Size of the first batch, the one the user waits for. Default 100. */
  firstBatchSize?: number
  /**
   * Size of later batches. Default 1000: each batch becomes one store transaction, and every commit wakes the
   * page's live queries; batches of 500 cost ~12% more CPU over a 10k pass (bench/imap-store-profile.ts).
   */
  batchSize?: number
  /** Only UIDs ≥ this (e.g. the cached UIDNEXT, to fetch what is new). Default 1. */
  minUid?: number
  /** Fetch a ~200-character text snippet per message (one extra pipelined FETCH per batch). Default true. */
  snippets?: boolean
}

/** One batch of header records, UIDs descending; batches come newest first. */
export interface HeaderBatch {
  folder: string
  uidValidity: number
  uidValidityChanged: boolean
  /** Descending by UID. */
  headers: HeaderRecord[]
  /** Messages still to come after this batch. */
  remaining: number
  /**
   * With `snippets: false`: where each message's text part is (null: none), from the BODYSTRUCTURE this batch
   * fetched anyway, so a later snippet fetch need not ask for it again.
   */
  snippetParts?: Map<number, SnippetPart | null>
}

/**
 * Fetches header records of a folder newest first: one `UID SEARCH` (compact with ESEARCH, RFC 4731) lists
 * the UIDs, then `UID FETCH` runs over descending UID ranges so the first batch (the newest mail) arrives
 * after two round trips even in a folder of 100,000 messages. Every item is fetched with PEEK: \Seen is
 * never set. The folder stays selected (under imapflow's lock) until the iterator finishes or is returned,
 * so consume it promptly or call `return()`.
 *
 * @throws MailError NOT_FOUND when the folder does not exist; NETWORK, TIMEOUT, SERVER_ERROR.
 * @example
 * for await (const batch of fetchHeaders(client, 'INBOX', { uidValidity: cached })) store(batch.headers)
 */
export async function* fetchHeaders(
  client: ImapFlow,
  folder: string,
  opts: FetchHeadersOptions = {},
): AsyncGenerator<HeaderBatch, void, undefined> {
  const ctx = { host: client.host, port: client.port, operation: `fetchHeaders ${folder}` }
  const lock = await mapErrors(ctx, () => client.getMailboxLock(folder), client)
  let pending: Promise<FetchedBatch> | undefined
  try {
    const mailbox = client.mailbox
    if (mailbox === false) throw new Error(`${folder} is not selected`)
    const uidValidity = Number(mailbox.uidValidity)
    if (opts.uidValidity !== undefined && opts.uidValidity !== uidValidity) {
      yield { folder, uidValidity, uidValidityChanged: true, headers: [], remaining: 0 }
      return
    }
    const uids = await listUids(client, opts.minUid ?? 1)
    const batches = descendingBatches(uids, opts.firstBatchSize ?? 100, opts.batchSize ?? 1000)
    const binary = featuresOf(client).binary
    const snippets = opts.snippets !== false
    const start = (i: number): Promise<FetchedBatch> | undefined => {
      const batch = batches[i]
      if (batch === undefined) return undefined
      const p = fetchBatch(client, batch, snippets, binary)
      p.catch(() => undefined) // observed below, or dropped with the iterator
      return p
    }
    let remaining = uids.length
    pending = start(0)
    for (let i = 0; i < batches.length; i++) {
      const { headers, parts } = (await pending) ?? { headers: [], parts: new Map() }
      // Pipelining: the next batch is requested before the consumer gets this one.
      pending = start(i + 1)
      remaining -= batches[i]!.length
      yield {
        folder,
        uidValidity,
        uidValidityChanged: false,
        headers,
        remaining,
        ...(snippets ? {} : { snippetParts: parts }),
      }
    }
  } catch (err) {
    throw toMailError(err, ctx, client)
  } finally {
    await pending?.catch(() => undefined)
    lock.release()
  }
}

/** All UIDs ≥ minUid of the selected folder, ascending. ESEARCH answers `ALL 1:9999` in one short line. */
export async function listUids(client: ImapFlow, minUid = 1): Promise<number[]> {
  const query = { uid: `${Math.max(1, minUid)}:*` }
  const found = client.capabilities.has('ESEARCH')
    ? await client.search(query, { uid: true, returnOptions: ['ALL'] })
    : await client.search(query, { uid: true })
  if (found === false || found === undefined) throw new Error('UID SEARCH failed')
  const uids = Array.isArray(found) ? found : parseSequenceSet(found.all ?? '')
  // RFC 9051 §6.4.8: `n:*` always includes the highest UID, even when it is below n.
  return uids.filter((u) => u >= minUid)
}

interface FetchedBatch {
  /** Descending by UID. */
  headers: HeaderRecord[]
  /** Each message's text part (null: none). */
  parts: Map<number, SnippetPart | null>
}

/** UID FETCH of header items for a set of UIDs, plus snippets if asked; headers descending by UID. */
export async function fetchBatch(
  client: ImapFlow,
  uids: readonly number[],
  snippets: boolean,
  binary: boolean,
): Promise<FetchedBatch> {
  const parts = new Map<number, SnippetPart | null>()
  if (uids.length === 0) return { headers: [], parts }
  const records: HeaderRecord[] = []
  for await (const msg of client.fetch(toSequenceSet(uids), HEADER_QUERY, { uid: true })) {
    records.push(toHeaderRecord(msg))
    parts.set(msg.uid, snippetPartOf(msg.bodyStructure))
  }
  if (snippets) {
    const withText = new Map([...parts].filter((e): e is [number, SnippetPart] => e[1] !== null))
    const texts = withText.size > 0 ? await snippetsOf(client, withText, binary) : new Map<number, string>()
    for (const r of records) r.snippet = texts.get(r.uid) ?? ''
  }
  return { headers: records.sort((a, b) => b.uid - a.uid), parts }
}

/** fetchSnippets, falling back to decoding ourselves when the server refuses BINARY for a part. */
export function snippetsOf(
  client: ImapFlow,
  parts: ReadonlyMap<number, SnippetPart>,
  binary: boolean,
): Promise<Map<number, string>> {
  return fetchSnippets(client, parts, binary).catch(() =>
    // A server may refuse BINARY for a part it cannot decode (RFC 3516 [UNKNOWN-CTE]): decode ourselves.
    binary ? fetchSnippets(client, parts, false) : new Map<number, string>(),
  )
}
