import { useEffect, useState } from 'react'
import type { MessageRow } from '../../store/rows'
import type { ListedMessage, ListSource } from './list-source'
import { pinnedRow, shiftSelection, type Selection } from './selection'

/** The message at the selection's pinned row when it was last seen there. */
interface Pin extends ListedMessage {
  key: string
  row: number
}

const pinOf = (key: string, row: number, message: MessageRow, id: number): Pin => ({
  key,
  row,
  id,
  threadId: message.threadId,
  folderId: message.folderId,
})

/**
 * Keeps the selection on its messages while the list changes under it. The selection is kept by position
 * (selection.ts), and mail arriving above it (IDLE, a download, another device's move) pushes its messages
 * down: left alone, the reading pane would switch to another message and the next Delete would take
 * messages the user never selected. So the message at the first selected row is remembered, and when the
 * list changes it is looked up (among the loaded rows, else in the store) and the whole selection moves by
 * as many rows as it did. A message that left the list (deleted, moved, read under the Unread filter) keeps
 * the positions: the next message moves into its place, as in Outlook.
 *
 * Returns the message to show for the pinned row where the row itself cannot say (null elsewhere): while the
 * row is not loaded (pushed far below the rows in view), and for the render in which the row already holds
 * another message that was found among the loaded rows. Not while the store is asked where it went: it may
 * have been deleted, and showing a deleted message until the store answers would flash an empty pane after
 * every Delete.
 */
export function useSelectionFollowsMessages(
  source: ListSource,
  selection: Selection,
  setSelection: (selection: Selection) => void,
): number | null {
  const [pin, setPin] = useState<Pin | null>(null)
  const row = pinnedRow(selection)
  const hereRow = row === null ? undefined : source.rowAt(row)
  const here = hereRow?.id
  const kept = pin !== null && pin.key === source.key && pin.row === row
  // The list changed under the selection: its row holds another message.
  const displaced = kept && here !== undefined && here !== pin.id
  // Its row is not loaded: whether the message is still there only the store can say.
  const unseen = kept && here === undefined
  const moved = displaced ? source.findRow(pin) : undefined

  // A selection of the user's is pinned to its message once that row is loaded (set while rendering, as
  // React has state that follows props adjusted).
  if (!displaced && !unseen) {
    const next =
      row !== null && hereRow !== undefined && here !== undefined
        ? pinOf(source.key, row, hereRow, here)
        : null
    if (next?.key !== pin?.key || next?.row !== pin?.row || next?.id !== pin?.id) setPin(next)
  }

  useEffect(() => {
    if (!(displaced || unseen) || row === null || pin === null) return
    // The message now in its row (if loaded) is the one pinned: it took the row of one that left the list,
    // or it now stands for the same conversation.
    const repin = (): void =>
      setPin(hereRow !== undefined && here !== undefined ? pinOf(pin.key, pin.row, hereRow, here) : null)
    const follow = (to: number): void => {
      // Still in its row: a conversation whose newest message changed, or a row not loaded but not moved.
      if (to === row) {
        if (displaced) repin()
        return
      }
      setPin({ ...pin, row: to })
      setSelection(shiftSelection(selection, to - row))
    }
    if (moved !== undefined) {
      follow(moved)
      return
    }
    if (!source.locateRow) {
      repin()
      return
    }
    let current = true
    source
      .locateRow(pin.id)
      .then((to) => {
        if (current) (to === undefined ? repin : () => follow(to))()
      })
      // The store could not say: the positions stay as they are.
      .catch(() => current && repin())
    return () => {
      current = false
    }
  }, [row, here, hereRow, displaced, unseen, moved, pin, source, selection, setSelection])

  return pin && (moved !== undefined || unseen) ? pin.id : null
}
