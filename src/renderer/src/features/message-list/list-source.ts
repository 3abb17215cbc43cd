import type { MessageRow } from '../../store/rows'
import type { ListLayout } from './list-layout'
import type { Selection } from './selection'

/**
 * What the message list displays: a folder (windowed reads from the store) or search results (a short array).
 * The list itself only knows positions; the source turns them into rows and ids.
 */
export interface ListSource {
  /** Changes when the list is a different one (scroll resets). */
  key: string
  label: string
  /** Undefined while the first counts load. */
  layout: ListLayout | undefined
  rowAt(row: number): MessageRow | undefined
  /** In the conversation view: how many messages the row's thread has in this list. */
  threadSizeAt?(row: number): number
  /** The virtualizer's visible rows; the source loads that window (plus a margin). */
  setVisibleRows(first: number, last: number): void
  resolveIds(selection: Selection): Promise<number[]>
  /**
   * The position of `message` among the rows this source has loaded (undefined: not among them). A
   * conversation list finds the row of its thread, whichever message now stands for it.
   */
  findRow(message: ListedMessage): number | undefined
  /** The position of message `id` in the whole list, read from the store (undefined: not in the list). */
  locateRow?(id: number): Promise<number | undefined>
  emptyText: string
}

/** What a list remembers of a selected message to find it again. */
export type ListedMessage = Pick<MessageRow, 'folderId' | 'threadId'> & { id: number }

/** `findRow` over loaded rows that begin at list position `offset`. */
export function findLoadedRow(
  rows: readonly (MessageRow | undefined)[] | undefined,
  offset: number,
  same: (row: MessageRow) => boolean,
): number | undefined {
  const at = rows ? rows.findIndex((r) => r !== undefined && same(r)) : -1
  return at < 0 ? undefined : offset + at
}
