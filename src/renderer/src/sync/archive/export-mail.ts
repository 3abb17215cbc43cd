/**
 * Exporting stored mail: a folder or a selection as one mbox file (mboxrd, shared/mail-formats/mbox.ts),
 * messages as .eml files. The bytes written are the bytes stored, so an export imported again is
 * byte-identical. Built from one part per message, read a page at a time, so a large folder is never held
 * in a second, contiguous copy; the page turns the parts into a Blob and a download.
 */
import { MailError } from '../../../../shared/errors'
import { emlFileName } from '../../../../shared/mail-formats/eml'
import { mboxEntry } from '../../../../shared/mail-formats/mbox'
import type { MailStore } from '../../store/mail-db'
import { readBodies } from '../../store/bodies/body-store'
import type { MessageRow } from '../../store/rows'
import { folderMessages, getStoredMessages } from '../../store/messages'

const PAGE = 200

export interface MboxExport {
  parts: Uint8Array[]
  fileName: string
  exported: number
  /** Messages whose full bytes are not stored (IMAP mail not downloaded, POP3 headers-only), left out. */
  skipped: number
}

async function rowsOf(
  store: MailStore,
  what: { folderId: string } | { messageIds: number[] },
): Promise<MessageRow[]> {
  if ('folderId' in what) {
    return folderMessages(store.fast, what.folderId)
  }
  const rows = await getStoredMessages(store.fast, what.messageIds)
  return rows.sort((a, b) => a.date - b.date)
}

function safeName(name: string): string {
  const printable = [...name].map((c) => (c.charCodeAt(0) < 0x20 ? ' ' : c)).join('')
  return (
    printable
      .replace(/[<>:"/\\|?*]+/g, ' ')
      .trim()
      .slice(0, 80) || 'mail'
  )
}

/** Oldest first, as mail readers expect an mbox. */
export async function exportMbox(
  store: MailStore,
  what: { folderId: string } | { messageIds: number[] },
): Promise<MboxExport> {
  const rows = await rowsOf(store, what)
  const parts: Uint8Array[] = []
  let skipped = 0
  for (let i = 0; i < rows.length; i += PAGE) {
    const page = rows.slice(i, i + PAGE)
    const bodies = await readBodies(store.fast, page)
    page.forEach((row, k) => {
      const raw = bodies[k]
      if (!raw || row.bodyState !== 'full') {
        skipped++
        return
      }
      parts.push(mboxEntry({ raw, sender: row.from[0]?.address ?? '', date: row.date }))
    })
  }
  let base = 'messages'
  if ('folderId' in what) {
    const folder = await store.fast.folders.get(what.folderId)
    if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
    base = folder.name
  }
  return { parts, fileName: `${safeName(base)}.mbox`, exported: parts.length, skipped }
}

export interface EmlExport {
  files: { fileName: string; bytes: Uint8Array }[]
  skipped: number
}

/** Each message as its own .eml file, named by date and subject. */
export async function exportEmlFiles(store: MailStore, messageIds: readonly number[]): Promise<EmlExport> {
  const rows = await rowsOf(store, { messageIds: [...messageIds] })
  const bodies = await readBodies(store.fast, rows)
  const files: EmlExport['files'] = []
  rows.forEach((row, i) => {
    const raw = bodies[i]
    if (raw && row.bodyState === 'full') {
      files.push({ fileName: emlFileName(row.subject, row.date, row.id!), bytes: raw })
    }
  })
  return { files, skipped: rows.length - files.length }
}
