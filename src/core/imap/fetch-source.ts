import type { ImapFlow } from 'imapflow'
import { MailError } from '../../shared/errors'
import { mapErrors, toMailError } from './errors'
import { toSequenceSet } from './uid-set'

/** One message of a batch download, or the note that it no longer exists. */
export type MessageSource = { uid: number; source: Buffer } | { uid: number; gone: true }

/**
 * Streams the raw RFC 5322 bytes of one message (`BODY.PEEK[]` in partial chunks, so a 50 MB message never
 * sits in memory whole and \Seen is not set). The folder stays locked until the iterator finishes.
 *
 * @throws MailError NOT_FOUND when the message or folder is gone; NETWORK, TIMEOUT.
 */
export async function* fetchMessageSource(
  client: ImapFlow,
  folder: string,
  uid: number,
  opts: { chunkSize?: number } = {},
): AsyncGenerator<Buffer, void, undefined> {
  const ctx = { host: client.host, port: client.port, operation: `fetchMessageSource ${folder}` }
  const lock = await mapErrors(ctx, () => client.getMailboxLock(folder), client)
  try {
    const download = await client.download(String(uid), undefined, {
      uid: true,
      chunkSize: opts.chunkSize ?? 256 * 1024,
    })
    if (download.content === undefined) {
      throw new MailError('NOT_FOUND', 'This message is no longer on the server.', `${folder} UID ${uid}`)
    }
    for await (const chunk of download.content)
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
  } catch (err) {
    throw toMailError(err, ctx, client)
  } finally {
    lock.release()
  }
}

/**
 * Downloads whole messages for offline reading, `batchSize` per `UID FETCH (BODY.PEEK[])`, in the order given.
 * The next batch is requested while this one is handed out, so the server and the socket never wait for the
 * consumer (at most two batches are in memory). Missing UIDs are reported as `{ uid, gone: true }`, not thrown.
 */
export async function* fetchMessageSources(
  client: ImapFlow,
  folder: string,
  uids: readonly number[],
  opts: { batchSize?: number } = {},
): AsyncGenerator<MessageSource, void, undefined> {
  const ctx = { host: client.host, port: client.port, operation: `fetchMessageSources ${folder}` }
  const lock = await mapErrors(ctx, () => client.getMailboxLock(folder), client)
  const size = Math.max(1, opts.batchSize ?? 20)
  const fetchBatch = async (batch: readonly number[]): Promise<Map<number, Buffer>> => {
    const got = new Map<number, Buffer>()
    for await (const msg of client.fetch(toSequenceSet(batch), { uid: true, source: true }, { uid: true })) {
      if (msg.source) got.set(msg.uid, msg.source)
    }
    return got
  }
  const start = (i: number): Promise<Map<number, Buffer>> | undefined => {
    if (i >= uids.length) return undefined
    const p = fetchBatch(uids.slice(i, i + size))
    p.catch(() => undefined) // observed below, or dropped with the iterator
    return p
  }
  let pending = start(0)
  try {
    for (let i = 0; i < uids.length; i += size) {
      const got = (await pending) ?? new Map<number, Buffer>()
      pending = start(i + size)
      for (const uid of uids.slice(i, i + size)) {
        const source = got.get(uid)
        yield source === undefined ? { uid, gone: true } : { uid, source }
      }
    }
  } catch (err) {
    throw toMailError(err, ctx, client)
  } finally {
    await pending?.catch(() => undefined)
    lock.release()
  }
}
