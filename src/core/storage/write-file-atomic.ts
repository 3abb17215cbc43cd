import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writingIn } from './disk-full'

/**
 * Writes to a temp name (0600) and renames it over `path`, so a kill mid-write never leaves a short file
 * under the real name. With `durable` the temp file is fsync'd before the rename; making the rename itself
 * durable is the caller's `syncDirectory`. The temp file is removed if anything fails.
 */
export async function writeFileReplacing(
  path: string,
  content: string | Uint8Array,
  durable: boolean,
): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writingIn(dirname(path), async () => {
    try {
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(content, 'utf8')
        if (durable) await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, path)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
  })
}

/**
 * Write temp file (0600) + fsync + rename over the target + fsync the directory: after a crash the target is
 * either the old or the new content.
 */
export async function writeFileAtomic(dir: string, path: string, content: string): Promise<void> {
  await writingIn(dir, () => mkdir(dir, { recursive: true, mode: 0o700 }))
  await writeFileReplacing(path, content, true)
  await syncDirectory(dir)
}

/** fsyncs a file already written (e.g. one moved into place by rename). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Makes renames and new names in `dir` durable on POSIX; Windows cannot open directories for fsync. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
