import type { ImapFlow, ListResponse, StatusObject } from 'imapflow'
import type { FolderInfo, FolderStatus, SpecialUse } from './types'
import { specialUseSchema } from '../../shared/model/imap'
import { withClient } from './with-folder'

// The special uses the wire contract knows (RFC 6154 plus INBOX): one list, in src/shared/model/imap.ts.
const SPECIAL_USES = new Set<string>(specialUseSchema.options)

function asSpecialUse(value: string | undefined): SpecialUse | null {
  return value !== undefined && SPECIAL_USES.has(value) ? (value as SpecialUse) : null
}

function statusOf(status: StatusObject | undefined): FolderStatus | null {
  if (status?.uidValidity === undefined || status.uidNext === undefined) return null
  const out: FolderStatus = {
    messages: status.messages ?? 0,
    unseen: status.unseen ?? 0,
    uidNext: status.uidNext,
    uidValidity: Number(status.uidValidity),
  }
  if (status.highestModseq !== undefined) out.highestModseq = status.highestModseq.toString()
  return out
}

function toFolder(entry: ListResponse): FolderInfo {
  const flags = [...entry.flags]
  const lower = flags.map((f) => f.toLowerCase())
  // RFC 9051 §7.3.1: \Noselect and \NonExistent name containers that cannot be opened.
  const selectable = !lower.includes('\\noselect') && !lower.includes('\\nonexistent')
  const specialUse = asSpecialUse(entry.specialUse)
  return {
    path: entry.path,
    name: entry.name,
    delimiter: entry.delimiter === '' ? null : entry.delimiter,
    parentPath: entry.parentPath === '' ? null : entry.parentPath,
    specialUse,
    // imapflow reads RFC 6154 attributes (or XLIST) first and only then guesses from well-known localized
    // names ("Sent Items", "Gelöschte Elemente", …); INBOX is special by definition (RFC 9051 §5.1).
    specialUseSource:
      specialUse === null
        ? null
        : entry.specialUseSource === 'name' && specialUse !== '\\Inbox'
          ? 'name'
          : 'server',
    // imapflow leaves it undefined for a folder the LSUB answer did not mention (created unsubscribed elsewhere).
    subscribed: entry.subscribed ?? false,
    flags,
    selectable,
    status: selectable ? statusOf(entry.status) : null,
  }
}

/**
 * Every mailbox with its hierarchy, special use and STATUS (messages, unseen, UIDNEXT, UIDVALIDITY,
 * HIGHESTMODSEQ). One round trip on servers with LIST-STATUS (RFC 5819); otherwise imapflow pipelines one
 * STATUS per folder. INBOX comes first, then folders in server order.
 *
 * @throws MailError (NETWORK, TIMEOUT, SERVER_ERROR …)
 */
export async function listFolders(client: ImapFlow): Promise<FolderInfo[]> {
  return withClient(client, 'listFolders', async () => {
    const entries = await client.list({
      statusQuery: { messages: true, unseen: true, uidNext: true, uidValidity: true, highestModseq: true },
    })
    const folders = entries.map(toFolder)
    return [
      ...folders.filter((f) => f.specialUse === '\\Inbox'),
      ...folders.filter((f) => f.specialUse !== '\\Inbox'),
    ]
  })
}

/** The path of the first folder with this special use, or null. */
export function folderWithUse(folders: readonly FolderInfo[], use: SpecialUse): string | null {
  return folders.find((f) => f.specialUse === use)?.path ?? null
}
