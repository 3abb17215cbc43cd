import { useCallback, useMemo, useState } from 'react'
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

/** Rows are read in pages; the window covers the visible pages plus one on each side. */
const PAGE = 50
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

  const [pages, setPages] = useState<{ key: string; first: number; last: number }>({
    key: '',
    first: 0,
    last: 0,
  })
  const firstPage = pages.key === key ? pages.first : 0
  const lastPage = pages.key === key ? pages.last : 0
  const window = useCoalescedLiveQuery(async () => {
    if (!db || !spec) return undefined
    const offset = firstPage * PAGE
    const limit = (lastPage - firstPage + 1) * PAGE
    const rows = await withSnippets(db, await readWindow(db, spec, offset, limit))
    return { key, offset, rows }
  }, [db, key, firstPage, lastPage])
  // While the next window loads, the previous one still answers for the rows it has: no blank flashes.
  const [lastWindow, setLastWindow] = useState(window)
  if (window && window !== lastWindow) setLastWindow(window)
  const latest = window ?? lastWindow
  const shown = latest?.key === key ? latest : undefined

  const setVisibleRows = useCallback(
    (first: number, last: number) => {
      const f = Math.max(0, Math.floor(first / PAGE) - 1)
      const l = Math.floor(last / PAGE) + 1
      setPages((p) => (p.key === key && p.first === f && p.last === l ? p : { key, first: f, last: l }))
    },
    [key],
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
      rowAt: (row: number): MessageRow | undefined => (shown ? shown.rows[row - shown.offset] : undefined),
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
