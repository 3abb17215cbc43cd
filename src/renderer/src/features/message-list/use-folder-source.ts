import { useCallback, useMemo } from 'react'
import type { MailDb } from '../../store/mail-db'
import {
  countBefore,
  countRange,
  readDayCounts,
  type CountPart,
  type DayCount,
  readWindow,
  readWindowIds,
  totalOf,
  type ListSpec,
} from '../../store/queries/message-window'
import { useCoalescedLiveQuery } from '../../store/queries/use-coalesced-live-query'
import type { MessageRow } from '../../store/rows'
import { dateGroups, localeWeekStart } from './date-groups'
import { layoutGroups, type ListLayout } from './list-layout'
import type { ListSource } from './list-source'
import type { Selection } from './selection'
import { withSnippets } from '../../store/queries/snippets'
import { useNow } from './use-now'
import { usePagedWindow } from './use-paged-window'

const weekStart = localeWeekStart(navigator.language)

/**
 * Counts per date group, from the per-day counts the store keeps: each group boundary costs one count over the
 * part of its day before it, so nothing here grows with the folder. `readDays` / `countPart`: the conversation
 * view counts threads instead of messages.
 */
export async function loadLayout(
  db: MailDb,
  spec: ListSpec,
  now: number,
  readDays: (db: MailDb, spec: ListSpec) => Promise<DayCount[]> = readDayCounts,
  countPart: CountPart = countRange,
): Promise<ListLayout> {
  return db.transaction('r', [db.messages, db.listBuckets, db.threads, db.threadBuckets], async () => {
    const days = await readDays(db, spec)
    const total = totalOf(days)
    const groups = dateGroups(now, weekStart)
    // Rows dated before each group's lower edge; "Older" has none and starts at 0.
    const before = await Promise.all(
      groups.map((g) => (g.from === null ? 0 : countBefore(db, spec, days, g.from, countPart))),
    )
    const counted = groups.map((g, i) => ({
      label: g.label,
      // Groups are newest first: a group ends where the one before it (newer) begins.
      count: (i === 0 ? total : before[i - 1]!) - before[i]!,
    }))
    return layoutGroups(spec.order === 'newest' ? counted : counted.reverse())
  })
}

function specKey(spec: ListSpec | null): string {
  return spec ? JSON.stringify(spec) : ''
}

export function useFolderSource(db: MailDb | undefined, spec: ListSpec | null, label: string): ListSource {
  const key = specKey(spec)
  const now = useNow()
  // Coalesced: a bulk sync commits a batch every few tens of ms; the list re-renders at most every 250 ms.
  const layout = useCoalescedLiveQuery(
    () => (db && spec ? loadLayout(db, spec, now) : undefined),
    [db, key, now],
  )

  const { shown, setVisibleRows } = usePagedWindow(
    db,
    key,
    db && spec
      ? async (offset, limit) => withSnippets(db, await readWindow(db, spec, offset, limit))
      : undefined,
  )

  const resolveIds = useCallback(
    async (selection: Selection): Promise<number[]> => {
      if (!db || !spec) return []
      const parts = await Promise.all(selection.ranges.map(([a, b]) => readWindowIds(db, spec, a, b - a + 1)))
      return parts.flat()
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for `spec`
    [db, key],
  )

  return useMemo<ListSource>(
    () => ({
      key,
      label,
      layout: spec ? layout : layoutGroups([]),
      rowAt: (row: number): MessageRow | undefined => (shown ? shown.data[row - shown.offset] : undefined),
      setVisibleRows,
      resolveIds,
      emptyText:
        spec?.filter === 'unread'
          ? 'No unread messages here.'
          : spec?.filter === 'flagged'
            ? 'No flagged messages here.'
            : 'No messages here yet.',
    }),
    [key, label, spec, layout, shown, setVisibleRows, resolveIds],
  )
}
