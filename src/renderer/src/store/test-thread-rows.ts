import type { MailDb } from './mail-db'
import { getThreadRows, readThreadRows, readThreadsBetween, writeThreadRows } from './thread-months'
import type { ThreadRow } from './threads'

/**
 * Tests only: the thread rows of a store read and written one by one, as tests did when each was a record of
 * its own (schema before 12), through the month records the store keeps now (thread-months.ts).
 */
export function testThreadRows(db: MailDb) {
  return {
    /** In the order of the old table's key: folder, then thread id. */
    toArray: async (): Promise<ThreadRow[]> =>
      (await readThreadRows(db.threadMonths)).sort((a, b) =>
        a.folderId !== b.folderId
          ? a.folderId < b.folderId
            ? -1
            : 1
          : a.threadId < b.threadId
            ? -1
            : a.threadId > b.threadId
              ? 1
              : 0,
      ),
    count: async (): Promise<number> => (await readThreadRows(db.threadMonths)).length,
    get: async ([folderId, threadId]: [string, string]): Promise<ThreadRow | undefined> =>
      (await getThreadRows(db.threadMonths, [[folderId, threadId]]))[0],
    /** A folder's threads in date order, oldest first. */
    byDate: (folderId: string): Promise<ThreadRow[]> =>
      readThreadsBetween(db.threadMonths, folderId, {
        from: null,
        to: null,
        order: 'oldest',
        limit: Number.MAX_SAFE_INTEGER,
      }),
    /** Writes a thread row as it is, without the messages' upkeep (a row "behind the store's back"). */
    put: (row: ThreadRow): Promise<unknown> =>
      db.transaction('rw', db.threadMonths, async () => {
        const [before] = await getThreadRows(db.threadMonths, [[row.folderId, row.threadId]])
        await writeThreadRows(db.threadMonths, [{ before, after: row }])
      }),
  }
}
