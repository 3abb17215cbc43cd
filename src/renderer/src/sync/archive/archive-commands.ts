import { MailError } from '../../../../shared/errors'
import type { MailStore } from '../../store/mail-db'
import type { WorkerCommand } from '../commands'
import { exportEmlFiles, exportMbox } from './export-mail'
import { importMail, type ImportProgress, type ImportReport, type ImportSource } from './import-mail'

/** Import and export, run by the sync worker (reading files and building Blobs off the UI thread). */
export type ArchiveCommand =
  /** A folder, or the given messages, as one mbox file. */
  | { kind: 'export-mbox'; folderId: string | null; messageIds: number[] | null }
  | { kind: 'export-eml'; messageIds: number[] }
  /** Files (Files from a picker or a drop: .eml, anything else read as mbox) into a local folder. */
  | { kind: 'import-mail'; folderId: string; files: ImportSource[] }

export interface ExportedFile {
  fileName: string
  blob: Blob
}

export interface MboxExportResult extends ExportedFile {
  exported: number
  skipped: number
}

export interface EmlExportResult {
  files: ExportedFile[]
  skipped: number
}

export type { ImportProgress, ImportReport }

const KINDS = new Set<WorkerCommand['kind']>(['export-mbox', 'export-eml', 'import-mail'])

export function isArchiveCommand(command: WorkerCommand): command is ArchiveCommand {
  return KINDS.has(command.kind)
}

export async function runArchiveCommand(
  store: MailStore,
  command: ArchiveCommand,
  onProgress: (progress: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<MboxExportResult | EmlExportResult | ImportReport> {
  switch (command.kind) {
    case 'export-mbox': {
      const what =
        command.folderId !== null ? { folderId: command.folderId } : { messageIds: command.messageIds ?? [] }
      const result = await exportMbox(store, what)
      if (result.exported === 0) {
        throw new MailError(
          'NOT_FOUND',
          result.skipped > 0
            ? 'None of these messages is stored in full on this computer, so there is nothing to export. Open them (or let sync download them) first.'
            : 'There are no messages to export.',
        )
      }
      const blob = new Blob(result.parts as Uint8Array<ArrayBuffer>[], { type: 'application/mbox' })
      return { fileName: result.fileName, blob, exported: result.exported, skipped: result.skipped }
    }
    case 'export-eml': {
      const { files, skipped } = await exportEmlFiles(store, command.messageIds)
      if (files.length === 0) {
        throw new MailError(
          'NOT_FOUND',
          'The full text of these messages is not stored on this computer, so they cannot be saved. Open them first.',
        )
      }
      return {
        files: files.map((f) => ({
          fileName: f.fileName,
          blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: 'message/rfc822' }),
        })),
        skipped,
      }
    }
    case 'import-mail':
      return importMail(store, command.folderId, command.files, onProgress, signal)
  }
}
