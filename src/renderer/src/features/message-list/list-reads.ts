import type { MailDb } from '../../store/mail-db'
import { readDayCounts, readWindow, type ListSpec } from '../../store/queries/message-window'
import {
  countThreadRange,
  readThreadDayCounts,
  readThreadHeads,
  readThreadWindow,
} from '../../store/queries/thread-window'
import type { ThreadRow } from '../../store/threads'
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

/** What the message list draws: its date groups and a window of its rows (with their snippets). */
export interface ListWindow {
  layout: ListLayout
  rows: MessageRow[]
}

/**
 * The list's date groups and rows `offset … offset+limit` in one transaction, the per-day counts read once
 * for both: the message list's live query (use-folder-source.ts). As two live queries, each read the counts
 * on every change of the store, and their answers could come from two different states of it.
 */
export async function readListWindow(
  db: MailDb,
  spec: ListSpec,
  now: number,
  offset: number,
  limit: number,
): Promise<ListWindow> {
  const { layout, rows } = await db.transaction(
    'r',
    [...messageTables(db), db.listDayCounts, db.threadDays, db.threadDayCounts],
    async () => {
      const days = await readDayCounts(db, spec)
      const [layout, rows] = await Promise.all([
        loadLayout(db, spec, now, () => Promise.resolve(days)),
        readWindow(db, spec, offset, limit, days),
      ])
      return { layout, rows }
    },
  )
  return { layout, rows: await withSnippets(db, rows) }
}

/** What the message list draws first: its first pages, as its live query reads them. */
export interface FirstScreen extends ListWindow {
  key: string
  /** The time the date groups were counted for ("Today" of that moment). */
  now: number
}

/**
 * The list's first FIRST_SCREEN_PAGES pages and its date groups, for the startup snapshot: the same answer
 * the list's live query gives at its top (readListWindow).
 */
export async function readFirstScreen(db: MailDb, spec: ListSpec, now: number): Promise<FirstScreen> {
  return { key: listKey(spec), now, ...(await readListWindow(db, spec, now, 0, FIRST_SCREEN_PAGES * PAGE)) }
}

/** What the conversation view draws: its date groups, a window of its thread rows and their newest messages. */
export interface ThreadListWindow {
  layout: ListLayout
  threads: ThreadRow[]
  rows: (MessageRow | undefined)[]
}

/**
 * readListWindow for the (unfiltered) conversation view: its date groups and thread rows `offset …
 * offset+limit` from one read of the per-day thread counts, then each thread's newest message (with its
 * snippet).
 */
export async function readThreadListWindow(
  db: MailDb,
  spec: ListSpec,
  now: number,
  offset: number,
  limit: number,
): Promise<ThreadListWindow> {
  const { layout, threads } = await db.transaction(
    'r',
    [...messageTables(db), db.listDayCounts, db.threadDays, db.threadDayCounts],
    async () => {
      const days = await readThreadDayCounts(db, spec)
      const [layout, threads] = await Promise.all([
        loadLayout(db, spec, now, () => Promise.resolve(days), countThreadRange),
        readThreadWindow(db, spec, offset, limit, days),
      ])
      return { layout, threads }
    },
  )
  // With their snippets, as the flat list's rows: an IMAP header pass stores rows without one.
  return { layout, threads, rows: await withSnippets(db, await readThreadHeads(db, threads)) }
}
