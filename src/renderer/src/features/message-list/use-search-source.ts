import { useCallback, useDeferredValue, useMemo } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import type { MailDb } from '../../store/mail-db'
import { searchMessages } from '../../store/queries/search'
import { withSnippets } from '../../store/queries/snippets'
import { layoutGroups } from './list-layout'
import { findLoadedRow, type ListSource } from './list-source'
import type { Selection } from './selection'

export const SEARCH_LIMIT = 50

/** Search results as a list source: a short array, so the layout is a single "Results" group. */
export function useSearchSource(db: MailDb | undefined, query: string): ListSource {
  // Typing stays responsive: React renders the newest keystroke first and the search as it completes.
  const deferred = useDeferredValue(query.trim())
  // Results carry their query: until the new query has answered, the list shows "loading", never the
  // previous query's rows under the new query's title.
  const answer = useLiveQuery(
    async () => ({
      query: deferred,
      rows: db && deferred ? await withSnippets(db, await searchMessages(db, deferred, SEARCH_LIMIT)) : [],
    }),
    [db, deferred],
  )
  const results = answer?.query === deferred ? answer.rows : undefined
  const resolveIds = useCallback(
    async (selection: Selection) =>
      selection.ranges.flatMap(([a, b]) => (results ?? []).slice(a, b + 1).map((r) => r.id!)),
    [results],
  )
  return useMemo<ListSource>(
    () => ({
      key: `search:${deferred}`,
      label: `Results for “${deferred}”`,
      layout:
        results === undefined
          ? undefined
          : layoutGroups([
              {
                label: results.length === SEARCH_LIMIT ? `First ${SEARCH_LIMIT} results` : 'Results',
                count: results.length,
              },
            ]),
      rowAt: (row) => results?.[row],
      setVisibleRows: () => undefined,
      resolveIds,
      findRow: (m) => findLoadedRow(results, 0, (r) => r.id === m.id),
      emptyText: 'Nothing in the downloaded mail matches the subject, sender or recipients.',
    }),
    [deferred, results, resolveIds],
  )
}
