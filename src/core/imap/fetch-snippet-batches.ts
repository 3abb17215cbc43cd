import type { ImapFlow } from 'imapflow'
import { featuresOf } from './capabilities'
import { snippetsOf } from './fetch-headers'
import { mapErrors, toMailError } from './errors'
import { snippetPartOf, type SnippetPart } from './header-record'
import { toSequenceSet } from './uid-set'

export interface SnippetEntry {
  uid: number
  /** '' when the message has no text part (or its text is empty). */
  snippet: string
}

/** One batch of snippets, UIDs descending; batches come newest first. UIDs the server no longer has are absent. */
export interface SnippetBatch {
  uidValidityChanged: boolean
  snippets: SnippetEntry[]
}

export interface FetchSnippetBatchesOptions {
  /** The UIDVALIDITY the UIDs belong to; on a mismatch one `uidValidityChanged` batch ends the run. */
  uidValidity: number
  /** Messages per batch. Default 500. */
  batchSize?: number
  /**
   * Text parts already known (from the header pass; null: no text part): their BODYSTRUCTURE is not fetched
   * again. Such a UID gets an entry even if the server expunged it meanwhile (with '' when it had text).
   */
  knownParts?: ReadonlyMap<number, SnippetPart | null>
}

/** BODYSTRUCTURE of the UIDs whose text part is not known yet, then the first bytes of each text part. */
async function snippetBatch(
  client: ImapFlow,
  uids: readonly number[],
  binary: boolean,
  known: ReadonlyMap<number, SnippetPart | null>,
): Promise<SnippetEntry[]> {
  const parts = new Map<number, SnippetPart>()
  const found: number[] = []
  const unknown: number[] = []
  for (const uid of uids) {
    const part = known.get(uid)
    if (part === undefined) {
      unknown.push(uid)
      continue
    }
    found.push(uid)
    if (part) parts.set(uid, part)
  }
  const query = { uid: true, bodyStructure: true }
  if (unknown.length > 0) {
    for await (const msg of client.fetch(toSequenceSet(unknown), query, { uid: true })) {
      found.push(msg.uid)
      const part = snippetPartOf(msg.bodyStructure)
      if (part) parts.set(msg.uid, part)
    }
  }
  const texts = parts.size > 0 ? await snippetsOf(client, parts, binary) : new Map<number, string>()
  return found.sort((a, b) => b - a).map((uid) => ({ uid, snippet: texts.get(uid) ?? '' }))
}

/**
 * The list's text snippets for messages whose headers were fetched without them (`fetchHeaders` with
 * `snippets: false`): the header pass fills the list, this fills in the second line, newest first. Each batch
 * costs two pipelined FETCHes (BODYSTRUCTURE unless `knownParts` has it, then `BINARY.PEEK[part]<0.640>`
 * grouped by part); the next
 * batch is requested before the consumer gets this one. PEEK throughout: \\Seen is never set.
 *
 * @throws MailError NOT_FOUND when the folder does not exist; NETWORK, TIMEOUT, SERVER_ERROR.
 */
export async function* fetchSnippetBatches(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  opts: FetchSnippetBatchesOptions,
): AsyncGenerator<SnippetBatch, void, undefined> {
  const ctx = { host: client.host, port: client.port, operation: `fetchSnippets ${folder}` }
  const lock = await mapErrors(ctx, () => client.getMailboxLock(folder), client)
  let pending: Promise<SnippetEntry[]> | undefined
  try {
    const mailbox = client.mailbox
    if (mailbox === false) throw new Error(`${folder} is not selected`)
    if (Number(mailbox.uidValidity) !== opts.uidValidity) {
      yield { uidValidityChanged: true, snippets: [] }
      return
    }
    const size = opts.batchSize ?? 500
    const sorted = [...new Set(uids)].sort((a, b) => b - a)
    const batches: number[][] = []
    for (let i = 0; i < sorted.length; i += size) batches.push(sorted.slice(i, i + size))
    const binary = featuresOf(client).binary
    const start = (i: number): Promise<SnippetEntry[]> | undefined => {
      const batch = batches[i]
      if (batch === undefined) return undefined
      const p = snippetBatch(client, batch, binary, opts.knownParts ?? new Map())
      p.catch(() => undefined) // observed below, or dropped with the iterator
      return p
    }
    pending = start(0)
    for (let i = 0; i < batches.length; i++) {
      const snippets = (await pending) ?? []
      pending = start(i + 1)
      yield { uidValidityChanged: false, snippets }
    }
  } catch (err) {
    throw toMailError(err, ctx, client)
  } finally {
    await pending?.catch(() => undefined)
    lock.release()
  }
}
