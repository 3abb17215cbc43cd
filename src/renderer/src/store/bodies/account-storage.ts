import type { MailDb } from '../mail-db'
import { eachMessageStep } from '../messages'
import { bodyFilesFor } from './body-files'
import { bodyFileAccount } from './body-store'

/** What an account's mail takes on this computer (the "Storage" dialog). */
export interface AccountStorage {
  /** Message rows of the account. */
  messages: number
  /** Of them, those whose full text is stored here (readable offline). */
  withText: number
  /** Bytes of that text in the body files (bytes that copies share, once). */
  textBytes: number
  /** Bytes of the account's body files that no row points at: deleted mail, until compaction gives them back. */
  reclaimable: number
}

const SCAN_ROWS = 5_000

/**
 * Reads every row (in steps) and the sizes of the account's body files. Rows of other accounts count too when
 * they point into this account's files (mail moved or copied there keeps its bytes where they were): such bytes
 * are not reclaimable. An estimate while the sync worker writes: it reads the files before the rows, so bytes
 * appended meanwhile never show as reclaimable.
 */
export async function accountStorage(db: MailDb, accountId: string): Promise<AccountStorage> {
  const files = bodyFilesFor(db.name)
  const sizes = new Map<string, number>()
  for (const name of await files.list()) {
    if (bodyFileAccount(name) === accountId) sizes.set(name, await files.size(name))
  }
  const live = new Map<string, number>()
  const own = new Set<string>()
  const out: AccountStorage = { messages: 0, withText: 0, textBytes: 0, reclaimable: 0 }
  await eachMessageStep(db, SCAN_ROWS, (rows) => {
    for (const row of rows) {
      const { body } = row
      if (row.accountId === accountId) {
        out.messages++
        if (row.bodyState === 'full') out.withText++
      }
      if (!body) continue
      const range = `${body.file}@${body.offset}`
      if (row.accountId === accountId && !own.has(range)) {
        own.add(range)
        out.textBytes += body.length
      }
      const size = sizes.get(body.file)
      if (size !== undefined && body.offset + body.length <= size) live.set(range, body.length)
    }
  })
  let liveInFiles = 0
  for (const length of live.values()) liveInFiles += length
  let total = 0
  for (const size of sizes.values()) total += size
  out.reclaimable = Math.max(0, total - liveInFiles)
  return out
}
