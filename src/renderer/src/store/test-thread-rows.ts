import type { MailDb } from './mail-db'
import { getThreadRows, readThreadRows, readThreadsBetween, writeThreadRows } from './thread-days'
import type { ThreadRow } from './threads'

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Tests only: the thread rows of a store read and written one by one, as tests did when each was a record of
 * its own (schema before 12), through the day records the store keeps now (thread-days.ts).
 */
export function testThreadRows(db: MailDb) {
  return {
    /** In the order of the old table's key: folder, then thread id. */
    toArray: async (): Promise<ThreadRow[]> =>
      (await readThreadRows(db.threadDays)).sort(
        (a, b) => codeUnitOrder(a.folderId, b.folderId) || codeUnitOrder(a.threadId, b.threadId),
      ),
    count: async (): Promise<number> => (await readThreadRows(db.threadDays)).length,
    get: async ([folderId, threadId]: [string, string]): Promise<ThreadRow | undefined> =>
      (await getThreadRows(db.threadDays, [[folderId, threadId]]))[0],
    /** A folder's threads in date order, oldest first. */
    byDate: (folderId: string): Promise<ThreadRow[]> =>
      readThreadsBetween(db.threadDays, folderId, {
        from: null,
        to: null,
        order: 'oldest',
        limit: Number.MAX_SAFE_INTEGER,
      }),
    /** Writes a thread row as it is, without the messages' upkeep (a row "behind the store's back"). */
    put: (row: ThreadRow): Promise<unknown> =>
      db.transaction('rw', db.threadDays, async () => {
        const [before] = await getThreadRows(db.threadDays, [[row.folderId, row.threadId]])
        await writeThreadRows(db.threadDays, [{ before, after: row }])
      }),
  }
}
