/**
 * The files that hold raw message bodies: the origin private file system (OPFS) in Chromium, an in-memory
 * stand-in in Node (the sync engine's tests run on fake-indexeddb, which has no OPFS either). Only the sync
 * worker appends (body-store.ts); anyone may read.
 *
 * What Debian's Chromium 156 was seen to do (scratch runs through a local origin, 2026-11-27; see
 * body-store.ts for how the store relies on it):
 * - `createSyncAccessHandle()` works in a dedicated (module) worker; its default mode is the exclusive
 *   'readwrite'. A second handle on the same file, from another worker, is refused with
 *   NoModificationAllowedError while the first is open — even `{ mode: 'readwrite-unsafe' }` — so a second
 *   window's worker can never append beside the writer.
 * - The page (main thread) can read a file while the worker holds it, in the default mode too:
 *   `getFile()` gives a snapshot with the flushed bytes. A `File` taken before the file changed fails with
 *   NotReadableError when read afterwards, so every read takes a fresh `getFile()` (and retries once).
 * - `write()`/`flush()` are synchronous; `flush()` returns nothing and persists the written bytes. Bytes
 *   written and flushed were all there after a SIGKILL of the browser's process group and a relaunch on the
 *   same profile (a process kill cannot tell flush from no flush: the OS keeps the page cache).
 * - Past the origin's quota (a DevTools quota override), a `write()` that finds no room at all throws
 *   QuotaExceededError; what earlier writes put there stays, and `truncate()` still works (gives the room
 *   back). But a write that CROSSES the quota writes part of its data and returns 4294967288 (base::File's
 *   -8, FILE_ERROR_NO_SPACE, as an unsigned count) without throwing, and so does every write after it. A
 *   caller that trusts the count commits rows pointing past the end of the file: e2e/store-full.e2e.ts lost
 *   86 of 120 messages that way before `write` below checked it. Every count is checked, and the writer
 *   checks the file's size after the batch too.
 */
import { MailError } from '../../../../shared/errors'

/** Where a message's raw bytes are: `length` bytes at `offset` in body file `file`. */
export interface BodyRef {
  file: string
  offset: number
  length: number
}

/** The writer's handle on one body file (a FileSystemSyncAccessHandle in Chromium). */
export interface AppendHandle {
  getSize(): number
  /** Writes all of `data` at `at` (throws QuotaExceededError when there is no room). */
  write(data: Uint8Array, at: number): void
  truncate(size: number): void
  flush(): void
  read(at: number, length: number): Uint8Array
  close(): void
}

export interface BodyFiles {
  /** For the single writer only: opens (creating) a file for appending, exclusively where the platform can. */
  openForAppend(name: string): Promise<AppendHandle>
  /** The bytes of each ref, in order. */
  read(refs: readonly BodyRef[]): Promise<Uint8Array[]>
  /** The names of the files there are. */
  list(): Promise<string[]>
  /** The file's size in bytes (0 when there is no such file). */
  size(name: string): Promise<number>
  /** For the single writer only: closes its handle on the file, if open, and deletes the file (if there). */
  remove(name: string): Promise<void>
}

/** The subset of OPFS used here (declared here: the Node build of these files has no DOM lib). */
interface OpfsFile {
  getFile(): Promise<Blob>
  createSyncAccessHandle(): Promise<SyncAccessHandle>
}
interface OpfsDirectory {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectory>
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFile>
  keys(): AsyncIterable<string>
  removeEntry(name: string): Promise<void>
}
interface OpfsStorage {
  getDirectory(): Promise<OpfsDirectory>
}

/** FileSystemSyncAccessHandle (the DOM lib has it only in the worker lib). */
interface SyncAccessHandle {
  getSize(): number
  write(data: Uint8Array, options: { at: number }): number
  read(data: Uint8Array, options: { at: number }): number
  truncate(size: number): void
  flush(): void
  close(): void
}

function missing(ref: BodyRef, detail?: unknown): MailError {
  return new MailError(
    'NOT_FOUND',
    'The stored text of this message is missing from this computer’s mail store. If it is still on the ' +
      'server, remove the account and add it again to download it anew.',
    `${ref.file} @${ref.offset}+${ref.length}${detail === undefined ? '' : `: ${String(detail)}`}`,
  )
}

class OpfsBodyFiles implements BodyFiles {
  private dir: Promise<OpfsDirectory> | undefined
  /** The writer's open handles: reads of those files go through them (no File snapshot needed). */
  private readonly open = new Map<string, AppendHandle>()

  constructor(private readonly dirName: string) {}

  private directory(): Promise<OpfsDirectory> {
    this.dir ??= opfsStorage()!
      .getDirectory()
      .then((root) => root.getDirectoryHandle(this.dirName, { create: true }))
    return this.dir
  }

  async openForAppend(name: string): Promise<AppendHandle> {
    const known = this.open.get(name)
    if (known) return known
    const file = await (await this.directory()).getFileHandle(name, { create: true })
    const sync = await file.createSyncAccessHandle()
    const handle: AppendHandle = {
      getSize: () => sync.getSize(),
      write: (data, at) => {
        let done = 0
        while (done < data.byteLength) {
          const n = sync.write(data.subarray(done), { at: at + done })
          if (n > 0 && n <= data.byteLength - done) {
            done += n
            continue
          }
          // A write that crosses the quota writes part of the data and returns base::File's error code as
          // an unsigned count: 4294967288 = -8, FILE_ERROR_NO_SPACE (seen in Chromium 156).
          const code = n > 0x7fffffff ? n - 0x100000000 : n
          if (code === -8 || n === 0) {
            throw new DOMException(`No space available for this operation (${code})`, 'QuotaExceededError')
          }
          throw new Error(`writing a body file failed (${code})`)
        }
      },
      truncate: (size) => sync.truncate(size),
      flush: () => sync.flush(),
      read: (at, length) => {
        const out = new Uint8Array(length)
        const n = sync.read(out, { at })
        if (n !== length) throw new RangeError(`read ${n} of ${length} bytes`)
        return out
      },
      close: () => {
        this.open.delete(name)
        sync.close()
      },
    }
    this.open.set(name, handle)
    return handle
  }

  async list(): Promise<string[]> {
    const names: string[] = []
    for await (const name of (await this.directory()).keys()) names.push(name)
    return names
  }

  async size(name: string): Promise<number> {
    const handle = this.open.get(name)
    if (handle) return handle.getSize()
    try {
      return (await (await (await this.directory()).getFileHandle(name)).getFile()).size
    } catch (error) {
      if ((error as { name?: string }).name === 'NotFoundError') return 0
      throw error
    }
  }

  async remove(name: string): Promise<void> {
    // An open sync access handle locks the file: removeEntry would fail with NoModificationAllowedError.
    this.open.get(name)?.close()
    try {
      await (await this.directory()).removeEntry(name)
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotFoundError') throw error
    }
  }

  async read(refs: readonly BodyRef[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = new Array<Uint8Array>(refs.length)
    const byFile = new Map<string, number[]>()
    refs.forEach((ref, i) => {
      const list = byFile.get(ref.file) ?? []
      list.push(i)
      byFile.set(ref.file, list)
    })
    for (const [name, indexes] of byFile) {
      const handle = this.open.get(name)
      if (handle) {
        for (const i of indexes) {
          const ref = refs[i]!
          try {
            out[i] = handle.read(ref.offset, ref.length)
          } catch (error) {
            throw missing(ref, error)
          }
        }
        continue
      }
      // A File is a snapshot: one that the writer appended to since fails with NotReadableError. Retried
      // with a fresh snapshot; appends never move bytes already committed.
      for (let attempt = 0; ; attempt++) {
        try {
          let file: Blob
          try {
            file = await (await (await this.directory()).getFileHandle(name)).getFile()
          } catch (error) {
            throw missing(refs[indexes[0]!]!, error)
          }
          for (const i of indexes) {
            const ref = refs[i]!
            if (ref.offset + ref.length > file.size) throw missing(ref, `file holds ${file.size} bytes`)
            out[i] = new Uint8Array(await file.slice(ref.offset, ref.offset + ref.length).arrayBuffer())
          }
          break
        } catch (error) {
          if (attempt < 3 && (error as { name?: string }).name === 'NotReadableError') continue
          throw error
        }
      }
    }
    return out
  }
}

/** Node's stand-in: the same offsets and lengths, kept in memory for the life of the process. */
class MemoryBodyFiles implements BodyFiles {
  private readonly files = new Map<string, { bytes: Uint8Array; size: number; open: boolean }>()

  private file(name: string): { bytes: Uint8Array; size: number; open: boolean } {
    let f = this.files.get(name)
    if (!f) {
      f = { bytes: new Uint8Array(1024), size: 0, open: false }
      this.files.set(name, f)
    }
    return f
  }

  openForAppend(name: string): Promise<AppendHandle> {
    const f = this.file(name)
    f.open = true
    return Promise.resolve({
      getSize: () => f.size,
      write: (data, at) => {
        const end = at + data.byteLength
        if (end > f.bytes.byteLength) {
          const grown = new Uint8Array(Math.max(end, f.bytes.byteLength * 2))
          grown.set(f.bytes.subarray(0, f.size))
          f.bytes = grown
        }
        f.bytes.set(data, at)
        f.size = Math.max(f.size, end)
      },
      truncate: (size) => {
        if (size < f.size) f.bytes.fill(0, size, f.size)
        f.size = Math.min(f.size, size)
      },
      flush: () => undefined,
      read: (at, length) => f.bytes.slice(at, at + length),
      close: () => {
        f.open = false
      },
    })
  }

  read(refs: readonly BodyRef[]): Promise<Uint8Array[]> {
    return Promise.resolve(
      refs.map((ref) => {
        const f = this.files.get(ref.file)
        if (!f || ref.offset + ref.length > f.size) throw missing(ref)
        return f.bytes.slice(ref.offset, ref.offset + ref.length)
      }),
    )
  }

  list(): Promise<string[]> {
    return Promise.resolve([...this.files.keys()])
  }

  size(name: string): Promise<number> {
    return Promise.resolve(this.sizeOf(name))
  }

  remove(name: string): Promise<void> {
    this.files.delete(name)
    return Promise.resolve()
  }

  /** For tests: what a crash would leave, i.e. the file as it is (committed or not). */
  sizeOf(name: string): number {
    return this.files.get(name)?.size ?? 0
  }
}

const byStore = new Map<string, BodyFiles>()

function opfsStorage(): OpfsStorage | undefined {
  const storage = (globalThis as unknown as { navigator?: { storage?: Partial<OpfsStorage> } }).navigator
    ?.storage
  return typeof storage?.getDirectory === 'function' ? (storage as OpfsStorage) : undefined
}

/**
 * The body files of the store named `dbName` (one folder per store, beside its IndexedDB database). One
 * instance per JS context, so the worker's reads use its own open handles.
 */
export function bodyFilesFor(dbName: string): BodyFiles {
  let files = byStore.get(dbName)
  if (!files) {
    files = opfsStorage() ? new OpfsBodyFiles(`${dbName}.bodies`) : new MemoryBodyFiles()
    byStore.set(dbName, files)
  }
  return files
}

/** For tests in Node: the in-memory files of a store, to look at or damage. */
export function memoryBodyFilesFor(dbName: string): MemoryBodyFiles {
  const files = bodyFilesFor(dbName)
  if (!(files instanceof MemoryBodyFiles)) throw new Error('not the in-memory body files')
  return files
}
