import { useCallback, useState } from 'react'
import type { MailDb } from '../../store/mail-db'
import { useCoalescedLiveQuery } from '../../store/queries/use-coalesced-live-query'
import { useKeptWhileEqual } from '../../components/use-kept-while-equal'
import { FIRST_SCREEN_PAGES, PAGE } from './list-reads'

export interface PagedWindow<T> {
  /** The list this window belongs to (its spec's key): a window of another list never answers. */
  key: string
  /** Row index of the window's first row. */
  offset: number
  data: T
}

/**
 * The rows a virtualized list shows, read a window at a time: `read(offset, limit)` loads the pages around
 * the visible rows (live, coalesced), and `setVisibleRows` is what the list calls as it scrolls. While the
 * next window loads, the previous one still answers for the rows it has: no blank flashes. `key` stands
 * for everything `read` depends on besides `db`; `read` is undefined while there is nothing to read.
 */
export function usePagedWindow<T>(
  db: MailDb | undefined,
  key: string,
  read: ((offset: number, limit: number) => Promise<T>) | undefined,
  /**
   * The first FIRST_SCREEN_PAGES pages' rows read before the first render (startup snapshot), if they are of
   * this list: the window starts as those pages, which the list asks for at its top.
   */
  seed?: T,
  /**
   * What `read` also depends on that does not move the window (the time the folder list counts its date
   * groups for): a new value reads the same pages again.
   */
  readsAt?: unknown,
): { shown: PagedWindow<T> | undefined; setVisibleRows(first: number, last: number): void } {
  const [pages, setPages] = useState(() =>
    seed === undefined ? { key: '', first: 0, last: 0 } : { key, first: 0, last: FIRST_SCREEN_PAGES - 1 },
  )
  const firstPage = pages.key === key ? pages.first : 0
  const lastPage = pages.key === key ? pages.last : 0
  const [initial] = useState(() => (seed === undefined ? undefined : { key, offset: 0, data: seed }))
  const answer = useCoalescedLiveQuery(
    async (): Promise<PagedWindow<T> | undefined> => {
      if (!read) return undefined
      const offset = firstPage * PAGE
      return { key, offset, data: await read(offset, (lastPage - firstPage + 1) * PAGE) }
    },
    // `key` stands for what `read` reads: a new `read` each render must not mean a new query.
    [db, key, firstPage, lastPage, readsAt],
    undefined,
    initial,
  )
  // The same rows again (the first answer after the snapshot, a commit elsewhere in the store) keep the
  // window the list draws: its rows do not render again for nothing.
  const window = useKeptWhileEqual(answer, sameWindow)
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
  return { shown, setVisibleRows }
}

/**
 * The JSON of each window compared, made once: the kept window is compared with every answer (each commit of
 * a sync into the list, up to a hundred rows each time).
 */
const windowJson = new WeakMap<PagedWindow<unknown>, string>()

function jsonOf<T>(w: PagedWindow<T>): string {
  let json = windowJson.get(w)
  if (json === undefined) {
    json = JSON.stringify(w.data)
    windowJson.set(w, json)
  }
  return json
}

/** Windows of plain store rows: their JSON says whether they hold the same. */
function sameWindow<T>(a: PagedWindow<T> | undefined, b: PagedWindow<T> | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.key === b.key && a.offset === b.offset && jsonOf(a) === jsonOf(b)
  )
}
