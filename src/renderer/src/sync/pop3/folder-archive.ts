/**
 * Moving an archive in and out: a folder as one mbox file (mboxrd, see shared/mail-formats/mbox.ts), a
 * message as an .eml file, and both back into a local folder. The bytes stored are the bytes exported,
 * so export → import is byte-identical. DOM-free: the UI turns the bytes into a download or reads a file.
 */
import { MailError } from '../../../../shared/errors'
import { emlFileName, readEml } from '../../../../shared/mail-formats/eml'
import { writeMbox, readMbox, type MboxMessage } from '../../../../shared/mail-formats/mbox'
import type { MailStore } from '../../store/mail-db'
import { readBodies } from '../../store/bodies/body-store'
import { bumpCounts } from './local-folders'
import { localMessageRow } from './store-downloaded'
import { addMessages, folderMessages, getMessage, messageTables } from '../../store/messages'

/** Messages written per transaction on import: big enough to be quick, small enough to bound memory. */
const IMPORT_BATCH = 200

export interface FolderExport {
  mbox: Uint8Array
  exported: number
  /** Messages whose bytes are not in the store (IMAP mail not downloaded yet), left out. */
  skipped: number
}

/** The folder's messages, oldest first, as one mbox file. */
export async function exportFolderMbox(store: MailStore, folderId: string): Promise<FolderExport> {
  const db = store.fast
  const rows = await folderMessages(db, folderId)
  const bodies = await readBodies(db, rows)
  const messages: MboxMessage[] = []
  let skipped = 0
  rows.forEach((row, i) => {
    const raw = bodies[i]
    if (!raw || row.bodyState !== 'full') {
      skipped++
      return
    }
    messages.push({ raw, sender: row.from[0]?.address ?? '', date: row.date })
  })
  return { mbox: writeMbox(messages), exported: messages.length, skipped }
}

/** One stored message as an .eml file. */
export async function exportEml(
  store: MailStore,
  messageId: number,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const row = await getMessage(store.fast, messageId)
  const body = row && (await readBodies(store.fast, [row]))[0]
  if (!row || !body || row.bodyState !== 'full') {
    throw new MailError(
      'NOT_FOUND',
      'The full message is not stored on this computer, so it cannot be saved.',
    )
  }
  return { fileName: emlFileName(row.subject, row.date, messageId), bytes: body }
}

/** Stores raw messages in a local folder (as read, unflagged). Returns their new ids in order. */
export async function importMessages(
  store: MailStore,
  folderId: string,
  raws: readonly Uint8Array[],
): Promise<number[]> {
  const db = store.durable
  const folder = await db.folders.get(folderId)
  if (!folder?.local) throw new MailError('INVALID_PARAMS', 'Mail can be imported into local folders only.')
  const out: number[] = []
  for (let i = 0; i < raws.length; i += IMPORT_BATCH) {
    const now = Date.now()
    const slice = raws.slice(i, i + IMPORT_BATCH).map((raw) => raw.slice())
    const rows = slice.map((raw) => ({
      ...localMessageRow(folder.accountId, folderId, raw, raw.byteLength, null, 'full', now),
      flags: ['\\Seen'],
      unread: 0 as const,
    }))
    await store.bodies.withAppended(folder.accountId, slice, (appended) =>
      db.transaction('rw', [...messageTables(db), db.folders, db.bodyFiles], async () => {
        const ids = (await addMessages(
          db,
          rows.map((row, k) => ({ ...row, body: appended.refs[k]! })),
        )) as number[]
        await appended.commitIn(db)
        await bumpCounts(db, folderId, ids.length, 0)
        out.push(...ids)
      }),
    )
  }
  return out
}

export function importMbox(store: MailStore, folderId: string, file: Uint8Array): Promise<number[]> {
  return importMessages(store, folderId, readMbox(file))
}

export function importEml(
  store: MailStore,
  folderId: string,
  files: readonly Uint8Array[],
): Promise<number[]> {
  return importMessages(store, folderId, files.map(readEml))
}
