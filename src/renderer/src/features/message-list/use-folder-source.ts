import { useCallback, useMemo, useState } from 'react'
import { snapshotFirstScreen } from '../../app/startup-snapshot'
import { useKeptWhileEqual } from '../../components/use-kept-while-equal'
import type { MailDb } from '../../store/mail-db'
import { positionOf, readWindowIds, type ListSpec } from '../../store/queries/message-window'
import type { MessageRow } from '../../store/rows'
import { layoutGroups, type ListLayout } from './list-layout'
import { listKey, readListWindow } from './list-reads'
import { findLoadedRow, type ListSource } from './list-source'
import type { Selection } from './selection'
import { useNow } from './use-now'
import { usePagedWindow } from './use-paged-window'

export function useFolderSource(db: MailDb | undefined, spec: ListSpec | null, label: string): ListSource {
  const key = listKey(spec)
  // The startup snapshot's copy of this list, if it read this very list: the first render draws its rows.
  const [seed] = useState(() => snapshotFirstScreen(key))
  const now = useNow(undefined, seed?.now)
  // The date groups come with the rows, from one read of the per-day counts per change of the store.
  // Coalesced (usePagedWindow): a bulk sync commits a batch every few tens of ms; the list re-renders at most
  // every 250 ms.
  const { shown, setVisibleRows } = usePagedWindow(
    db,
    key,
    db && spec ? (offset, limit) => readListWindow(db, spec, now, offset, limit) : undefined,
    seed && { layout: seed.layout, rows: seed.rows },
    now,
  )
  // Until another list's first answer, the groups of the one before stay drawn (not its rows: `shown` is of
  // this list only), as they did when the groups were a live query of their own: no spinner between lists.
  const [lastLayout, setLastLayout] = useState(shown?.data.layout)
  if (shown && shown.data.layout !== lastLayout) setLastLayout(shown.data.layout)
  // The same groups again (the first answer after the snapshot, most commits, a scroll) keep the layout the
  // list draws.
  const layout = useKeptWhileEqual(shown?.data.layout ?? lastLayout, sameLayout)

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
      rowAt: (row: number): MessageRow | undefined =>
        shown ? shown.data.rows[row - shown.offset] : undefined,
      setVisibleRows,
      resolveIds,
      findRow: (m) => findLoadedRow(shown?.data.rows, shown?.offset ?? 0, (r) => r.id === m.id),
      locateRow: (id: number) => (db && spec ? positionOf(db, spec, id) : Promise.resolve(undefined)),
      emptyText:
        spec?.filter === 'unread'
          ? 'No unread messages here.'
          : spec?.filter === 'flagged'
            ? 'No flagged messages here.'
            : 'No messages here yet.',
    }),
    [key, label, spec, layout, shown, setVisibleRows, resolveIds, db],
  )
}

function sameLayout(a: ListLayout | undefined, b: ListLayout | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)
}
