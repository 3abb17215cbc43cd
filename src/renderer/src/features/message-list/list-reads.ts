import type { MailDb } from '../../store/mail-db'
import { readDayCounts, readWindow, type ListSpec } from '../../store/queries/message-window'
import { withSnippets } from '../../store/queries/snippets'
import type { MessageRow } from '../../store/rows'
import type { ListLayout } from './list-layout'
import { loadLayout } from './load-layout'
import { messageTables } from '../../store/messages'

/** Rows are read in pages; the window covers the visible pages plus one on each side. */
export const PAGE = 50

/**
 * The pages the list reads while it shows its top: the visible page and the one after it (usePagedWindow).
 * The startup snapshot reads as many, so the list's first live answer is the same and draws nothing again.
 */
export const FIRST_SCREEN_PAGES = 2

/** Names a flat list (folder or folders, filter, order): reads of another list never answer for it. */
export function listKey(spec: ListSpec | null): string {
  return spec ? JSON.stringify({ folderIds: spec.folderIds, filter: spec.filter, order: spec.order }) : ''
}

/** Rows `offset … offset+limit` of the flat list as the message list draws them (with their snippets). */
export async function readListRows(
  db: MailDb,
  spec: ListSpec,
  offset: number,
  limit: number,
): Promise<MessageRow[]> {
  return withSnippets(db, await readWindow(db, spec, offset, limit))
}

/** What the message list draws first: its date groups and its first page of rows (as the live queries read them). */
export interface FirstScreen {
  key: string
  /** The time the date groups were counted for ("Today" of that moment). */
  now: number
  layout: ListLayout
  rows: MessageRow[]
}

/**
 * The list's layout and first page in one transaction, reading the per-day counts once for both, then the
 * page's snippets as readListRows adds them: the same answers the list's two live queries give (loadLayout,
 * then readListRows(0, FIRST_SCREEN_PAGES * PAGE)), for the startup snapshot.
 */
export async function readFirstScreen(db: MailDb, spec: ListSpec, now: number): Promise<FirstScreen> {
  const { layout, rows } = await db.transaction(
    'r',
    [...messageTables(db), db.listBuckets, db.threads, db.threadBuckets],
    async () => {
      const days = await readDayCounts(db, spec)
      const layout = await loadLayout(db, spec, now, () => Promise.resolve(days))
      return { layout, rows: await readWindow(db, spec, 0, FIRST_SCREEN_PAGES * PAGE, days) }
    },
  )
  return { key: listKey(spec), now, layout, rows: await withSnippets(db, rows) }
}
