import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../store/mail-db'
import { inboxFolderIds } from '../store/queries/folders'

/**
 * The Inbox folder ids of `accounts`, kept up to date from the store; `seed` until the first answer
 * (undefined without one, or while the store or the accounts are unknown).
 */
export function useInboxIds(
  db: MailDb | undefined,
  accounts: readonly { id: string }[] | undefined,
  seed?: string[],
): string[] | undefined {
  const accountKey = (accounts ?? []).map((a) => a.id).join('\u0000')
  return useLiveQuery(
    () =>
      db && accounts
        ? inboxFolderIds(
            db,
            accounts.map((a) => a.id),
          )
        : undefined,
    [db, accountKey],
    seed,
  )
}
