import type { ImapFlow } from 'imapflow'
import type { NotApplied } from './types'
import { withClient, withFolder } from './with-folder'

export interface AppendOptions {
  flags?: readonly string[]
  /** INTERNALDATE to store (e.g. the time a draft was saved). */
  internalDate?: Date
  /**
   * The message's Message-ID (with brackets). When given, the folder is searched for it first and an existing
   * copy is reported instead of appending a second one: a replay after a crash stays exactly-once.
   */
  messageId?: string
  /**
   * For a message without a Message-ID: the folder is searched for a message with the same bytes first (its
   * size, then its source), so that a replay after a crash does not append it a second time.
   */
  findSameBytes?: boolean
}

export interface Appended {
  applied: true
  /** From APPENDUID (RFC 4315 §3); null when the server did not say. */
  uid: number | null
  uidValidity: number | null
}

export type AppendResult = Appended | (NotApplied & { reason: 'exists'; uid: number })

/**
 * Appends a raw RFC 5322 message to a folder (Drafts, Sent …) and returns its UID from APPENDUID.
 *
 * @throws MailError NOT_FOUND when the folder does not exist; SERVER_ERROR when the server refuses the message.
 */
export async function appendMessage(
  client: ImapFlow,
  folder: string,
  raw: Buffer,
  opts: AppendOptions = {},
): Promise<AppendResult> {
  const messageId = opts.messageId
  if (messageId !== undefined) {
    const existing = await withFolder(client, folder, { operation: 'append' }, async () => {
      const found = await client.search({ header: { 'message-id': messageId } }, { uid: true })
      return Array.isArray(found) ? found : []
    })
    // Header search is a substring match (RFC 9051 §6.4.4); with brackets included it is exact enough.
    if (existing.length > 0) return { applied: false, reason: 'exists', uid: Math.max(...existing) }
  } else if (opts.findSameBytes === true) {
    const same = await withFolder(client, folder, { operation: 'append' }, () =>
      uidWithSameBytes(client, raw),
    )
    if (same !== null) return { applied: false, reason: 'exists', uid: same }
  }
  return withClient(client, `append ${folder}`, async () => {
    const res = await client.append(folder, raw, [...(opts.flags ?? [])], opts.internalDate)
    if (res === false) throw new Error(`APPEND to ${folder} was refused`)
    return {
      applied: true,
      uid: res.uid ?? null,
      uidValidity: res.uidValidity === undefined ? null : Number(res.uidValidity),
    }
  })
}

/** How many messages of the right size are compared byte by byte before giving up and appending. */
const MAX_SAME_SIZE_CANDIDATES = 20

/** Line ends as the server counts them: RFC822.SIZE is the message's size with CRLF line ends. */
function withCrlf(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1')
}

/** The UID of a message in the selected folder whose source equals `raw` (line ends aside), or null. */
async function uidWithSameBytes(client: ImapFlow, raw: Buffer): Promise<number | null> {
  const wanted = withCrlf(raw)
  const found = await client.search({ larger: wanted.length - 1, smaller: wanted.length + 1 }, { uid: true })
  const candidates = (Array.isArray(found) ? found : [])
    .sort((a, b) => b - a)
    .slice(0, MAX_SAME_SIZE_CANDIDATES)
  if (candidates.length === 0) return null
  const messages = await client.fetchAll(candidates.join(','), { uid: true, source: true }, { uid: true })
  const same = messages.find((m) => m.source !== undefined && withCrlf(m.source).equals(wanted))
  return same?.uid ?? null
}
