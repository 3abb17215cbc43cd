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
