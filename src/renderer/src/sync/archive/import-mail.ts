/**
 * Importing an archive into a local folder: mbox files are streamed (a 100 MB file is never read whole)
 * and .eml files read one at a time; messages are stored in durable batches as they come, so a bad file or
 * a closed window keeps everything imported up to then. A message already in the folder (same Message-ID
 * and the same bytes, by SHA-256) is skipped and counted, so importing the same archive twice adds nothing.
 */
import { MailError } from '../../../../shared/errors'
import { concatBytes } from '../../../../shared/mail-formats/concat-bytes'
import { readEml } from '../../../../shared/mail-formats/eml'
import { MboxSplitter } from '../../../../shared/mail-formats/mbox-stream'
import type { MailStore } from '../../store/mail-db'
import { readBodies } from '../../store/bodies/body-store'
import type { FolderRow, MessageRow } from '../../store/rows'
import { bumpCounts } from '../pop3/local-folders'
import { localMessageRow } from '../pop3/store-downloaded'
import { addMessages, folderMessages, messageTables } from '../../store/messages'

/** What the import needs of a File (a browser File satisfies it; tests pass their own). */
export interface ImportSource {
  name: string
  size: number
  stream(): ReadableStream<Uint8Array>
}

export interface ImportProgress {
  file: string
  /** Bytes read of all files so far, and their total. */
  bytesRead: number
  totalBytes: number
  imported: number
  duplicates: number
  malformed: number
}

export interface ImportReport extends ImportProgress {
  /** One sentence per problem, for the user (file name and where in it). At most 50. */
  problems: string[]
  /** The user stopped it: what was imported until then stays. */
  stopped: boolean
}

/** Thrown inside the importer to unwind when the user stops it; never leaves importMail. */
class ImportStopped extends Error {}

/** Messages (and bytes) stored per transaction: big enough to be quick, small enough to bound memory. */
const BATCH_MESSAGES = 200
const BATCH_BYTES = 8 * 1024 * 1024
const MAX_PROBLEMS = 50

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A header section of at least one "Name: value" line, as any message has; anything else is not mail. */
export function looksLikeMessage(raw: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(raw.subarray(0, Math.min(raw.length, 4096)))
  const firstLine = head.split(/\r?\n/, 1)[0] ?? ''
  return /^[!-9;-~]+:/.test(firstLine)
}

/**
 * Which messages the folder holds already, by Message-ID → hashes of their bytes (filled as needed). The
 * folder's rows are read once per import, not once per batch: a batch that read the whole folder made an
 * import into a big folder quadratic. Mail another writer adds to the folder while the import runs is not
 * seen here (an import into the Inbox during a download could then store one message twice).
 */
class FolderContents {
  private readonly byId = new Map<string, Set<string>>()
  private withoutId: Set<string> | undefined
  private rows: Promise<{ byId: Map<string, MessageRow[]>; withoutId: MessageRow[] }> | undefined

  constructor(
    private readonly store: MailStore,
    private readonly folderId: string,
  ) {}

  /** The hash of each row's bytes, in the rows' order (undefined where its bytes are not stored). */
  private async hashesOf(rows: MessageRow[]): Promise<(string | undefined)[]> {
    const bodies = await readBodies(this.store.fast, rows)
    return Promise.all(bodies.map((b) => (b === undefined ? undefined : sha256(b))))
  }

  /** The folder's rows as the import began, by Message-ID (read on first use). */
  private folderRows(): Promise<{ byId: Map<string, MessageRow[]>; withoutId: MessageRow[] }> {
    this.rows ??= folderMessages(this.store.fast, this.folderId).then((rows) => {
      const byId = new Map<string, MessageRow[]>()
      const withoutId: MessageRow[] = []
      for (const r of rows) {
        if (r.messageId === null) withoutId.push(r)
        else if (byId.has(r.messageId)) byId.get(r.messageId)!.push(r)
        else byId.set(r.messageId, [r])
      }
      return { byId, withoutId }
    })
    return this.rows
  }

  /** Loads what the folder has for these Message-IDs (once per id). */
  async prepare(messageIds: readonly (string | null)[]): Promise<void> {
    const missing = [...new Set(messageIds.filter((m) => m !== null && !this.byId.has(m)))] as string[]
    if (missing.length > 0) {
      const { byId } = await this.folderRows()
      for (const id of missing) this.byId.set(id, new Set())
      const inFolder = missing.flatMap((id) => byId.get(id) ?? [])
      const hashes = await this.hashesOf(inFolder)
      inFolder.forEach((r, i) => {
        const hash = hashes[i]
        if (hash !== undefined) this.byId.get(r.messageId!)!.add(hash)
      })
    }
    if (this.withoutId === undefined && messageIds.includes(null)) {
      const hashes = await this.hashesOf((await this.folderRows()).withoutId)
      this.withoutId = new Set(hashes.filter((h) => h !== undefined))
    }
  }

  /** True when the folder (or this import) has it already; otherwise records it as present. */
  seen(messageId: string | null, hash: string): boolean {
    const set = messageId === null ? (this.withoutId ??= new Set()) : this.byId.get(messageId)!
    if (set.has(hash)) return true
    set.add(hash)
    return false
  }
}

export class MailImporter {
  private readonly progress: ImportProgress
  private readonly problems: string[] = []
  private batch: { raw: Uint8Array; where: string }[] = []
  private batchBytes = 0
  private readonly contents: FolderContents

  constructor(
    private readonly store: MailStore,
    private readonly folder: FolderRow,
    totalBytes: number,
    private readonly onProgress: (p: ImportProgress) => void,
    private readonly signal?: AbortSignal,
  ) {
    this.progress = { file: '', bytesRead: 0, totalBytes, imported: 0, duplicates: 0, malformed: 0 }
    this.contents = new FolderContents(store, folder.id)
  }

  report(): ImportReport {
    return { ...this.progress, problems: [...this.problems], stopped: this.signal?.aborted === true }
  }

  problem(text: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text)
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push('More problems were not listed.')
  }

  async importFile(source: ImportSource): Promise<void> {
    this.progress.file = source.name
    const before = this.progress.bytesRead
    try {
      if (/\.eml$/i.test(source.name)) await this.importEml(source)
      else await this.importMbox(source)
      await this.flush()
    } catch (error) {
      // What was stored so far stays; the file's rest is reported, not retried.
      await this.flush().catch(() => undefined)
      if (error instanceof ImportStopped) throw error
      const reason = error instanceof Error ? error.message : String(error)
      this.problem(`${source.name}: reading stopped (${reason}). Messages before that point were imported.`)
    }
    this.progress.bytesRead = before + source.size
    this.onProgress({ ...this.progress })
  }

  private async importEml(source: ImportSource): Promise<void> {
    const chunks: Uint8Array[] = []
    const reader = source.stream().getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
    await this.add(readEml(concatBytes(chunks)).slice(), source.name)
  }

  private async importMbox(source: ImportSource): Promise<void> {
    const splitter = new MboxSplitter()
    const reader = source.stream().getReader()
    const start = this.progress.bytesRead
    let read = 0
    let count = 0
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      read += r.value.length
      for (const piece of splitter.push(r.value)) {
        // Where in the file this message starts: progress within a chunk (a File may come in one piece).
        this.progress.bytesRead = start + piece.offset
        await this.add(piece.raw, where(source, ++count, piece.offset))
      }
      this.progress.bytesRead = start + read
    }
    for (const piece of splitter.end()) await this.add(piece.raw, where(source, ++count, piece.offset))
    if (count === 0) {
      this.progress.malformed++
      this.problem(
        `${source.name} is not an mbox file (no line starts with "From "). To import single messages, use .eml files.`,
      )
    } else if (splitter.preambleBytes > 0) {
      this.problem(
        `${source.name}: ${splitter.preambleBytes} bytes before the first message are not mail and were skipped.`,
      )
    }
  }

  private async add(raw: Uint8Array, where: string): Promise<void> {
    // Checked per message: the batch so far is stored (durably) by importFile before the import ends.
    if (this.signal?.aborted) throw new ImportStopped()
    if (!looksLikeMessage(raw)) {
      this.progress.malformed++
      this.problem(`${where} is not a mail message (no header) and was skipped.`)
      return
    }
    this.batch.push({ raw, where })
    this.batchBytes += raw.length
    if (this.batch.length >= BATCH_MESSAGES || this.batchBytes >= BATCH_BYTES) await this.flush()
  }

  /** Stores the batch in one durable transaction, minus duplicates. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return
    const batch = this.batch
    this.batch = []
    this.batchBytes = 0
    const now = Date.now()
    const { folder } = this
    const rows = batch.map(({ raw }) => ({
      ...localMessageRow(folder.accountId, folder.id, raw, raw.byteLength, null, 'full', now),
      flags: ['\\Seen'],
      unread: 0 as const,
    }))
    const hashes = await Promise.all(batch.map(({ raw }) => sha256(raw)))
    await this.contents.prepare(rows.map((r) => r.messageId))
    const fresh = rows
      .map((row, i) => ({ row, raw: batch[i]!.raw }))
      .filter((_, i) => {
        const dup = this.contents.seen(rows[i]!.messageId, hashes[i]!)
        if (dup) this.progress.duplicates++
        return !dup
      })
    if (fresh.length > 0) {
      const db = this.store.durable
      await this.store.bodies.withAppended(
        folder.accountId,
        fresh.map((f) => f.raw),
        (appended) =>
          db.transaction('rw', [...messageTables(db), db.folders, db.bodyFiles], async () => {
            if (!(await db.folders.get(folder.id))) {
              throw new MailError('NOT_FOUND', `The folder ${folder.name} was deleted during the import.`)
            }
            const ids = (await addMessages(
              db,
              fresh.map((f, k) => ({ ...f.row, body: appended.refs[k]! })),
            )) as number[]
            await appended.commitIn(db)
            await bumpCounts(db, folder.id, ids.length, 0)
          }),
      )
      this.progress.imported += fresh.length
    }
    this.onProgress({ ...this.progress })
  }
}

function where(source: ImportSource, n: number, offset: number): string {
  return `${source.name}, message ${n} (at byte ${offset})`
}

/** Imports files into a local folder; see the module comment. */
export async function importMail(
  store: MailStore,
  folderId: string,
  files: readonly ImportSource[],
  onProgress: (p: ImportProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<ImportReport> {
  const folder = await store.fast.folders.get(folderId)
  if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.')
  if (!folder.local) {
    throw new MailError(
      'INVALID_PARAMS',
      `Mail can be imported into local folders only (${folder.name} is on a server). Choose a local folder.`,
    )
  }
  const importer = new MailImporter(
    store,
    folder,
    files.reduce((n, f) => n + f.size, 0),
    onProgress,
    signal,
  )
  try {
    for (const file of files) await importer.importFile(file)
  } catch (error) {
    if (!(error instanceof ImportStopped)) throw error
  }
  return importer.report()
}
