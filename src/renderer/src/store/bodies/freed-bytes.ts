import type { BodyRef } from './body-files'

/**
 * Body bytes of the rows deleted since compaction last looked, per store, in this JS context (the sync
 * worker, the store's only writer): a hint that lets a big deletion (an emptied Trash) be compacted at the
 * next idle time instead of hours later. Not a count of dead bytes: copies share their bytes, and a restart
 * forgets it (the periodic look covers that).
 */
const freed = new Map<string, number>()

export function noteDeletedBodies(dbName: string, rows: readonly { body?: BodyRef }[]): void {
  let bytes = 0
  for (const row of rows) bytes += row.body?.length ?? 0
  if (bytes > 0) freed.set(dbName, (freed.get(dbName) ?? 0) + bytes)
}

export function freedBodyBytes(dbName: string): number {
  return freed.get(dbName) ?? 0
}

/** After a look that saw them: takes `bytes` off the hint (deletions made meanwhile stay counted). */
export function forgetFreedBodyBytes(dbName: string, bytes: number): void {
  freed.set(dbName, Math.max(0, freedBodyBytes(dbName) - bytes))
}
