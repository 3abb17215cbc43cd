import { useCallback, useMemo, useState } from 'react'
import type { MailDb } from '../../store/mail-db'
import { loadConversations } from '../../store/queries/conversations'
import { readThreadWindow, threadMessageIds } from '../../store/queries/thread-window'
import type { ListSpec } from '../../store/queries/message-window'
import { useCoalescedLiveQuery } from '../../store/queries/use-coalesced-live-query'
import type { MessageRow } from '../../store/rows'
import { dateGroups, localeWeekStart } from './date-groups'
import { layoutGroups } from './list-layout'
import { findLoadedRow, type ListSource } from './list-source'
import type { Selection } from './selection'
import { withSnippets } from '../../store/queries/snippets'
import { useNow } from './use-now'
import { PAGE, readThreadListWindow } from './list-reads'
import { usePagedWindow } from './use-paged-window'
import { getMessages } from '../../store/messages'

const weekStart = localeWeekStart(navigator.language)

/**
 * The list grouped by conversation: one row per thread, showing its newest message and how many messages
 * the thread has here. Actions on a selected conversation apply to all of its messages in this list.
 * Unfiltered, it pages through the thread rows the store keeps (cost independent of the folder's size);
 * the Unread / Flagged conversation lists group those messages when they change.
 */
export function useConversationSource(
  db: MailDb | undefined,
  spec: ListSpec | null,
  label: string,
): ListSource {
  const all = spec?.filter === 'all'
  const threads = useThreadSource(db, all ? spec : null, label)
  const filtered = useFilteredConversationSource(db, all ? null : spec, label)
  return all ? threads : filtered
}

const conversationsKey = (spec: ListSpec | null): string =>
  spec ? `conversations:${JSON.stringify(spec)}` : ''

/** One row per thread row of the store, read a window at a time like the flat list. */
function useThreadSource(db: MailDb | undefined, spec: ListSpec | null, label: string): ListSource {
  const key = conversationsKey(spec)
  const now = useNow()
  // The date groups come with the threads, from one read of the per-day thread counts per change.
  const { shown, setVisibleRows } = usePagedWindow(
    db,
    key,
    db && spec ? (offset, limit) => readThreadListWindow(db, spec, now, offset, limit) : undefined,
    undefined,
    now,
  )
  // Until another list's first answer, the groups of the one before stay drawn (see useFolderSource).
  const [lastLayout, setLastLayout] = useState(shown?.data.layout)
  if (shown && shown.data.layout !== lastLayout) setLastLayout(shown.data.layout)
  const layout = shown?.data.layout ?? lastLayout
  const resolveIds = useCallback(
    async (selection: Selection): Promise<number[]> => {
      if (!db || !spec) return []
      const parts = await Promise.all(
        selection.ranges.map(async ([a, b]) =>
          threadMessageIds(db, await readThreadWindow(db, spec, a, b - a + 1)),
        ),
      )
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
      threadSizeAt: (row: number) => (shown ? (shown.data.threads[row - shown.offset]?.count ?? 1) : 1),
      setVisibleRows,
      resolveIds,
      // A message that joined the thread stands for it now: the thread is what was selected.
      findRow: (m) =>
        findLoadedRow(
          shown?.data.rows,
          shown?.offset ?? 0,
          (r) => r.threadId === m.threadId && r.folderId === m.folderId,
        ),
      emptyText: 'No conversations here yet.',
    }),
    [key, label, spec, layout, shown, setVisibleRows, resolveIds],
  )
}

/** Unread / Flagged conversations: the list's messages grouped by thread whenever they change. */
function useFilteredConversationSource(
  db: MailDb | undefined,
  spec: ListSpec | null,
  label: string,
): ListSource {
  const key = conversationsKey(spec)
  const now = useNow()
  const conversations = useCoalescedLiveQuery(
    async () => (db && spec ? { key, list: await loadConversations(db, spec) } : undefined),
    [db, key],
  )
  const list = conversations?.key === key ? conversations.list : undefined

  const layout = useMemo(() => {
    if (!spec) return layoutGroups([])
    if (!list) return undefined
    const groups = dateGroups(now, weekStart).map((g) => ({
      label: g.label,
      count: list.filter((c) => (g.from === null || c.date >= g.from) && (g.to === null || c.date < g.to))
        .length,
    }))
    return layoutGroups(spec.order === 'newest' ? groups : groups.reverse())
  }, [spec, list, now])

  const [pages, setPages] = useState({ key: '', first: 0, last: 0 })
  const first = pages.key === key ? pages.first : 0
  const last = pages.key === key ? pages.last : 0
  const heads = useCoalescedLiveQuery(async () => {
    if (!db || !list) return undefined
    const slice = list.slice(first * PAGE, (last + 1) * PAGE)
    const rows = await withSnippets(
      db,
      await getMessages(
        db,
        slice.map((c) => c.headId),
      ),
    )
    return { list, offset: first * PAGE, rows }
  }, [db, list, first, last])
  const shown = heads?.list === list ? heads : undefined

  const setVisibleRows = useCallback(
    (f: number, l: number) => {
      const pf = Math.max(0, Math.floor(f / PAGE) - 1)
      const pl = Math.floor(l / PAGE) + 1
      setPages((p) => (p.key === key && p.first === pf && p.last === pl ? p : { key, first: pf, last: pl }))
    },
    [key],
  )
  const resolveIds = useCallback(
    (selection: Selection) =>
      Promise.resolve(
        selection.ranges.flatMap(([a, b]) => (list ?? []).slice(a, b + 1).flatMap((c) => c.ids)),
      ),
    [list],
  )

  return useMemo<ListSource>(
    () => ({
      key,
      label,
      layout,
      rowAt: (row: number): MessageRow | undefined => shown?.rows[row - shown.offset] ?? undefined,
      threadSizeAt: (row: number) => list?.[row]?.ids.length ?? 1,
      setVisibleRows,
      resolveIds,
      // Every conversation's ids are at hand: a message is found in whichever one it joined.
      findRow: (m) => {
        const at = (list ?? []).findIndex((c) => c.ids.includes(m.id))
        return at < 0 ? undefined : at
      },
      emptyText:
        spec?.filter === 'unread'
          ? 'No unread conversations here.'
          : spec?.filter === 'flagged'
            ? 'No flagged conversations here.'
            : 'No conversations here yet.',
    }),
    [key, label, layout, shown, list, setVisibleRows, resolveIds, spec?.filter],
  )
}
