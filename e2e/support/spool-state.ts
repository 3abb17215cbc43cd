import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** What core's safety copy recorded per account (src/core/pop3/message-spool.ts, state.json). */
export async function spoolState(
  dataDir: string,
  accountId: string,
): Promise<{ storeId: string | null; resets: number; copies: number; dropped: number }> {
  const key = createHash('sha256').update(accountId).digest('hex').slice(0, 32)
  const text = await readFile(join(dataDir, 'pop3-spool', key, 'state.json'), 'utf8')
  const s = JSON.parse(text) as { storeId: string | null; resets?: number; copies: object; dropped: number }
  return {
    storeId: s.storeId,
    resets: s.resets ?? 0,
    copies: Object.keys(s.copies).length,
    dropped: s.dropped,
  }
}
