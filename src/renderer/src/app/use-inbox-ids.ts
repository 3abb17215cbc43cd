import { useMemo } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../store/mail-db'
import { inboxFolderIds } from '../store/queries/folders'

/**
 * The Inbox folder ids of `accounts`, kept up to date from the store; `seed` until the first answer
 * (undefined without one, or while the store or the accounts are unknown). The query answers a string
 * (JSON: folder ids contain NUL themselves), so that the callers render again only when the ids change,
 * not at every commit of a sync into the folders' counts.
 */
export function useInboxIds(
  db: MailDb | undefined,
  accounts: readonly { id: string }[] | undefined,
  seed?: string[],
): string[] | undefined {
  const accountKey = (accounts ?? []).map((a) => a.id).join('\u0000')
  const json = useLiveQuery(
    async () =>
      db && accounts
        ? JSON.stringify(
            await inboxFolderIds(
              db,
              accounts.map((a) => a.id),
            ),
          )
        : undefined,
    [db, accountKey],
    seed && JSON.stringify(seed),
  )
  return useMemo(() => (json === undefined ? undefined : (JSON.parse(json) as string[])), [json])
}
